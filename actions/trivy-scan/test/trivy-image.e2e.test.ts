import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, which } from '../../../test/support/tools.ts';
import { runAction } from '../../tools/local-runner.ts';
import { validateSarif } from './helpers.ts';

/**
 * The action on a real image built here. No registry is reachable, so the image is
 * built FROM scratch, saved with `docker save` and scanned with `trivy image --input`.
 * No vulnerability DB is reachable either: the action runs with skip-db-update, scans
 * for misconfigurations and secrets only, and must say so.
 */
const IMAGE = `trivy-scan-e2e:${process.pid}`;
const FAKE_AWS_KEY = ['AKIA', 'TRIVYSCANFIXTURE'].join('');
let dir: string;

describeWithTools(
  ['docker', 'trivy'],
  'trivy-scan on a locally built image (docker save + --input)',
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'trivy-e2e-'));
      await writeFile(
        join(dir, 'Dockerfile'),
        'FROM scratch\nCOPY config.env /app/config.env\nCMD ["/app/run"]\n',
      );
      await writeFile(join(dir, 'config.env'), `AWS_ACCESS_KEY_ID=${FAKE_AWS_KEY}\n`);
      execFileSync('docker', ['build', '-q', '-t', IMAGE, dir], {
        env: { ...process.env, DOCKER_BUILDKIT: '0' },
      });
      execFileSync('docker', ['save', '-o', join(dir, 'image.tar'), IMAGE]);
    }, 300_000);

    afterAll(async () => {
      try {
        execFileSync('docker', ['rmi', '-f', IMAGE], { stdio: 'ignore' });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });

    it('finds the secret in the image, says no vulnerability DB is reachable, and gates', async () => {
      console.log(
        'No vulnerability DB is reachable on this machine: scanning with --skip-db-update --scanners misconfig,secret.',
      );
      const result = await runAction({
        action: 'trivy-scan',
        workspace: dir,
        inputs: {
          images: join(dir, 'image.tar'),
          'trivy-path': which('trivy') as string,
          'skip-db-update': 'true',
          'cache-dir': join(dir, 'cache'),
          'reports-dir': 'reports',
        },
      });
      expect(result.outputs['vulnerability-scan']).toBe('off');
      expect(result.annotations).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            level: 'notice',
            message: expect.stringMatching(/No vulnerability database is reachable/),
          }),
        ]),
      );
      expect(result.summary).toMatch(
        /No vulnerability database is reachable .*not for vulnerabilities/,
      );
      expect(result.stdout).toMatch(/--scanners secret,misconfig/);
      expect(result.outputs.gate).toBe('fail');
      expect(Number(result.outputs.critical)).toBeGreaterThanOrEqual(1);
      expect(result.exitCode).toBe(1);
      const sarif = JSON.parse(await readFile(result.outputs.sarif as string, 'utf8'));
      expect(validateSarif(sarif)).toEqual([]);
      expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toContain(
        'aws-access-key-id',
      );
      const table = await readFile(join(dir, 'reports/trivy-image-report.txt'), 'utf8');
      expect(table).toContain('aws-access-key-id');
      expect(table).not.toContain(FAKE_AWS_KEY);
    }, 300_000);
  },
);
