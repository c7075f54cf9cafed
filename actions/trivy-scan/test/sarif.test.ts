import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, test } from 'vitest';
import { createReportWriter } from '../../shared/src/reports.ts';
import { collectFindings } from '../src/findings.ts';
import type { TrivyReport } from '../src/report.ts';
import {
  FINGERPRINT_KEY,
  fingerprint,
  planSarif,
  type SarifLog,
  sarifChunks,
  toSarif,
  toSarifText,
} from '../src/sarif.ts';
import {
  mostSevere,
  type Severity,
  sarifLevel,
  securitySeverity,
  sortBySeverity,
} from '../src/severity.ts';
import {
  ALL_JSON_FIXTURES,
  band,
  fixtureJson,
  fixtureReport,
  JSON_FIXTURES,
  validateSarif,
  walkCounts,
} from './helpers.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** alpine-310 with `n` vulnerabilities, distinct ids and non-ASCII titles: a SARIF of many writes. */
function manyVulns(n: number): TrivyReport {
  const base = fixtureReport('alpine-310.json.golden');
  const result = base.Results[0] as TrivyReport['Results'][number];
  const template = result.Vulnerabilities;
  const vulns = Array.from({ length: n }, (_, i) => ({
    ...(template[i % template.length] as (typeof template)[number]),
    VulnerabilityID: `CVE-2099-${i}`,
    Title: `naïve “quoted” 🔒 title ${i}`,
  }));
  return { ...base, Results: [{ ...result, Vulnerabilities: vulns }] };
}

const options = (key: string) => ({ key, category: `trivy-${key}` });

function sarifFor(name: string, key = 'image', pathPrefix = '') {
  const report = fixtureReport(name);
  return toSarif(planSarif(report, collectFindings(report, { pathPrefix }), options(key)));
}

test('sortBySeverity: highest first, input order kept within a severity', () => {
  const items: Array<[string, Severity]> = [
    ['a', 'LOW'],
    ['b', 'CRITICAL'],
    ['c', 'UNKNOWN'],
    ['d', 'LOW'],
    ['e', 'HIGH'],
    ['f', 'CRITICAL'],
    ['g', 'MEDIUM'],
  ];
  const order = (list: Array<[string, Severity]>) => list.map(([id]) => id).join('');
  expect(order(sortBySeverity(items, ([, severity]) => severity))).toBe('bfegadc');
  expect(sortBySeverity<[string, Severity]>([], ([, severity]) => severity)).toEqual([]);
});

test.each([0, 1, 2, 3, 5, 7, 8])(
  'mostSevere(items, %i) is sortBySeverity(items) cut to it',
  (n) => {
    const severities: Severity[] = [
      'LOW',
      'CRITICAL',
      'UNKNOWN',
      'LOW',
      'HIGH',
      'CRITICAL',
      'MEDIUM',
    ];
    const items = severities.map((severity, i) => ({ id: i, severity }));
    const of = (item: { severity: Severity }) => item.severity;
    expect(mostSevere(items, of, n)).toEqual(sortBySeverity(items, of).slice(0, n));
  },
);

describe('toSarif', () => {
  test.each(ALL_JSON_FIXTURES)('%s → schema-valid SARIF 2.1.0 with every finding', (name) => {
    const sarif = sarifFor(name);
    expect(validateSarif(sarif)).toEqual([]);
    const total = Object.values(walkCounts(fixtureJson(name))).reduce((a, b) => a + b, 0);
    expect(sarif.runs[0]?.results).toHaveLength(total);
  });

  // Tests and tools read toSarifText (made result by result): the same bytes as the object.
  test.each(JSON_FIXTURES)('%s → toSarifText is JSON.stringify(toSarif) byte for byte', (name) => {
    const report = fixtureReport(name);
    const findings = collectFindings(report, { pathPrefix: 'sub' });
    for (const o of [options('a'), { ...options('x'), toolVersion: '0.1.0' }]) {
      const plan = planSarif(report, findings, o);
      expect(toSarifText(plan)).toBe(`${JSON.stringify(toSarif(plan))}\n`);
      // A prefix of the results (what GitHub's limits leave) is the same bytes too.
      expect(toSarifText(plan, 1)).toBe(`${JSON.stringify(toSarif(plan, 1))}\n`);
    }
  });

  // sarifChunks escapes each part where it goes, not the whole text: parts with what
  // JSON.stringify escapes (quotes, backslashes, controls, lone surrogates) must agree too.
  test.each([
    ['a quote and a backslash', 'say "hi" \\ C:\\path'],
    ['newlines, tabs and other controls', 'a\nb\r\tc\u0001\u001f\u007f'],
    ['a lone surrogate of each kind', 'x\ud800y\udc00z'],
    ['a surrogate pair and U+2028', '🔒 \u2028 naïve'],
  ])('%s in every text field → toSarifText is JSON.stringify(toSarif)', (_, odd) => {
    for (const name of JSON_FIXTURES) {
      const findings = collectFindings(fixtureReport(name)).map((f) => ({
        ...f,
        id: `${f.id}${odd}`,
        title: odd,
        description: odd,
        message: odd,
        url: f.url && `${f.url}${odd}`,
        location: `${f.location}${odd}`,
        resultTarget: odd,
        resultType: odd,
        pkgName: f.pkgName && `${f.pkgName}${odd}`,
        pkgPath: f.pkgPath && odd,
        installedVersion: odd,
        fixedVersion: f.fixedVersion && odd,
        category: f.category && odd,
      }));
      const plan = planSarif(fixtureReport(name), findings, options('a'));
      expect(toSarifText(plan)).toBe(`${JSON.stringify(toSarif(plan))}\n`);
    }
  });

  // The action streams sarifChunks through the shared report writer (64 KiB writes).
  test.each([
    ...JSON_FIXTURES.map((name) => [name, fixtureReport(name)] as const),
    ['3,000 generated vulnerabilities', manyVulns(3000)] as const,
  ])('%s → the streamed SARIF file is JSON.stringify(toSarif) byte for byte', async (_, report) => {
    const dir = await mkdtemp(join(tmpdir(), 'sarif-'));
    temps.push(dir);
    const writer = createReportWriter(dir);
    const findings = collectFindings(report, { pathPrefix: 'sub' });
    for (const o of [options('image'), { ...options('x'), toolVersion: '0.1.0' }]) {
      const plan = planSarif(report, findings, o);
      const path = await writer.write('t.sarif', sarifChunks(plan));
      const expected = Buffer.from(`${JSON.stringify(toSarif(plan))}\n`);
      const written = await readFile(path);
      expect(written.length).toBe(expected.length);
      expect(written.equals(expected)).toBe(true); // no multi-MB diff on failure
    }
  });

  test.each<[Severity, string, string, string]>([
    ['CRITICAL', 'error', '9.5', 'critical'],
    ['HIGH', 'error', '8.0', 'high'],
    ['MEDIUM', 'warning', '5.5', 'medium'],
    ['LOW', 'note', '2.0', 'low'],
    ['UNKNOWN', 'note', '0.0', 'none'],
  ])('%s → level %s, security-severity %s (GitHub: %s)', (severity, level, score, github) => {
    expect(sarifLevel(severity)).toBe(level);
    expect(securitySeverity(severity)).toBe(score);
    expect(band(score)).toBe(github);
  });

  it('matches Trivy’s own SARIF for alpine-310 rule by rule, except the documented differences', () => {
    const ours = sarifFor('alpine-310.json.golden').runs[0];
    // Trivy's SARIF has the same shape as ours, minus automationDetails/partialFingerprints.
    const theirs = (fixtureJson('alpine-310.sarif.golden') as SarifLog)
      .runs[0] as SarifLog['runs'][number];
    const theirRules = theirs.tool.driver.rules;
    expect(ours?.tool.driver.rules.map((r) => r.id)).toEqual(theirRules.map((r) => r.id));
    expect(ours?.results).toHaveLength(theirs.results.length);
    for (const rule of ours?.tool.driver.rules ?? []) {
      const theirRule = theirRules.find((r) => r.id === rule.id) as (typeof theirRules)[number];
      expect(rule.name).toBe(theirRule.name);
      expect(rule.defaultConfiguration.level).toBe(theirRule.defaultConfiguration.level);
      expect(rule.helpUri).toBe(theirRule.helpUri);
      expect(rule.shortDescription).toEqual(theirRule.shortDescription);
      expect(rule.properties.tags).toEqual(theirRule.properties.tags);
      // Difference 1: Trivy uses the CVSS v3 score of the severity source (5.3 here); we
      // use the severity band (MEDIUM → 5.5) so the Security tab agrees with the gate.
      // Both land in GitHub's "medium" band for this report.
      expect(theirRule.properties['security-severity']).toBe('5.3');
      expect(rule.properties['security-severity']).toBe('5.5');
      expect(band(rule.properties['security-severity'] as string)).toBe(
        band(theirRule.properties['security-severity'] as string),
      );
      expect(rule.properties.cvssv3_baseScore).toBe(theirRule.properties.cvssv3_baseScore);
    }
    const key = (r: {
      ruleId: string;
      level: string;
      locations: Array<{ physicalLocation: unknown; message: unknown }>;
    }) =>
      JSON.stringify([
        r.ruleId,
        r.level,
        r.locations[0]?.physicalLocation,
        r.locations[0]?.message,
      ]);
    // Same results (rule, level, location, location message), in any order (ours are sorted
    // highest severity first), except difference 4: an image archive's OS packages are
    // located at its file name, not at its path.
    const archive = (text: string) =>
      text.replaceAll('testdata/fixtures/images/alpine-310.tar.gz', 'alpine-310.tar.gz');
    expect(ours?.results.map(key).sort()).toEqual(
      theirs.results.map((r) => archive(key(r))).sort(),
    );
    expect(ours?.results.map((r) => r.message.text).sort()).toEqual(
      theirs.results.map((r) => r.message.text).sort(),
    );
    // Difference 3: ours carry fingerprints and a per-target category; Trivy's do not.
    expect(theirs.automationDetails).toBeUndefined();
    expect(ours?.automationDetails.id).toBe('trivy-image/');
    expect(ours?.properties).toMatchObject({
      imageName: theirs.properties?.imageName,
      repoTags: theirs.properties?.repoTags,
      imageID: theirs.properties?.imageID,
    });
  });

  it('points repository findings at the file and lines Trivy names', () => {
    const secrets = sarifFor('secrets.json.golden', 'config', 'scripts').runs[0];
    expect(
      secrets?.results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation]),
    ).toEqual([
      [
        'aws-access-key-id',
        'error',
        {
          artifactLocation: { uri: 'scripts/deploy.sh', uriBaseId: 'ROOTPATH' },
          region: { startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 },
        },
      ],
      [
        'mysecret',
        'error',
        {
          artifactLocation: { uri: 'scripts/deploy.sh', uriBaseId: 'ROOTPATH' },
          region: { startLine: 7, startColumn: 1, endLine: 7, endColumn: 1 },
        },
      ],
    ]);
    const docker = sarifFor('dockerfile.json.golden', 'config').runs[0];
    expect(docker?.results[0]?.locations[0]?.physicalLocation.artifactLocation.uri).toBe(
      'Dockerfile',
    );
    // No line from Trivy → line 1, as Trivy's writer does.
    expect(docker?.results[0]?.locations[0]?.physicalLocation.region.startLine).toBe(1);
    expect(docker?.tool.driver.rules[0]?.properties['security-severity']).toBe('8.0');
  });

  it('gives stable fingerprints, distinct per finding and per target', () => {
    const a = sarifFor('debian-buster.json.golden', 'backend-demo').runs[0];
    const again = sarifFor('debian-buster.json.golden', 'backend-demo').runs[0];
    const other = sarifFor('debian-buster.json.golden', 'frontend-demo').runs[0];
    const prints = (run: typeof a) =>
      run?.results.map((r) => r.partialFingerprints[FINGERPRINT_KEY]);
    expect(prints(a)).toEqual(prints(again));
    expect(new Set(prints(a)).size).toBe(a?.results.length);
    expect(prints(a)).not.toEqual(prints(other));
    expect(a?.automationDetails.id).toBe('trivy-backend-demo/');
    expect(other?.automationDetails.id).toBe('trivy-frontend-demo/');
  });

  // Each part that tells two findings apart changes the fingerprint (gomod: the same
  // advisory and package in go.mod and submod/go.mod differ only by Result target).
  const [gomod] = collectFindings(fixtureReport('gomod.json.golden'));
  test.each([
    ['target key', {}, 'other'],
    ['kind', { kind: 'secret' as const }, 'image'],
    ['id', { id: 'GMS-2022-21' }, 'image'],
    ['location', { location: 'submod/go.mod' }, 'image'],
    ['Result target', { resultTarget: 'submod/go.mod' }, 'image'],
    ['package', { pkgName: 'github.com/docker/docker' }, 'image'],
    ['version', { installedVersion: 'v2.8.0' }, 'image'],
    ['line', { startLine: 3 }, 'image'],
  ])('the fingerprint changes with the %s', (_part, change, key) => {
    if (!gomod) throw new Error('fixture changed');
    expect(fingerprint({ ...gomod, ...change }, key)).not.toBe(fingerprint(gomod, 'image'));
  });

  it('gives each severity of one id its own rule, the highest keeping the plain id', () => {
    const report = fixtureReport('alpine-310.json.golden');
    const findings = collectFindings(report).map((f) =>
      f.id === 'CVE-2019-1549' && f.pkgName === 'libssl1.1'
        ? { ...f, severity: 'LOW' as const }
        : f,
    );
    const run = toSarif(planSarif(report, findings, options('a'))).runs[0];
    expect(run?.tool.driver.rules.map((r) => [r.id, r.properties['security-severity']])).toEqual([
      ['CVE-2019-1549', '5.5'],
      ['CVE-2019-1551', '5.5'],
      ['CVE-2019-1549/LOW', '2.0'],
    ]);
  });

  it('stops at GitHub’s limits on results and rules, highest severity first', () => {
    const report = manyVulns(50);
    const findings = collectFindings(report).map((f, i) => ({
      ...f,
      severity: (['LOW', 'CRITICAL'] as const)[i % 2] as Severity,
    }));
    const byResults = planSarif(report, findings, {
      ...options('a'),
      limits: { resultsPerRun: 30, rulesPerRun: 100 },
    });
    expect(byResults.fits).toBe(30);
    const run = toSarif(byResults).runs[0];
    expect(run?.results.slice(0, 25).every((r) => r.level === 'error')).toBe(true);
    expect(run?.tool.driver.rules).toHaveLength(30);
    const byRules = planSarif(report, findings, {
      ...options('a'),
      limits: { resultsPerRun: 100, rulesPerRun: 10 },
    });
    expect(byRules.fits).toBe(10);
    expect(toSarif(byRules).runs[0]?.tool.driver.rules).toHaveLength(10);
  });

  it('orders results highest severity first and keeps every severity', () => {
    const run = sarifFor('debian-buster.json.golden').runs[0];
    expect(run?.results.map((r) => r.level)).toEqual(['error', 'note']);
    expect(run?.tool.driver.rules.map((r) => r.properties['security-severity'])).toEqual([
      '9.5',
      '2.0',
    ]);
  });
});
