/**
 * pipeline.yml and pr.yml end to end under act on the real Docker engine, through the entry
 * point a user runs (`npm run act`): a push to main, a pull request from a branch of this
 * repository (itself a fork, as every user's copy is), and one from someone else's fork.
 * Every job runs to its end on this host, with the pinned third-party actions taken from
 * their trees (../shared/actions here) and Node 24 from act's tool cache.
 *
 * What differs from GitHub is only what this machine forces, all passed to act and none
 * written in the workflows: stand-in base images, random published ports, a unique Compose
 * project, the services there are images for, and a Trivy with no DB download. The steps
 * the workflows keep from act (.github/README.md lists them) are asserted as not run.
 */
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ActRun,
  actScratch,
  artifact,
  demoTags,
  jobResults,
  notices,
  outputs,
  removeDemoTagsSince,
  removeImagesOf,
  removeProject,
  removeScratch,
  runAct,
  summary,
  tail,
  zipEntries,
  zipText,
} from './support/act.ts';
import { actMissing, actPath } from './support/ci-tools.ts';
import { docker, testName } from './support/docker.ts';
import { cosignKeyPair, type LocalRegistry, startRegistry } from './support/registry.ts';
import {
  buildStackStandins,
  RANDOM_PORTS,
  RUNNABLE_SERVICES,
  STANDIN_IMAGES,
} from './support/stack.ts';
import { describeNeeding, missingTools, which } from './support/tools.ts';

const ACT_TIMEOUT_MS = 20 * 60_000;
const CHECKS = ['test', 'build', 'scan', 'stack'] as const;
const SARIF = ['trivy-backend-demo', 'trivy-frontend-demo', 'trivy-config'] as const;

interface Case {
  readonly title: string;
  readonly args: readonly string[];
  /** What trivy-scan must decide about the SARIF upload. */
  readonly sarifUpload: 'upload' | 'skip';
  /** A push to main also delivers: publish and deploy, against a loopback registry. */
  readonly delivers: boolean;
}

const CASES: readonly Case[] = [
  {
    title: 'act push (pipeline.yml)',
    args: ['push', '-W', '.github/workflows/pipeline.yml', '-e', '.github/act/push.json'],
    sarifUpload: 'upload',
    delivers: true,
  },
  {
    title: 'act pull_request from a branch of this repository (pr.yml → pipeline.yml)',
    args: ['pull_request', '-W', '.github/workflows/pr.yml', '-e', '.github/act/pull_request.json'],
    sarifUpload: 'upload',
    delivers: false,
  },
  {
    title: "act pull_request from someone else's fork (pr.yml → pipeline.yml)",
    args: [
      'pull_request',
      '-W',
      '.github/workflows/pr.yml',
      '-e',
      '.github/act/pull_request-fork.json',
    ],
    sarifUpload: 'skip',
    delivers: false,
  },
];

const body = () => {
  let scratch = '';
  let tagsBefore = new Set<string>();
  const projects: string[] = [];
  let registry: LocalRegistry | undefined;
  /** act flags for the delivery: the registry, the public key (a variable), the key (a secret). */
  let delivery: string[] = [];

  beforeAll(async () => {
    if (!actPath()) throw new Error('act is missing: .ci/install.sh builds it (.ci/go-tools.txt)');
    await buildStackStandins();
    scratch = await actScratch();
    // What a push to main delivers to: a real registry on loopback, and a key pair in
    // place of keyless signing. Both go in through files: npm run prints its arguments.
    registry = await startRegistry(join(scratch, 'registry'));
    const password = randomBytes(16).toString('hex');
    const pair = await cosignKeyPair(join(scratch, 'keys'), password);
    await writeFile(join(scratch, 'vars.env'), `COSIGN_PUBLIC_KEY="${pair.publicKey}"\n`);
    await writeFile(
      join(scratch, 'secrets.env'),
      `COSIGN_KEY="${pair.key}"\nCOSIGN_PASSWORD=${password}\n`,
      { mode: 0o600 },
    );
    delivery = [
      '--var',
      `REGISTRY=${registry.address}`,
      '--var-file',
      join(scratch, 'vars.env'),
      '--secret-file',
      join(scratch, 'secrets.env'),
    ];
    // build-images also tags <service>-demo:<short sha>: untag afterwards what we added.
    tagsBefore = await demoTags();
  }, 600_000);

  afterAll(async () => {
    for (const project of projects) await removeProject(project);
    await registry?.stop();
    // What deploy pulled by digest, and publish-images' registry tags.
    if (registry) await removeImagesOf(registry.address);
    await removeDemoTagsSince(tagsBefore);
    if (scratch) await removeScratch(scratch);
    for (const project of projects)
      expect(
        await docker(['ps', '-aq', '--filter', `label=com.docker.compose.project=${project}`]),
        `containers of ${project} left behind`,
      ).toBe('');
  }, 180_000);

  describe.each(CASES)('$title', (c) => {
    let run: ActRun;
    const project = testName('pipeline').replace(/[^a-z0-9-]/g, '');

    beforeAll(async () => {
      projects.push(project, `${project}-deploy`);
      run = await runAct({
        args: [...c.args, ...delivery],
        dir: scratch,
        timeoutMs: ACT_TIMEOUT_MS,
        env: { ...STANDIN_IMAGES, ...RANDOM_PORTS },
        vars: {
          STACK_PROJECT: project,
          STACK_SERVICES: RUNNABLE_SERVICES.join(','),
          TRIVY_PATH: which('trivy') ?? '',
          TRIVY_OFFLINE: 'true',
        },
      });
      const results = jobResults(run);
      console.info(
        `${c.title}: ${run.seconds} s, exit ${run.exitCode}, jobs ${JSON.stringify(results)}`,
      );
    }, ACT_TIMEOUT_MS + 120_000);

    it(`runs every job to success${c.delivers ? ', publish and deploy included' : ''}`, () => {
      const jobs: readonly string[] = c.delivers ? [...CHECKS, 'publish', 'deploy'] : CHECKS;
      expect(jobResults(run), tail(run)).toEqual(
        Object.fromEntries(jobs.map((j) => [j, 'success'])),
      );
      expect(run.exitCode, tail(run)).toBe(0);
    });

    it('test: the pinned setup-node and setup-go find Node 24 and Go in the tool cache', () => {
      const log = run.entries.filter((e) => e.jobID === 'test').map((e) => e.msg);
      expect(log.some((m) => /Found in cache @ \S+\/node\/24\.\d+\.\d+\/x64/.test(m))).toBe(true);
      expect(log.some((m) => /Found in cache @ \S+\/go\/1\.26\.\d+\/x64/.test(m))).toBe(true);
      expect(log.some((m) => /Tests\s+\d+ passed/.test(m))).toBe(true);
      // npm test, the actions' own tests included, ran on the Node GitHub runs them on.
      expect(outputs(run, 'test')['node-version']).toMatch(/^v24\./);
    });

    it('build: tags both images and says so in the job summary', () => {
      const tags = (outputs(run, 'build').tags ?? '').split('\n');
      expect(tags).toEqual(expect.arrayContaining(['backend-demo:dev', 'frontend-demo:dev']));
      expect(summary(run, 'build')).toContain('### Images built');
    });

    it(`scan: the gate passes and the SARIF upload is "${c.sarifUpload}", for a reason it gives`, () => {
      const out = outputs(run, 'scan');
      expect(out.gate).toBe('pass');
      expect(out['sarif-upload']).toBe(c.sarifUpload);
      const said = `${notices(run, 'scan').join('\n')}\n${summary(run, 'scan')}`;
      if (c.sarifUpload === 'skip') expect(said).toMatch(/fork/i);
      else expect(said).not.toMatch(/SARIF not uploaded/i);
      expect(summary(run, 'scan')).toContain('Trivy scan');
      // The uploads are GitHub's alone (code scanning): never run under act.
      expect(run.entries.some((e) => e.stepResult && /Upload SARIF/.test(e.step ?? ''))).toBe(
        false,
      );
    });

    it('scan: publishes the reports, each SARIF under a category that no runner path changes', async () => {
      const zip = await artifact(run, 'trivy-reports');
      expect(zip, 'no trivy-reports artifact').toBeDefined();
      const names = zipEntries(zip?.path ?? '');
      for (const sarif of SARIF) {
        expect(names).toContain(`${sarif}.sarif`);
        const log = JSON.parse(zipText(zip?.path ?? '', `${sarif}.sarif`)) as {
          runs: { automationDetails?: { id?: string } }[];
        };
        expect(log.runs[0]?.automationDetails?.id).toMatch(new RegExp(`^${sarif}/?$`));
      }
    });

    it('stack: finds the published ports, passes the smoke test and publishes its state', async () => {
      const out = outputs(run, 'stack');
      for (const name of ['backend-url', 'frontend-url', 'prometheus-url'])
        expect(out[name], name).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(out['project-name']).toBe(project);
      expect(summary(run, 'stack')).toContain(`Stack ${project} is up`);
      expect(summary(run, 'stack')).toContain(`Stack ${project} torn down`);
      const zip = await artifact(run, 'stack-reports');
      expect(zip, 'no stack-reports artifact').toBeDefined();
      expect(zipEntries(zip?.path ?? '')).toContain('stack-run/ps.txt');
    });

    if (c.delivers)
      it('publish pushes both images by digest; deploy verifies and runs exactly those', () => {
        const images = JSON.parse(outputs(run, 'publish').images ?? '{}') as Record<
          string,
          { ref: string }
        >;
        expect(Object.keys(images).sort()).toEqual(['backend', 'frontend']);
        const deployed = summary(run, 'deploy');
        for (const { ref } of Object.values(images)) {
          expect(ref).toMatch(new RegExp(`^${registry?.address}/\\S+@sha256:[0-9a-f]{64}$`));
          expect(deployed).toContain(ref.slice(ref.indexOf('@') + 1));
        }
        expect(deployed).not.toMatch(/refused/);
      });
  });
};

describeNeeding(
  actMissing() ?? missingTools(['docker', 'trivy', 'unzip']),
  'pipeline.yml and pr.yml under act',
  body,
);
