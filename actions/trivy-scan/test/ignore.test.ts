import { describe, expect, it, test } from 'vitest';
import { collectFindings } from '../src/findings.ts';
import {
  applyIgnores,
  createIgnoreMatcher,
  globToRegExp,
  IgnoreFileError,
  type IgnoreRules,
  parseIgnoreFile,
} from '../src/ignore.ts';
import { fixtureReport } from './helpers.ts';

const NOW = new Date('2026-11-26T12:00:00Z');

/** applyIgnores with a fresh matcher, and what the matcher saw. */
function apply(findings: Parameters<typeof applyIgnores>[0], rules: IgnoreRules) {
  const matcher = createIgnoreMatcher(rules, NOW);
  const { kept, ignored } = applyIgnores(findings, matcher);
  return { kept, ignored, expired: matcher.expired, unused: matcher.unused() };
}
const alpine = collectFindings(fixtureReport('alpine-310.json.golden'));
const secrets = collectFindings(fixtureReport('secrets.json.golden'));

describe('.trivyignore.yaml', () => {
  const yaml = `
vulnerabilities:
  - id: CVE-2019-1549
    statement: OpenSSL fork() RNG issue; our services never fork after seeding.
    paths: ["testdata/**"]
  - id: CVE-2019-1551
    statement: Expired exception kept to prove expiry works.
    expired_at: 2026-01-01
secrets:
  - id: mysecret
    statement: Test fixture token, not a real credential.
misconfigurations:
  - id: DS-9999
    statement: Example entry that matches nothing in these reports.
`;
  const rules = parseIgnoreFile(yaml, 'security/.trivyignore.yaml');

  it('parses every section with its reason and expiry', () => {
    expect(
      rules.entries.map((e) => [e.id, e.kinds, e.expiresAt?.toISOString().slice(0, 10)]),
    ).toEqual([
      ['CVE-2019-1549', ['vulnerability'], undefined],
      ['CVE-2019-1551', ['vulnerability'], '2026-01-01'],
      ['DS-9999', ['misconfiguration'], undefined],
      ['mysecret', ['secret'], undefined],
    ]);
    expect(rules.entries.every((e) => e.reason.length > 0)).toBe(true);
  });

  it('hides matching findings, stops applying expired entries and reports unused ones', () => {
    const outcome = apply([...alpine, ...secrets], rules);
    expect(
      outcome.ignored.map(({ finding, by }) => [
        finding.id,
        finding.pkgName ?? finding.file,
        by.where,
      ]),
    ).toEqual([
      ['CVE-2019-1549', 'libcrypto1.1', 'security/.trivyignore.yaml: vulnerabilities[0]'],
      ['CVE-2019-1549', 'libssl1.1', 'security/.trivyignore.yaml: vulnerabilities[0]'],
      ['mysecret', 'deploy.sh', 'security/.trivyignore.yaml: secrets[0]'],
    ]);
    expect(outcome.kept.map((f) => f.id)).toEqual([
      'CVE-2019-1551',
      'CVE-2019-1551',
      'aws-access-key-id',
    ]);
    expect(outcome.expired.map((e) => e.id)).toEqual(['CVE-2019-1551']);
    expect(outcome.unused.map((e) => e.id)).toEqual(['DS-9999']);
  });

  it('applies an entry only to its own kind of finding', () => {
    const onlySecret = parseIgnoreFile(
      'secrets:\n  - id: CVE-2019-1549\n    statement: wrong section\n',
      'x.yaml',
    );
    expect(apply(alpine, onlySecret).ignored).toEqual([]);
  });

  test.each([
    ['vulnerabilities:\n  - id: CVE-1\n', /vulnerabilities\[0\] \(CVE-1\): missing "statement"/],
    ['vulnerabilities:\n  - id: CVE-1\n    statement: "  "\n', /missing "statement"/],
    ['vulnerabilities:\n  - statement: why\n', /vulnerabilities\[0\]: missing "id"/],
    [
      'vulnerabilities:\n  - id: CVE-1\n    statement: ok\n    expired_at: someday\n',
      /vulnerabilities\[0\] \(CVE-1\): expired_at is not a date \(expected YYYY-MM-DD\)/,
    ],
    [
      'vulns:\n  - id: CVE-1\n',
      /not a Trivy ignore file \(expected a mapping with vulnerabilities, misconfigurations, secrets, licenses lists\)/,
    ],
    ['secrets: []\nvulns:\n  - id: CVE-1\n', /unknown section "vulns"/],
    ['[a, b]\n', /not a Trivy ignore file/],
    ['vulnerabilities: CVE-1\n', /vulnerabilities must be a list/],
    ['vulnerabilities: [\n', /^security\/\.trivyignore\.yaml: not valid YAML at line 2, column 1$/],
    ['licenses:\n  - id: GPL-3.0\n', /licenses\[0\] \(GPL-3.0\): missing "statement"/],
  ])('refuses %j', (text, message) => {
    expect(() => parseIgnoreFile(text, 'security/.trivyignore.yaml')).toThrow(IgnoreFileError);
    expect(() => parseIgnoreFile(text, 'security/.trivyignore.yaml')).toThrow(message);
  });

  it('accepts an empty file', () => {
    expect(parseIgnoreFile('# nothing ignored\n', 'a.yaml').entries).toEqual([]);
  });
});

describe('plain .trivyignore', () => {
  it('takes the reason from the comment above or on the line, and exp: dates', () => {
    const rules = parseIgnoreFile(
      [
        '# Reviewed 2026-11: OpenSSL fork() issue,',
        '# our services never fork.',
        'CVE-2019-1549',
        '',
        'CVE-2019-1551 exp:2026-01-01 # expired on purpose',
        'aws-access-key-id # fake key in a test fixture',
      ].join('\n'),
      'security/.trivyignore',
    );
    expect(
      rules.entries.map((e) => [e.id, e.reason, e.where, e.expiresAt?.toISOString().slice(0, 10)]),
    ).toEqual([
      [
        'CVE-2019-1549',
        'Reviewed 2026-11: OpenSSL fork() issue, our services never fork.',
        'security/.trivyignore:3',
        undefined,
      ],
      ['CVE-2019-1551', 'expired on purpose', 'security/.trivyignore:5', '2026-01-01'],
      ['aws-access-key-id', 'fake key in a test fixture', 'security/.trivyignore:6', undefined],
    ]);
    const outcome = apply([...alpine, ...secrets], rules);
    expect(outcome.ignored.map(({ finding }) => finding.id)).toEqual([
      'CVE-2019-1549',
      'CVE-2019-1549',
      'aws-access-key-id',
    ]);
    expect(outcome.expired.map((e) => e.id)).toEqual(['CVE-2019-1551']);
  });

  it('names the entry that has no reason', () => {
    expect(() => parseIgnoreFile('# ok\nCVE-1\n\nCVE-2\n', 'security/.trivyignore')).toThrow(
      'security/.trivyignore:4: the entry has no reason',
    );
  });

  it('does not let a reason leak across a blank line', () => {
    expect(() => parseIgnoreFile('# reason for nothing\n\nCVE-3\n', '.trivyignore')).toThrow(
      /\.trivyignore:3: the entry has no reason/,
    );
  });
});

test.each([
  ['**/package-lock.json', 'frontend/package-lock.json', true],
  ['**/package-lock.json', 'package-lock.json', true],
  ['testdata/*', 'testdata/a/b', false],
  ['testdata/**', 'testdata/a/b', true],
  ['Docker?ile', 'Dockerfile', true],
  ['a.b', 'axb', false],
])('glob %s matches %s: %s', (glob, path, expected) => {
  expect(globToRegExp(glob).test(path)).toBe(expected);
});

describe('findings Trivy suppressed itself (--ignorefile --show-suppressed)', () => {
  // Generated from the secrets fixture: the same secrets moved where Trivy puts suppressed ones.
  const base = fixtureReport('secrets.json.golden');
  const result = base.Results[0] as (typeof base.Results)[number];
  const report = {
    ...base,
    Results: [
      {
        ...result,
        Secrets: [],
        ExperimentalModifiedFindings: result.Secrets.map((finding) => ({
          Type: 'secret',
          Status: 'ignored',
          Statement: 'Fixture tokens, not credentials.',
          Source: 'security/.trivyignore.yaml',
          Finding: finding,
        })),
      },
    ],
  };

  it('are counted as ignored, with the matching entry when the ignore file has one', () => {
    const findings = collectFindings(report);
    expect(findings.map((f) => [f.id, f.suppressed?.reason])).toEqual([
      ['aws-access-key-id', 'Fixture tokens, not credentials.'],
      ['mysecret', 'Fixture tokens, not credentials.'],
    ]);
    const rules = parseIgnoreFile(
      'secrets:\n  - id: mysecret\n    statement: Fixture token.\n',
      'security/.trivyignore.yaml',
    );
    const outcome = apply(findings, rules);
    expect(outcome.kept).toEqual([]);
    expect(outcome.ignored.map(({ finding, by }) => [finding.id, by.reason, by.where])).toEqual([
      ['aws-access-key-id', 'Fixture tokens, not credentials.', 'security/.trivyignore.yaml'],
      ['mysecret', 'Fixture token.', 'security/.trivyignore.yaml: secrets[0]'],
    ]);
    expect(outcome.unused).toEqual([]);
  });
});
