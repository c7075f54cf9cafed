/**
 * The committed bundles, run through the local runner as a GitHub runner would run them.
 * No Docker engine needed: these are the failure paths, dry runs and the artifact upload.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { describeWithTools } from '../../../test/support/tools.ts';
import {
  type FakeArtifactService,
  startFakeArtifactService,
} from '../../publish-reports/test/fake-artifact-service.ts';
import { runAction } from '../local-runner.ts';

const FIXTURE = 'actions/tools/test/fixtures/stack/compose.yml';
const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'bundles-'));
  temps.push(dir);
  return dir;
}

describe('a bad input fails the step with a message naming it', () => {
  test.each([
    [
      'build-images',
      { 'sha-tag': 'long' },
      'Input "sha-tag" has value "long": expected one of short, full, none',
    ],
    ['build-images', { 'compose-file': 'nope.yml' }, 'Input "compose-file" has value "'],
    [
      'build-images',
      { 'compose-file': FIXTURE, services: 'db' },
      'Input "services" has value "db": db is not a service with a build section (buildable: web)',
    ],
    [
      'stack-up',
      { timeout: 'abc' },
      'Input "timeout" has value "abc": expected a duration such as 90s, 5m, 1h30m or a number of seconds',
    ],
    ['stack-up', { 'project-name': 'Bad Name' }, 'Input "project-name" has value "Bad Name"'],
    [
      'publish-reports',
      { 'if-no-files-found': 'fail' },
      'Input "if-no-files-found" has value "fail": expected one of warn, error, ignore',
    ],
    [
      'publish-reports',
      { 'retention-days': '365' },
      'Input "retention-days" has value "365": expected a whole number from 0 to 90',
    ],
  ])('%s %j', async (action, inputs, message) => {
    const result = await runAction({ action, inputs });
    expect(result.exitCode).toBe(1);
    expect(result.errors.join('\n')).toContain(message);
  });

  test('stack-up: main failed before starting anything, so post (always) has nothing to tear down', async () => {
    const result = await runAction({ action: 'stack-up', inputs: { timeout: 'abc' } });
    expect(result.exitCode).toBe(1);
    expect(result.post?.exitCode).toBe(0);
    expect(result.post?.stdout).toContain(
      'main did not start a stack; nothing to collect or tear down',
    );
  });

  test('the runner refuses inputs the action does not declare', async () => {
    await expect(runAction({ action: 'stack-up', inputs: { timout: '1m' } })).rejects.toThrow(
      "Unexpected input(s) 'timout'",
    );
  });
});

describeWithTools(['docker'], 'a missing Docker engine fails with a clear message', () => {
  const env = { DOCKER_HOST: 'unix:///nonexistent.sock' };
  test.each([
    ['build-images', { 'compose-file': FIXTURE }],
    ['stack-up', { 'compose-file': FIXTURE, 'project-name': 'never' }],
  ])('%s', async (action, inputs) => {
    const result = await runAction({ action, inputs, env });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(/^Cannot reach the Docker engine: .*unix:\/\/\/nonexistent\.sock/),
    ]);
    expect(result.stdout).not.toMatch(/\n\s+at /); // no stack trace
    if (result.post) expect(result.post.exitCode).toBe(0);
  });
});

describeWithTools(['docker'], 'build-images dry run', () => {
  test('plans every buildable service with the seed tags, without building', async () => {
    const result = await runAction({
      action: 'build-images',
      inputs: {
        'compose-file': FIXTURE,
        'dry-run': 'true',
        'build-args': 'NODE_IMAGE=local/standin/node:latest',
      },
      env: { GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567' },
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.outputs.images ?? '')).toEqual({
      web: { image: 'web-demo', tags: ['web-demo:dev', 'web-demo:0123456'], id: '', size: 0 },
    });
    expect(result.outputs.tags).toBe('web-demo:dev\nweb-demo:0123456');
    expect(result.stdout).toMatch(
      /\[dry-run\] .*docker .*build .*--build-arg NODE_IMAGE=local\/standin\/node:latest/,
    );
  });
});

describe('the local runner', () => {
  test('keeps its temp directory only when asked (--keep-temp), and says where', async () => {
    const dir = await tempDir();
    const inputs = { path: dir, 'if-no-files-found': 'ignore' };
    const kept = await runAction({ action: 'publish-reports', inputs, keepTemp: true });
    try {
      expect(kept.tempDir && existsSync(join(kept.tempDir, 'runner-temp'))).toBe(true);
    } finally {
      if (kept.tempDir) await rm(kept.tempDir, { recursive: true, force: true });
    }
    expect((await runAction({ action: 'publish-reports', inputs })).tempDir).toBeUndefined();
  });
});

describe('publish-reports', () => {
  test.each([
    ['warn', 0, ['No files found under']],
    ['ignore', 0, []],
    ['error', 1, []],
  ])(
    'with nothing to publish and if-no-files-found=%s: exit %d',
    async (mode, exitCode, warnings) => {
      const dir = await tempDir();
      const result = await runAction({
        action: 'publish-reports',
        inputs: { path: dir, 'if-no-files-found': mode },
      });
      expect(result.exitCode).toBe(exitCode);
      expect(result.warnings.map((w) => w.slice(0, 20))).toEqual(warnings);
      if (exitCode)
        expect(result.errors[0]).toMatch(
          /^No files found under .*: nothing to publish as "reports"$/,
        );
      expect(result.outputs.files).toBe('0');
    },
  );

  test('without an artifact service (not on a runner) it fails saying what is missing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'report.md'), '# report\n');
    const result = await runAction({ action: 'publish-reports', inputs: { path: dir } });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toMatch(
      /Unable to get the ACTIONS_RUNTIME_TOKEN env variable|ACTIONS_RESULTS_URL/,
    );
  });

  describe('against an artifact service that speaks the results protocol', () => {
    let service: FakeArtifactService;
    beforeAll(async () => {
      service = await startFakeArtifactService();
    });
    afterAll(async () => {
      await service?.close();
    });
    test('uploads the zip, sets the outputs and indexes the files in the summary', async () => {
      const dir = await tempDir();
      await mkdir(join(dir, 'stack/logs'), { recursive: true });
      await writeFile(join(dir, 'stack/logs/web.log'), 'web: listening\n');
      await writeFile(join(dir, 'trivy-backend.sarif'), '{"version":"2.1.0","runs":[]}\n');
      const result = await runAction({
        action: 'publish-reports',
        inputs: { path: dir, name: 'ci-reports', 'retention-days': '5' },
        env: {
          ACTIONS_RESULTS_URL: service.url,
          ACTIONS_RUNTIME_TOKEN: service.token,
          GITHUB_REPOSITORY: 'acme/pipeline',
          GITHUB_RUN_ID: '7',
        },
      });
      expect(result.errors).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(result.outputs).toMatchObject({
        files: '2',
        'artifact-id': '4242',
        'artifact-url': 'https://github.com/acme/pipeline/actions/runs/7/artifacts/4242',
      });
      expect(result.outputs['artifact-digest']).toMatch(/^[0-9a-f]{64}$/);
      const artifact = service.artifacts.get('ci-reports');
      expect(artifact?.finalized).toBe(true);
      expect(artifact?.bytes.subarray(0, 2).toString()).toBe('PK'); // a zip
      expect(artifact?.bytes.includes(Buffer.from('stack/logs/web.log'))).toBe(true);
      expect(result.summary).toContain('| `trivy-backend.sarif` | 30 B | SARIF (code scanning) |');
      expect(result.summary).toContain('| `stack/logs/web.log` | 15 B | log |');
    });
  });
});
