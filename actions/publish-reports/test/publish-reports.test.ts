import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { actionDefaults } from '../../shared/test/helpers.ts';
import { describeFile, listReportFiles, uploadRoot } from '../src/files.ts';
import { readInputs } from '../src/inputs.ts';
import { publishedSummary } from '../src/summary.ts';
import { artifactUrl } from '../src/upload.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describe('inputs', () => {
  const read = async (values: Record<string, string> = {}) =>
    readInputs(objectInputSource({ ...(await actionDefaults('publish-reports')), ...values }), {
      workspace: '/w',
    });
  test('action.yml defaults', async () => {
    expect(await read()).toEqual({
      name: 'reports',
      path: '/w/reports',
      retentionDays: 0,
      compressionLevel: 6,
      ifNoFilesFound: 'warn',
      includeHiddenFiles: false,
    });
  });
  test.each([
    ['name', 'a/b', 'Input "name" has value "a/b": expected an artifact name without'],
    ['name', 'a:b', 'Input "name" has value "a:b": expected an artifact name without'],
    [
      'retention-days',
      '91',
      'Input "retention-days" has value "91": expected a whole number from 0 to 90',
    ],
    [
      'retention-days',
      'week',
      'Input "retention-days" has value "week": expected a whole number from 0 to 90',
    ],
    [
      'compression-level',
      '10',
      'Input "compression-level" has value "10": expected a whole number from 0 to 9',
    ],
    [
      'if-no-files-found',
      'fail',
      'Input "if-no-files-found" has value "fail": expected one of warn, error, ignore',
    ],
    [
      'include-hidden-files',
      'no',
      'Input "include-hidden-files" has value "no": expected true or false',
    ],
  ])('%s=%j fails: %s', async (name, value, message) => {
    await expect(read({ [name]: value })).rejects.toThrow(message);
  });
});

describe('describeFile', () => {
  test.each([
    ['security/trivy-backend.sarif', 'SARIF (code scanning)'],
    ['trivy.sarif.json', 'SARIF (code scanning)'],
    ['chaos/journal.jsonl', 'JSON journal'],
    ['chaos/drill-journal.json', 'JSON journal'],
    ['stack/prometheus-targets.json', 'Prometheus targets (JSON)'],
    ['k6/summary.json', 'JSON data'],
    ['postmortem.md', 'Markdown report'],
    ['stack/logs/web.log', 'log'],
    ['stack/ps.txt', 'container list (compose ps)'],
    ['trivy-backend-report.txt', 'text report'],
    ['playwright/index.html', 'HTML report'],
    ['junit.xml', 'JUnit XML'],
    ['shot.PNG', 'image'],
    ['LICENSE', 'file'],
    ['events.ndjson', 'JSON journal'],
    ['README.markdown', 'Markdown report'],
    ['old/page.htm', 'HTML report'],
    ['config.xml', 'XML'],
    ['graph.svg', 'image'],
    ['photo.jpeg', 'image'],
    ['bundle.tgz', 'archive'],
    ['logs.zip', 'archive'],
    ['dir.with.dots/noext', 'file'],
  ])('%s → %s', (path, kind) => {
    expect(describeFile(path)).toBe(kind);
  });
});

test.each<[string, string[], string, string]>([
  ['one file published: its folder', ['/w/reports/drill.md'], '/w/reports/drill.md', '/w/reports'],
  ['a folder: itself', ['/w/reports/a.md', '/w/reports/b.md'], '/w/reports', '/w/reports'],
  ['a folder with one file: itself', ['/w/reports/a.md'], '/w/reports', '/w/reports'],
])('uploadRoot: %s', (_name, paths, path, root) => {
  const files = paths.map((p) => ({ path: p, relative: p.split('/').pop() as string, size: 1 }));
  expect(uploadRoot(files, path)).toBe(root);
});

test('listReportFiles: recursive, sorted, hidden files only on request, [] when missing', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'publish-'));
  temps.push(dir);
  await mkdir(join(dir, 'stack/logs'), { recursive: true });
  await mkdir(join(dir, '.cache'));
  await writeFile(join(dir, 'stack/logs/web.log'), 'abc');
  await writeFile(join(dir, 'a.md'), '# x');
  await writeFile(join(dir, '.hidden'), 'h');
  await writeFile(join(dir, '.cache/x'), 'h');
  expect(
    (await listReportFiles(dir, { includeHidden: false })).map((f) => [f.relative, f.size]),
  ).toEqual([
    ['a.md', 3],
    ['stack/logs/web.log', 3],
  ]);
  expect((await listReportFiles(dir, { includeHidden: true })).map((f) => f.relative)).toEqual([
    '.cache/x',
    '.hidden',
    'a.md',
    'stack/logs/web.log',
  ]);
  expect(await listReportFiles(join(dir, 'nope'), { includeHidden: false })).toEqual([]);
});

test('summary and artifact URL', () => {
  const env = {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/pipeline',
    GITHUB_RUN_ID: '7',
  };
  const url = artifactUrl(env, 42);
  expect(url).toBe('https://github.com/acme/pipeline/actions/runs/7/artifacts/42');
  expect(
    publishedSummary('reports', [{ path: '/r/a.sarif', relative: 'a.sarif', size: 2048 }], url),
  ).toBe(
    '### Published [reports](https://github.com/acme/pipeline/actions/runs/7/artifacts/42): 1 file(s), 2.0 KiB\n\n| File | Size | What it is |\n| --- | --- | --- |\n| `a.sarif` | 2.0 KiB | SARIF (code scanning) |\n',
  );
});
