import { describe, expect, it, test } from 'vitest';
import { collectFindings } from '../src/findings.ts';
import { countFindings } from '../src/gate.ts';
import { parseReport, ReportError, trivyReportSchema } from '../src/report.ts';
import { decodeText } from '../src/text-file.ts';
import {
  ALL_JSON_FIXTURES,
  fixtureJson,
  fixtureReport,
  fixtureText,
  walkCounts,
} from './helpers.ts';

const policy = { severities: ['HIGH', 'CRITICAL'] as const, ignoreUnfixed: false };

// Reports are read as bytes and decoded by decodeText (Latin-1 when all ASCII): always the
// string toString('utf8') makes, for any bytes, a BOM and broken UTF-8 included.
test.each([
  ['empty', Buffer.alloc(0)],
  ['ASCII JSON', Buffer.from('{"SchemaVersion":2,"ArtifactName":"a"}')],
  ['ASCII with controls and DEL', Buffer.from('a\tb\u0000c\u007f')],
  ['UTF-8 with accents and an emoji', Buffer.from('naïve “quoted” 🔒')],
  ['a byte order mark', Buffer.from('\uFEFF{"SchemaVersion":2}')],
  ['Latin-1 bytes that are not UTF-8', Buffer.from([0x61, 0xe9, 0xff, 0x62])],
  ['a UTF-8 sequence cut short', Buffer.from([0x61, 0xe2, 0x82])],
])('decodeText(%s) is toString("utf8")', (_, bytes) => {
  expect(decodeText(bytes)).toBe(bytes.toString('utf8'));
});

test.each(ALL_JSON_FIXTURES)('decodeText of %s is toString("utf8")', (name) => {
  const bytes = Buffer.from(fixtureText(name));
  expect(decodeText(bytes)).toBe(bytes.toString('utf8'));
});

describe('parseReport on the real Trivy fixtures', () => {
  test.each(ALL_JSON_FIXTURES)('%s parses and its counts agree with the JSON', (name) => {
    const report = fixtureReport(name);
    const counts = countFindings(collectFindings(report), {
      ...policy,
      severities: [...policy.severities],
    });
    const walked = walkCounts(fixtureJson(name));
    expect({
      CRITICAL: counts.CRITICAL,
      HIGH: counts.HIGH,
      MEDIUM: counts.MEDIUM,
      LOW: counts.LOW,
      UNKNOWN: counts.UNKNOWN,
    }).toEqual(walked);
    expect(counts.total).toBe(Object.values(walked).reduce((a, b) => a + b, 0));
    expect(counts.total).toBeGreaterThan(0);
  });

  it('reads file and line of misconfigurations and secrets from repository scans', () => {
    const secrets = collectFindings(fixtureReport('secrets.json.golden'), { pathPrefix: 'deploy' });
    expect(secrets.map((f) => [f.id, f.file, f.startLine, f.endLine])).toEqual([
      ['aws-access-key-id', 'deploy/deploy.sh', 3, 3],
      ['mysecret', 'deploy/deploy.sh', 7, 7],
    ]);
    // Trivy masks the secret in Match; the finding carries only that.
    expect(secrets[0]?.message).toContain('********************');
    const [ds002] = collectFindings(fixtureReport('dockerfile.json.golden'));
    // This check has no line (CauseMetadata has none): file-level.
    expect(ds002).toMatchObject({
      kind: 'misconfiguration',
      id: 'DS-0002',
      file: 'Dockerfile',
      startLine: undefined,
    });
  });

  // parseReport checks the finding lists by hand (zod over 10,000 findings is slow): it
  // must read every fixture exactly as the zod schema does.
  test.each(ALL_JSON_FIXTURES)('%s: the fast path agrees with the zod schema', (name) => {
    expect(fixtureReport(name)).toEqual(trivyReportSchema.parse(fixtureJson(name)));
  });

  it('has no file for image findings (they are not repository files)', () => {
    for (const f of collectFindings(fixtureReport('alpine-310.json.golden'))) {
      expect(f.file).toBeUndefined();
      expect(f.resultClass).toBe('os-pkgs');
    }
  });
});

describe('parseReport refuses what is not a Trivy report, naming the problem', () => {
  const alpine = fixtureText('alpine-310.json.golden');
  test.each([
    ['an empty file', '', /report\.json: the report is empty/],
    ['whitespace only', '  \n', /the report is empty/],
    [
      'truncated JSON',
      alpine.slice(0, Math.floor(alpine.length / 2)),
      /^report\.json: not valid JSON: it ends in the middle of a value, so the file is corrupt or was cut short$/,
    ],
    [
      'JSON broken in the middle',
      '{\n  "SchemaVersion": 2,\n  "ArtifactName": "x",,\n  "Results": []\n}',
      /^report\.json: not valid JSON at line 3, column 23: the file is corrupt or was cut short$/,
    ],
    [
      'a text file (never quoted)',
      'root:x:0:0:root:/root:/bin/bash\n',
      /^report\.json: not JSON \(it does not start with \{ or \[\): not a Trivy JSON report$/,
    ],
    [
      'an old-format report (Trivy before 0.20)',
      fixtureText('alpine-310-registry.v0.19.json.golden'),
      /an old-format Trivy report \(a JSON array of results, written by Trivy before 0\.20\): scan again with Trivy 0\.20 or later/,
    ],
    ['a JSON array', '[]', /expected a Trivy JSON report \(an object\), got an array/],
    ['JSON null', 'null', /got null/],
    [
      'SARIF instead of JSON',
      fixtureText('alpine-310.sarif.golden'),
      /no "SchemaVersion" field \(this looks like SARIF/,
    ],
    [
      "another tool's JSON",
      '{"name":"x","dependencies":{}}',
      /not a Trivy JSON report: no "SchemaVersion"/,
    ],
    ['an old schema', '{"SchemaVersion":1,"ArtifactName":"x"}', /SchemaVersion: .*2/],
    [
      'a vulnerability without an id',
      JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: 'x',
        Results: [{ Target: 't', Vulnerabilities: [{ PkgName: 'p', Severity: 'HIGH' }] }],
      }),
      /Results\[0\]\.Vulnerabilities\[0\]\.VulnerabilityID/,
    ],
    [
      'a secret line that is not a number',
      JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: 'x',
        Results: [
          { Target: 't', Secrets: [{ RuleID: 'r', Severity: 'HIGH', StartLine: 1 }] },
          { Target: 'u', Secrets: [{ RuleID: 'r', Severity: 'HIGH', StartLine: '3' }] },
        ],
      }),
      /Results\[1\]\.Secrets\[0\]\.StartLine: .*number/,
    ],
    [
      'a misconfiguration list that is not a list',
      JSON.stringify({
        SchemaVersion: 2,
        ArtifactName: 'x',
        Results: [{ Target: 't', Misconfigurations: { ID: 'DS-1' } }],
      }),
      /Results\[0\]\.Misconfigurations: /,
    ],
  ])('%s', (_label, text, message) => {
    expect(() => parseReport(text, 'report.json')).toThrow(ReportError);
    expect(() => parseReport(text, 'report.json')).toThrow(message);
  });

  it('accepts a UTF-8 byte order mark before the JSON', () => {
    const text = fixtureText('alpine-310.json.golden');
    expect(parseReport(`\uFEFF${text}`, 'bom.json')).toEqual(parseReport(text, 'plain.json'));
  });

  it('reads licenses: package licenses from lock files and SBOMs', () => {
    const npm = collectFindings(fixtureReport('license-npm.json.golden'), { pathPrefix: 'app' });
    expect(npm.map((f) => [f.kind, f.id, f.pkgName, f.category, f.severity, f.file])).toEqual([
      [
        'license',
        '(Apache-2.0 AND BSD-3-Clause)',
        '@bufbuild/protobuf',
        'notice',
        'LOW',
        'app/package-lock.json',
      ],
      ['license', 'MPL-2.0', 'lightningcss', 'reciprocal', 'MEDIUM', 'app/package-lock.json'],
      ['license', 'ISC', 'yaml', 'notice', 'LOW', 'app/package-lock.json'],
    ]);
    const sbom = collectFindings(fixtureReport('license-cyclonedx.json.golden'));
    // An SBOM is no repository scan: the license is at Trivy's target (`Java`).
    expect(sbom.map((f) => [f.id, f.file, f.location])).toEqual([
      ['EPL-1.0', undefined, 'Java'],
      ['BSD-3-Clause', undefined, 'Java'],
      ['MIT License', undefined, 'Java'],
    ]);
  });

  it('accepts a clean scan with no Results (Trivy omits the field)', () => {
    const report = parseReport('{"SchemaVersion":2,"ArtifactName":"clean:1"}', 'clean.json');
    expect(collectFindings(report)).toEqual([]);
  });
});
