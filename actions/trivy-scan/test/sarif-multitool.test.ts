import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNeeding } from '../../../test/support/tools.ts';
import { collectFindings, type Finding } from '../src/findings.ts';
import { parseReport, reportHeader, type TrivyReport } from '../src/report.ts';
import { planSarif, type SarifLog, toSarif, toSarifText } from '../src/sarif.ts';
import { ALL_JSON_FIXTURES, fixtureReport, multitool, multitoolErrors } from './helpers.ts';

/**
 * Microsoft's SARIF multitool on what the action writes: GitHub's ingestion rules
 * (`--rule-kind Gh`: GH1xxx, GH2xxx, the required properties GitHub checks) and the SARIF
 * rules (SARIF1004 relative URIs and the rest). The size limits are not its business:
 * security-tab.test.ts checks those. The other test files that write SARIF check theirs
 * through the same helper (sarifCollector).
 */
const tool = multitool();
const missing = 'missing' in tool ? tool.missing : undefined;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'multitool-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const options = { key: 'target', category: 'trivy-target' };

/**
 * Every shape at once, made from the real fixtures: all four kinds, licenses of packages
 * and of an SBOM, titles Trivy left empty, locations that are not relative references as
 * Trivy writes them (a file in a chart archive, a registry with a port, absolute paths,
 * spaces, non-ASCII), one advisory at two severities, UNKNOWN, no URL, Markdown table
 * characters and newlines in descriptions.
 */
function worstCase(): { report: TrivyReport; findings: Finding[] } {
  const alpine = fixtureReport('alpine-310.json.golden');
  const os = alpine.Results[0] as TrivyReport['Results'][number];
  const [v] = os.Vulnerabilities;
  if (!v) throw new Error('fixture changed');
  const odd: TrivyReport = {
    ...alpine,
    ArtifactName: '/home/runner/work/_temp/images/odd image.tar',
    Results: [
      {
        ...os,
        Target: '/home/runner/work/_temp/images/odd image.tar (alpine 3.10.2)',
        Vulnerabilities: [
          ...os.Vulnerabilities,
          { ...v, PkgName: 'libssl1.1', Severity: 'LOW' },
          {
            ...v,
            VulnerabilityID: 'X|1',
            Title: 'a | b',
            Description: 'line 1\n| --- |\nline 3',
            PrimaryURL: undefined,
          },
          { ...v, VulnerabilityID: 'UNK', Severity: 'UNKNOWN', Title: '', Description: '' },
          { ...v, VulnerabilityID: 'PATH', PkgPath: '/usr/lib/ünï/名前 x/package.json' },
        ],
      },
    ],
  };
  const secrets = fixtureReport('secrets.json.golden');
  const repo: TrivyReport = {
    ...secrets,
    Results: secrets.Results.map((r) => ({ ...r, Target: '/abs/ünï/名前 x.sh' })),
  };
  const reports = [...ALL_JSON_FIXTURES.map((name) => fixtureReport(name)), odd, repo];
  const findings = reports.flatMap((r) => collectFindings(r, { pathPrefix: 'sub dir' }));
  return { report: alpine, findings };
}

describeNeeding(missing, 'SARIF multitool', () => {
  it('catches what GitHub rejects: a scheme-like URI, an absolute path, an empty rule description', async () => {
    const report = fixtureReport('gomod.json.golden');
    const sarif = toSarif(planSarif(report, collectFindings(report), options)) as SarifLog;
    const run = sarif.runs[0] as SarifLog['runs'][number];
    const [a, b] = run.results.map((r) => r.locations[0]?.physicalLocation.artifactLocation);
    if (!a || !b || !run.tool.driver.rules[0]) throw new Error('fixture changed');
    a.uri = 'localhost:5000/alpine';
    b.uri = '/home/runner/work/_temp/x.tar';
    run.tool.driver.rules[0].shortDescription.text = '';
    const errors = await multitoolErrors([await write('broken.sarif', JSON.stringify(sarif))]);
    expect(errors.map((e) => e.replace(/^[^:]+: /, '').split(' ')[0]).sort()).toEqual([
      'GH2012',
      'SARIF1004',
      'SARIF1004',
    ]);
  }, 60_000);

  it('finds 0 errors in the SARIF of every fixture, the worst case and a cut file', async () => {
    const files: string[] = [];
    for (const name of ALL_JSON_FIXTURES) {
      const report = fixtureReport(name);
      const plan = planSarif(report, collectFindings(report), options);
      files.push(await write(`${name}.sarif`, toSarifText(plan)));
    }
    const worst = worstCase();
    const plan = planSarif(reportHeader(worst.report), worst.findings, options);
    files.push(await write('worst-case.sarif', toSarifText(plan)));
    // What GitHub's limits leave of it: a prefix of results and the rules they use.
    files.push(await write('worst-case-cut.sarif', toSarifText(plan, 7)));
    const empty = parseReport('{"SchemaVersion":2,"ArtifactName":"clean:1"}', 'clean.json');
    files.push(await write('clean.sarif', toSarifText(planSarif(empty, [], options))));
    expect(await multitoolErrors(files)).toEqual([]);
  }, 120_000);
});
