import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, test } from 'vitest';
import { createReportWriter } from '../../shared/src/reports.ts';
import { omittedNotice, PER_STEP_LIMIT, planAnnotations } from '../src/annotations.ts';
import { evaluate, type Outcome } from '../src/evaluate.ts';
import { collectFindings } from '../src/findings.ts';
import { identity, slugify } from '../src/identity.ts';
import { parseIgnoreFile } from '../src/ignore.ts';
import { render, type SarifTarget, tableFiles } from '../src/render.ts';
import type { TrivyReport } from '../src/report.ts';
import { planSarif, toSarif } from '../src/sarif.ts';
import { writeSarif } from '../src/sarif-file.ts';
import { renderTable, tableChunks, toTable } from '../src/table.ts';
import { fixtureReport, fixtureText, JSON_FIXTURES } from './helpers.ts';

const policy = { severities: ['CRITICAL', 'HIGH'] as const, ignoreUnfixed: false };
const NOW = new Date('2026-11-26T00:00:00Z');
const renderOptions = {
  reportsDir: 'security/reports',
  policy: { ...policy, severities: [...policy.severities] },
  enforced: true,
  notes: [],
  reservedNotices: 0,
};

const temps: string[] = [];

/** A target as the pipeline makes it: its key from its name. */
const target = (name: string, report: TrivyReport, pathPrefix?: string) => ({
  name,
  identity: identity(slugify(name)),
  report,
  ...(pathPrefix !== undefined ? { pathPrefix } : {}),
});

/** SARIF plans as the pipeline makes them, all results written. */
function sarifOf(outcome: Outcome): SarifTarget[] {
  return outcome.targets.map((t) => {
    const plan = planSarif(t.report, t.findings, {
      key: t.identity.key,
      category: t.identity.category,
    });
    return {
      target: t,
      plan,
      written: { path: '', results: plan.fits, gzippedBytes: undefined, cut: 'none' },
    };
  });
}
const renderAll = (outcome: Outcome) => render(outcome, sarifOf(outcome), renderOptions);
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** A repository report with `n` misconfigurations per severity, generated from the Dockerfile fixture. */
function manyMisconfigs(perSeverity: number): TrivyReport {
  const base = fixtureReport('dockerfile.json.golden');
  const template = base.Results[0]?.Misconfigurations[0];
  if (!template) throw new Error('fixture changed');
  const misconfigs = (['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'] as const).flatMap((severity) =>
    Array.from({ length: perSeverity }, (_, i) => ({
      ...template,
      ID: `DS-${severity}-${i}`,
      Severity: severity,
      CauseMetadata: { StartLine: i + 1, EndLine: i + 1 },
    })),
  );
  return {
    ...base,
    Results: [
      { ...(base.Results[0] as TrivyReport['Results'][number]), Misconfigurations: misconfigs },
    ],
  };
}

describe('table report', () => {
  it('uses the column layout and Total line of Trivy’s own table output', () => {
    const trivyTable = fixtureText('image-scan.table.txt');
    const ours = toTable(
      fixtureReport('alpine-310.json.golden'),
      collectFindings(fixtureReport('alpine-310.json.golden')),
    );
    const header = (text: string) =>
      text
        .split('\n')
        .find((l) => l.includes('Library'))
        ?.split('│')
        .map((c) => c.trim())
        .filter(Boolean);
    expect(header(ours)).toEqual(header(trivyTable));
    expect(trivyTable).toMatch(/^Total: \d+ \(CRITICAL: \d+\)$/m);
    expect(ours).toContain('Total: 4 (UNKNOWN: 0, LOW: 0, MEDIUM: 4, HIGH: 0, CRITICAL: 0)');
    expect(ours).toContain('Report Summary');
    expect(ours).toContain(
      '│ libcrypto1.1 │ CVE-2019-1549 │ MEDIUM   │ fixed  │ 1.1.1c-r0         │ 1.1.1d-r0     │',
    );
  });

  test.each(JSON_FIXTURES)('%s renders every finding', (name) => {
    const report = fixtureReport(name);
    const findings = collectFindings(report);
    const table = toTable(report, findings);
    for (const f of findings) expect(table).toContain(f.id);
  });

  test.each(JSON_FIXTURES)('%s: tableChunks joined is toTable', (name) => {
    const report = fixtureReport(name);
    const findings = collectFindings(report);
    expect([...tableChunks(report, findings)].join('')).toBe(toTable(report, findings));
  });

  it('wraps long cells and keeps the box aligned', () => {
    const table = renderTable(['A', 'Title'], [['x', 'one two three four five']], [undefined, 9]);
    const widths = new Set(table.split('\n').map((l) => l.length));
    expect(widths.size).toBe(1);
    expect(table).toContain('│ x │ one two   │');
    expect(table).toContain('│   │ three     │');
  });
});

describe('annotations', () => {
  it('keeps within 10 errors, 10 warnings, 10 notices per step, highest first, and counts the rest', () => {
    const findings = collectFindings(manyMisconfigs(15));
    const plan = planAnnotations(findings, { reservedNotices: 2 });
    const count = (level: string) => plan.annotations.filter((a) => a.level === level).length;
    expect(count('error')).toBe(PER_STEP_LIMIT.error);
    expect(count('warning')).toBe(PER_STEP_LIMIT.warning);
    expect(count('notice')).toBe(PER_STEP_LIMIT.notice - 2);
    expect(plan.annotations[0]).toMatchObject({
      level: 'error',
      file: 'Dockerfile',
      startLine: 1,
      endLine: 1,
      title: expect.stringMatching(/^CRITICAL DS-CRITICAL-0/),
    });
    // 10 errors are all CRITICAL: HIGH ones are the first to be left out.
    expect(
      plan.annotations
        .filter((a) => a.level === 'error')
        .every((a) => a.title.startsWith('CRITICAL')),
    ).toBe(true);
    expect(plan.omitted).toBe(60 - 10 - 10 - 8);
    const withGate = planAnnotations(findings, { reservedNotices: 1, reservedErrors: 1 });
    expect(withGate.annotations.filter((a) => a.level === 'error')).toHaveLength(9);
    expect(omittedNotice(plan.omitted, 3)?.message).toMatch(
      /^32 more findings in repository files are not annotated .*; 3 findings have no line in a repository file/,
    );
  });

  it('annotates secrets and misconfigurations on their lines, never image vulnerabilities', () => {
    const targets = [
      target('backend-demo:dev', fixtureReport('debian-buster.json.golden')),
      target('config', fixtureReport('secrets.json.golden'), 'scripts'),
    ];
    const rendered = renderAll(evaluate(targets, undefined, renderOptions.policy, NOW));
    expect(rendered.annotations).toEqual([
      expect.objectContaining({
        level: 'error',
        file: 'scripts/deploy.sh',
        startLine: 3,
        endLine: 3,
        title: 'CRITICAL aws-access-key-id: AWS Access Key ID',
      }),
      expect.objectContaining({
        level: 'error',
        file: 'scripts/deploy.sh',
        startLine: 7,
        endLine: 7,
      }),
      expect.objectContaining({
        level: 'notice',
        message: expect.stringContaining('2 findings have no line in a repository file'),
      }),
    ]);
  });
});

describe('evaluate + render', () => {
  it('gates on the policy while counts, SARIF and reports keep every severity', () => {
    const targets = JSON_FIXTURES.map((name) => target(name, fixtureReport(name)));
    const outcome = evaluate(targets, undefined, renderOptions.policy, NOW);
    expect(outcome.total).toMatchObject({
      CRITICAL: 2,
      HIGH: 2,
      MEDIUM: 5,
      LOW: 1,
      UNKNOWN: 0,
      total: 10,
      gating: 4,
    });
    expect(outcome.gate).toBe('fail');
    const rendered = renderAll(outcome);
    expect(rendered.counts).toEqual({
      critical: 2,
      high: 2,
      medium: 5,
      low: 1,
      unknown: 0,
      total: 10,
      gating: 4,
      ignored: 0,
    });
    expect(rendered.sarifFiles).toEqual(
      targets.map((t) => `security/reports/trivy-${slugify(t.name)}.sarif`),
    );
    expect(tableFiles(outcome).map((f) => f.name)).toContain(
      'trivy-alpine-310.json.golden-report.txt',
    );
    expect(rendered.files.map((f) => f.name)).toEqual(['trivy-summary.md', 'trivy-counts.json']);
    expect(rendered.summary).toContain(
      '| alpine-310.json.golden | `security/reports/trivy-alpine-310.json.golden.sarif` | trivy-alpine-310.json.golden | 4 |',
    );
    expect(rendered.summary).toMatch(
      /^## Trivy scan: ❌ gate failed: 4 findings at CRITICAL, HIGH/,
    );
  });

  // The table and the SARIF are streamed through the report writer: the files must be the
  // same bytes as toTable and JSON.stringify(toSarif), for small reports and ones of many writes.
  it('writes the table and SARIF files streamed, byte for byte toTable and JSON.stringify(toSarif)', async () => {
    const targets = [
      ...JSON_FIXTURES.map((name) => target(name, fixtureReport(name))),
      target('config', manyMisconfigs(400), 'repo'),
    ];
    const ignoreFile = parseIgnoreFile(
      'misconfigurations:\n  - id: DS-LOW-3\n    statement: Ignored to put an Ignored table in the report.\n',
      'security/.trivyignore.yaml',
    );
    const outcome = evaluate(targets, ignoreFile, renderOptions.policy, NOW);
    const dir = await mkdtemp(join(tmpdir(), 'trivy-out-'));
    temps.push(dir);
    const writer = createReportWriter(dir);
    const sarif: SarifTarget[] = [];
    for (const s of sarifOf(outcome)) {
      sarif.push({ ...s, written: await writeSarif(writer, s.target.identity.sarifFile, s.plan) });
    }
    const rendered = render(outcome, sarif, renderOptions);
    for (const file of [...tableFiles(outcome), ...rendered.files]) {
      await writer.write(file.name, file.content());
    }
    for (const [i, t] of outcome.targets.entries()) {
      const table = await readFile(join(dir, t.identity.tableFile), 'utf8');
      expect(table).toBe(toTable(t.report, t.findings, t.ignored));
      const text = await readFile(join(dir, t.identity.sarifFile), 'utf8');
      expect(text).toBe(`${JSON.stringify(toSarif((sarif[i] as SarifTarget).plan))}\n`);
    }
    const config = outcome.targets.at(-1);
    expect(config?.ignored).toHaveLength(1);
    expect((await readFile(join(dir, 'trivy-config-report.txt'))).length).toBeGreaterThan(200_000);
  });

  it('passes when only lower severities remain, and with ignore-unfixed skips unfixed vulnerabilities', () => {
    const debian = [target('debian', fixtureReport('debian-buster.json.golden'))];
    const low = evaluate(debian, undefined, { severities: ['LOW'], ignoreUnfixed: true }, NOW);
    // The LOW bash finding has no fix ("affected"): with ignore-unfixed it does not gate.
    expect(low.total).toMatchObject({ LOW: 1, gating: 0 });
    expect(low.gate).toBe('pass');
    const ignoreFile = parseIgnoreFile(
      'vulnerabilities:\n  - id: CVE-2019-18224\n    statement: libidn2 is not reachable from our code.\n',
      'security/.trivyignore.yaml',
    );
    const ignored = evaluate(debian, ignoreFile, renderOptions.policy, NOW);
    expect(ignored.gate).toBe('pass');
    expect(ignored.total).toMatchObject({ CRITICAL: 0, LOW: 1, ignored: 1 });
    const summary = renderAll(ignored).summary;
    expect(summary).toContain('libidn2 is not reachable from our code.');
    expect(summary).toMatch(/✅ gate passed/);
  });

  it('leaves room in the 10 warnings per step for the SARIF notes it logs as warnings', () => {
    const outcome = evaluate(
      [target('config', manyMisconfigs(15), '')],
      undefined,
      renderOptions.policy,
      NOW,
    );
    // As if GitHub's limits had cut the SARIF: one note, logged as a warning by the pipeline.
    const sarif = sarifOf(outcome).map((s) => ({ ...s, written: { ...s.written, results: 10 } }));
    const rendered = render(outcome, sarif, renderOptions);
    expect(rendered.sarifNotes).toHaveLength(1);
    expect(rendered.sarifNotes[0]).toMatch(/^50 of 60 findings are not in trivy-config\.sarif/);
    expect(rendered.annotations.filter((a) => a.level === 'warning')).toHaveLength(9);
  });

  it('keeps the summary small for huge reports', () => {
    const report = manyMisconfigs(500);
    const rendered = renderAll(
      evaluate([target('config', report)], undefined, renderOptions.policy, NOW),
    );
    expect(rendered.summary).toContain('(highest 50 of 2000; all in the SARIF and table reports)');
    expect(rendered.summary.length).toBeLessThan(64 * 1024);
  });
});
