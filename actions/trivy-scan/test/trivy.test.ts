import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, which } from '../../../test/support/tools.ts';
import { createExec } from '../../shared/src/exec.ts';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { recordingLog } from '../../shared/src/log.ts';
import { runAction } from '../../tools/local-runner.ts';
import { parseInputs } from '../src/inputs.ts';
import { runTrivyScan, type ScanDeps } from '../src/pipeline.ts';
import { REPO_ROOT, sarifCollector, validateSarif } from './helpers.ts';

/**
 * Real Trivy (misconfig and secret scanners work offline) on a repository made here: a
 * deliberately bad Dockerfile, a compose file and a script with a fake AWS key. The key
 * is assembled at run time so no committed file holds one, and it has no "example" in it:
 * Trivy's built-in allow rules skip matches containing "example" (AKIA...EXAMPLE is not
 * reported), and paths with /test in them.
 */
const FAKE_AWS_KEY = ['AKIA', 'TRIVYSCANFIXTURE'].join('');
const BAD_DOCKERFILE = [
  'FROM node:22',
  'ADD app.tar.gz /app/',
  'RUN apt-get update && apt-get install -y curl',
  'CMD ["node", "/app/server.js"]',
  '',
].join('\n');
const COMPOSE = ['services:', '  api:', '    build: .', '    privileged: true', ''].join('\n');
const DEPLOY = [
  '#!/bin/sh',
  'set -eu',
  `export AWS_ACCESS_KEY_ID=${FAKE_AWS_KEY}`,
  'exec ./run',
  '',
].join('\n');

let repo: string;
const trivyPath = () => which('trivy') as string;
const deps = (workspace: string): ScanDeps => ({
  env: { GITHUB_WORKSPACE: workspace, RUNNER_TEMP: tmpdir() },
  exec: createExec(),
  toolCache: {
    find: async () => '',
    downloadTool: async () => {
      throw new Error('no download: trivy-path is set');
    },
    extractTar: async () => '',
    cacheDir: async () => '',
  },
  dbCache: { restore: async () => undefined, save: async () => {} },
  log: recordingLog(),
  now: () => new Date(),
});

describeWithTools(['trivy'], 'real Trivy, offline scanners', () => {
  beforeAll(async () => {
    repo = await mkdtemp(join(tmpdir(), 'trivy-real-'));
    await mkdir(join(repo, 'svc'));
    await writeFile(join(repo, 'svc/Dockerfile'), BAD_DOCKERFILE);
    await writeFile(join(repo, 'docker-compose.yml'), COMPOSE);
    await writeFile(join(repo, 'svc/deploy.sh'), DEPLOY);
  });
  const sarifs = sarifCollector();
  afterAll(async () => {
    await sarifs.addUnder(repo);
    await rm(repo, { recursive: true, force: true });
    expect(await sarifs.check()).toEqual([]);
  }, 120_000);

  it('finds the bad Dockerfile and the secret, on their files and lines', async () => {
    const inputs = parseInputs(
      objectInputSource({
        'scan-config': 'true',
        'trivy-path': trivyPath(),
        'fail-on-findings': 'false',
      }),
    );
    const result = await runTrivyScan(inputs, deps(repo));
    const findings = result.outcome.targets[0]?.findings ?? [];
    const ids = findings.map((f) => `${f.id}@${f.file}:${f.startLine ?? '-'}`);
    console.log(`real Trivy config scan: ${ids.join(', ')}`);
    expect(ids).toContain('aws-access-key-id@svc/deploy.sh:3');
    // Root user (no USER line): DS-0002, a file-level finding.
    expect(findings.some((f) => f.id === 'DS-0002' && f.file === 'svc/Dockerfile')).toBe(true);
    // apt-get install without --no-install-recommends, on its line.
    expect(
      findings.some((f) => f.id === 'DS-0029' && f.file === 'svc/Dockerfile' && f.startLine === 3),
    ).toBe(true);
    expect(result.outcome.gate).toBe('fail');
    const sarifPath = result.rendered.sarifFiles[0] as string;
    const sarif = JSON.parse(await readFile(join(repo, sarifPath), 'utf8'));
    expect(validateSarif(sarif)).toEqual([]);
    expect(sarif.runs[0].automationDetails.id).toBe('trivy-config/');
    const secret = sarif.runs[0].results.find(
      (r: { ruleId: string }) => r.ruleId === 'aws-access-key-id',
    );
    expect(secret.locations[0].physicalLocation).toMatchObject({
      artifactLocation: { uri: 'svc/deploy.sh', uriBaseId: 'ROOTPATH' },
      region: { startLine: 3, endLine: 3 },
    });
    // Trivy masks the key; no output file holds it.
    for (const file of result.written)
      expect(await readFile(file, 'utf8')).not.toContain(FAKE_AWS_KEY);
  }, 180_000);

  it('surfaces Trivy’s own error for an image archive that does not exist', async () => {
    const inputs = parseInputs(
      objectInputSource({
        images: 'missing-image.tar',
        'trivy-path': trivyPath(),
        'skip-db-update': 'true',
        'cache-dir': join(repo, '.cache'),
      }),
    );
    await expect(runTrivyScan(inputs, deps(repo))).rejects.toThrow(
      /Trivy could not scan image "missing-image\.tar" \(exit 1\): \S+\s+FATAL\s.*missing-image\.tar: no such file or directory/s,
    );
  }, 180_000);

  it('scans our own Dockerfiles (backend/, frontend/)', async () => {
    const out = await mkdtemp(join(tmpdir(), 'trivy-own-'));
    try {
      for (const dir of ['backend', 'frontend']) {
        const inputs = parseInputs(
          objectInputSource({
            'scan-config': 'true',
            'config-path': dir,
            'trivy-path': trivyPath(),
            'reports-dir': join(out, dir),
            'fail-on-findings': 'false',
          }),
        );
        const result = await runTrivyScan(inputs, deps(REPO_ROOT));
        const findings = result.outcome.targets[0]?.findings ?? [];
        console.log(
          `${dir}: ${findings.map((f) => `${f.severity} ${f.id} ${f.file}:${f.startLine ?? '-'}`).join('; ') || 'no findings'}`,
        );
        for (const f of findings) expect(f.file?.startsWith(`${dir}/`)).toBe(true);
        // Our images run as non-root and copy, not add: no HIGH/CRITICAL misconfiguration.
        expect(
          findings.filter(
            (f) =>
              f.kind === 'misconfiguration' && (f.severity === 'HIGH' || f.severity === 'CRITICAL'),
          ),
        ).toEqual([]);
        expect(findings.filter((f) => f.kind === 'secret')).toEqual([]);
      }
    } finally {
      await sarifs.addUnder(out);
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);

  it('passes its own gate on this repository, with the reasons in security/.trivyignore.yaml', async () => {
    const out = await mkdtemp(join(tmpdir(), 'trivy-repo-'));
    try {
      const inputs = parseInputs(
        objectInputSource({
          'scan-config': 'true',
          'trivy-path': trivyPath(),
          'reports-dir': out,
          'fail-on-findings': 'false',
        }),
      );
      const result = await runTrivyScan(inputs, deps(REPO_ROOT));
      const target = result.outcome.targets[0];
      console.log(
        `repository config scan: ${target?.findings.map((f) => `${f.severity} ${f.id} ${f.file}`).join('; ') || 'no findings'}; ignored: ${target?.ignored.map((i) => `${i.finding.id} ${i.finding.file} (${i.by.where})`).join('; ') || 'none'}`,
      );
      expect(result.outcome.gate).toBe('pass');
      // Every entry of the ignore file is used (Trivy reports what it suppressed).
      expect(result.outcome.unused).toEqual([]);
    } finally {
      await sarifs.addUnder(out);
      await rm(out, { recursive: true, force: true });
    }
  }, 300_000);

  it('runs end to end as the bundled action through the local runner', async () => {
    const result = await runAction({
      action: 'trivy-scan',
      workspace: repo,
      inputs: { 'scan-config': 'true', 'trivy-path': trivyPath(), 'reports-dir': 'out' },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs.gate).toBe('fail');
    expect(JSON.parse(result.outputs.counts ?? '{}')).toMatchObject({ critical: 1 });
    expect(result.outputs['sarif-upload']).toBe('upload');
    expect(result.outputs.sarif).toBe(join(repo, 'out/trivy-config.sarif'));
    // The runner's parsed annotations carry no properties: read the workflow commands.
    expect(result.stdout).toMatch(
      /^::error title=CRITICAL aws-access-key-id%3A [^:]*,file=svc\/deploy\.sh,line=3,endLine=3::/m,
    );
    expect(result.annotations.filter((a) => a.level === 'error').length).toBeGreaterThan(1);
    expect(result.summary).toMatch(/## Trivy scan: ❌ gate failed/);
    expect(result.stdout).toMatch(/::error::Trivy gate failed: \d+ finding\(s\) at CRITICAL, HIGH/);
  }, 180_000);
});
