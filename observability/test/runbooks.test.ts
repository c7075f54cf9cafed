// Every alert has a runbook a person on call can use: its runbook_url names a page
// in observability/runbooks/ that exists and has Meaning, Impact, Diagnosis and
// Mitigation; every page belongs to an alert.
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../scripts/repo-root.ts';
import { RUNBOOKS_PATH, runbookProblems, runbookUrl } from './runbooks.ts';
import { allRules, listFiles } from './support.ts';

const alerts = allRules().filter((rule) => rule.alert !== undefined);
const pages = listFiles(join(REPO_ROOT, RUNBOOKS_PATH), '.md')
  .map((path) => basename(path, '.md'))
  .filter((name) => name !== 'README');

const GOOD = `# BackendDown

## Meaning

It fired.

## Impact

Users notice.

## Diagnosis

\`\`\`sh
docker compose ps backend
\`\`\`

## Mitigation

Start it.
`;

describe('runbookProblems', () => {
  it.each([
    ['a complete page', GOOD, []],
    [
      'a page for another alert',
      GOOD.replace('# BackendDown', '# PostgresDown'),
      ['title is "PostgresDown", expected "# BackendDown"'],
    ],
    [
      'a page without Diagnosis',
      GOOD.replace('## Diagnosis', '## Notes'),
      [
        'sections are [Meaning, Impact, Mitigation], expected [Meaning, Impact, Diagnosis, Mitigation] in that order',
      ],
    ],
    [
      'sections out of order',
      GOOD.replace('## Meaning', '## Tmp')
        .replace('## Impact', '## Meaning')
        .replace('## Tmp', '## Impact'),
      [
        'sections are [Impact, Meaning, Diagnosis, Mitigation], expected [Meaning, Impact, Diagnosis, Mitigation] in that order',
      ],
    ],
    ['an empty section', GOOD.replace('Start it.\n', ''), ['section Mitigation is empty']],
  ])('%s', (_name, markdown, problems) => {
    expect(runbookProblems('BackendDown', markdown)).toEqual(problems);
  });
});

describe('runbooks', () => {
  it.each(alerts.map((rule) => [rule.alert ?? '', rule] as const))(
    '%s links its runbook, which exists and has the four sections',
    (alertname, rule) => {
      const url = rule.annotations?.runbook_url;
      expect(url, `${alertname} has no runbook_url annotation`).toBe(runbookUrl(alertname));
      const path = join(REPO_ROOT, url ?? '');
      expect(existsSync(path), `${url} does not exist`).toBe(true);
      expect(runbookProblems(alertname, readFileSync(path, 'utf8'))).toEqual([]);
    },
  );

  it('every runbook page belongs to an alert, and the index lists them all', () => {
    const names = alerts.map((rule) => rule.alert).sort();
    expect(pages.sort()).toEqual(names);
    const index = readFileSync(join(REPO_ROOT, RUNBOOKS_PATH, 'README.md'), 'utf8');
    for (const name of names) expect(index, name).toContain(`(${name}.md)`);
  });
});
