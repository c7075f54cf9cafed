/**
 * .github/workflows/chaos-drill.yml, end to end under act on the real Docker engine: the
 * images are built, the stack comes up, the smoke test passes, the drill runs, and the
 * journal, report and post-mortem land in act's artifact server. Jobs run on this host
 * (.actrc: -P ubuntu-latest=-self-hosted) on a copy of the working tree that act makes in
 * place of actions/checkout. What differs from GitHub is only what this machine forces:
 * stand-in base images, random published ports, a unique Compose project and a subset of
 * services (no Grafana image here), all passed to act, none written in the workflow.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type ActRun,
  actScratch,
  artifact,
  demoTags,
  jobResults,
  outputs,
  removeDemoTagsSince,
  removeProject,
  removeScratch,
  runAct,
  tail,
  walk,
  zipEntries,
} from './support/act.ts';
import { actMissing, actPath } from './support/ci-tools.ts';
import { docker, testName } from './support/docker.ts';
import {
  buildStackStandins,
  RANDOM_PORTS,
  RUNNABLE_SERVICES,
  STANDIN_IMAGES,
} from './support/stack.ts';
import { describeNeeding, missingTools } from './support/tools.ts';

const act = actPath();
const ACT_TIMEOUT_MS = 20 * 60_000;

const body = () => {
  const project = testName('drill').replace(/[^a-z0-9-]/g, '');
  let scratch = '';
  let run: ActRun;
  let tagsBefore = new Set<string>();

  beforeAll(async () => {
    if (!act) throw new Error('act is missing: .ci/install.sh builds it from .ci/go-tools.txt');
    await buildStackStandins();
    scratch = await actScratch();
    // build-images also tags <service>-demo:<short sha>: untag afterwards what we added.
    tagsBefore = await demoTags();

    run = await runAct({
      args: [
        'workflow_dispatch',
        '-W',
        '.github/workflows/chaos-drill.yml',
        '-e',
        '.github/act/workflow_dispatch.json',
      ],
      dir: scratch,
      timeoutMs: ACT_TIMEOUT_MS,
      env: { ...STANDIN_IMAGES, ...RANDOM_PORTS },
      vars: { STACK_PROJECT: project, STACK_SERVICES: RUNNABLE_SERVICES.join(',') },
    });
    const out = outputs(run, 'drill');
    console.info(
      `act ran the chaos-drill workflow in ${run.seconds} s (exit ${run.exitCode}): drill ${out.verdict ?? 'none'}, time to detect ${out['time-to-detect'] || '-'} s, to recover ${out['time-to-recover'] || '-'} s`,
    );
  }, ACT_TIMEOUT_MS + 600_000);

  afterAll(async () => {
    // Always, whatever act did: the stack's post step may not have run.
    await removeProject(project);
    await removeDemoTagsSince(tagsBefore);
    if (scratch) await removeScratch(scratch);
    const left = await docker([
      'ps',
      '-aq',
      '--filter',
      `label=com.docker.compose.project=${project}`,
    ]);
    expect(left, `containers of ${project} left behind`).toBe('');
  }, 120_000);

  const succeeded = (step: string) =>
    run.entries.some(
      (e) => e.jobID === 'drill' && e.stepResult === 'success' && `${e.stage} ${e.step}` === step,
    );

  it('builds, starts the stack, passes the smoke test and the drill, and tears the stack down', () => {
    for (const step of [
      'Main ./actions/build-images',
      'Main ./actions/stack-up',
      'Main Smoke test',
      'Main ./actions/chaos-drill',
      "Main Save the stack's state",
      'Post ./actions/stack-up',
    ])
      expect(succeeded(step), `step "${step}" did not succeed; last lines:\n${tail(run)}`).toBe(
        true,
      );
    expect(run.text).toMatch(/Journal \S+\/journal\.json/);
    expect(run.text).toMatch(/Post-mortem \S+\/postmortem\.md/);
    expect(outputs(run, 'drill').verdict).toBe('passed');
  });

  it('publishes the journal, the report and the post-mortem draft as the chaos-drill artifact', async () => {
    // Under act, publish-reports uploads without @actions/artifact, which act v0.2.89's
    // artifact server refuses (actions/publish-reports/README.md, "Under act").
    expect(succeeded('Main ./actions/publish-reports'), tail(run)).toBe(true);
    expect(run.text).toMatch(/publish-reports: \d+ file\(s\) from \S+ as "chaos-drill"/);
    expect(jobResults(run), tail(run)).toEqual({ drill: 'success' });
    expect(run.exitCode, `act exited ${run.exitCode}; last lines:\n${tail(run)}`).toBe(0);
    const zip = await artifact(run, 'chaos-drill');
    expect(zip, `no chaos-drill.zip: ${walk(run.artifacts).join(', ')}`).toBeDefined();
    // Exactly the bytes publish-reports uploaded (its digest output), not a truncated copy.
    expect(
      createHash('sha256')
        .update(zip?.bytes ?? '')
        .digest('hex'),
    ).toBe(outputs(run, 'drill')['artifact-digest']);
    const entries = zipEntries(zip?.path ?? '');
    for (const file of ['journal.json', 'report.md', 'postmortem.md'])
      expect(
        entries.some((e) => e.startsWith('drills/') && e.endsWith(`/${file}`)),
        file,
      ).toBe(true);
    expect(entries).toContain('stack-run/ps.txt');
  });
};

describeNeeding(
  actMissing() ?? missingTools(['docker', 'unzip']),
  'the chaos-drill workflow under act',
  body,
);
