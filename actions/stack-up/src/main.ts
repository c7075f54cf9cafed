import { dirname } from 'node:path';
import * as core from '@actions/core';
import { type Clock, systemClock } from '../../shared/src/clock.ts';
import { type Compose, createCompose } from '../../shared/src/compose.ts';
import { coreLog, coreState } from '../../shared/src/core-adapters.ts';
import { type ContainerStatus, checkDockerEngine } from '../../shared/src/docker.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { createExec, type Exec } from '../../shared/src/exec.ts';
import { envInputSource } from '../../shared/src/inputs.ts';
import type { Log } from '../../shared/src/log.ts';
import { allTargetsUp, createPrometheus } from '../../shared/src/prometheus.ts';
import type { StateStore } from '../../shared/src/state.ts';
import { markdownTable, section } from '../../shared/src/summary.ts';
import { type Inputs, readInputs } from './inputs.ts';
import { saveStackState } from './state.ts';
import { notReadyMessage, waitForServices } from './wait.ts';

export interface Deps {
  readonly env: NodeJS.ProcessEnv;
  readonly exec: Exec;
  readonly clock: Clock;
  readonly log: Log;
  readonly state: StateStore;
  readonly fetch?: typeof fetch;
}

export function defaultDeps(): Deps {
  return {
    env: process.env,
    exec: createExec(),
    clock: systemClock,
    log: coreLog(),
    state: coreState(),
  };
}

/** `compose up`, then every container running (and healthy): the statuses, or an error with logs. */
async function bringUp(
  compose: Compose,
  inputs: Inputs,
  deps: Deps,
  deadline: number,
): Promise<readonly ContainerStatus[]> {
  const { clock, log } = deps;
  const up = await log.group('docker compose up', () =>
    compose.up({
      services: inputs.services,
      build: inputs.build,
      wait: true,
      waitTimeoutSeconds: inputs.timeoutMs / 1000,
    }),
  );
  // v1 has no --wait, and when v2's --wait fails the status tells which service and why.
  const state = await waitForServices({
    list: () => compose.containers(),
    clock,
    deadline: up.exitCode === 0 || compose.flavor.version === 'v1' ? deadline : clock.now(),
  });
  if (state.ready) return state.statuses;
  const logs: Record<string, string> = {};
  for (const s of state.pending) {
    logs[s.service] = await compose
      .logs({ services: [s.service], tail: inputs.logLines })
      .catch(errorMessage);
  }
  const upError =
    up.exitCode !== 0
      ? `\`compose up\` exited ${up.exitCode}: ${up.stderr.trim().split('\n').slice(-3).join(' ')}\n`
      : '';
  throw new Error(upError + notReadyMessage(inputs.timeoutMs, state.pending, logs));
}

/** Until every Prometheus target is up, within what is left of the timeout. */
async function waitForTargets(prometheusUrl: string, deps: Deps, deadline: number): Promise<void> {
  const { clock, log } = deps;
  const prometheus = createPrometheus(prometheusUrl, {
    clock,
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  await log.group(`Wait for Prometheus targets at ${prometheusUrl}`, () =>
    prometheus.waitUntil(async () => allTargetsUp(await prometheus.targets()), {
      timeoutMs: Math.max(1000, deadline - clock.now()),
      intervalMs: 1000,
    }),
  );
  log.info('Every Prometheus target is up');
}

/** The services output and the job summary's table of them. */
async function reportServices(
  inputs: Inputs,
  compose: Compose,
  statuses: readonly ContainerStatus[],
): Promise<void> {
  const services = statuses.map((s) => ({
    service: s.service,
    container: s.name,
    state: s.state,
    health: s.health ?? '',
  }));
  core.setOutput('services', JSON.stringify(services));
  await core.summary
    .addRaw(
      section(
        `Stack ${inputs.projectName} is up (Compose ${compose.flavor.version})`,
        markdownTable(
          ['Service', 'Container', 'State', 'Health'],
          services.map((s) => [s.service, s.container, s.state, s.health || '—']),
        ),
      ),
    )
    .write();
}

export async function run(deps: Deps = defaultDeps()): Promise<void> {
  try {
    const { env, exec, clock, log } = deps;
    const inputs = readInputs(envInputSource(env), {
      workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
      runId: env.GITHUB_RUN_ID ?? '',
      runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    });
    const started = clock.now();
    const deadline = started + inputs.timeoutMs;
    log.info(`stack-up: project ${inputs.projectName}, ${inputs.composeFiles.join(', ')}`);
    log.info(`Docker engine ${await checkDockerEngine(exec)}`);
    const projectDirectory = dirname(inputs.composeFiles[0] as string);
    const envFile = inputs.envFile ? { envFile: inputs.envFile } : {};
    const compose = await createCompose(
      {
        files: inputs.composeFiles,
        projectName: inputs.projectName,
        projectDirectory,
        profiles: inputs.profiles,
        ...envFile,
      },
      { exec },
    );
    log.info(`Compose ${compose.flavor.version} (${compose.flavor.release})`);
    core.setOutput('project-name', inputs.projectName);
    core.setOutput('compose-version', compose.flavor.version);
    // Saved before `up`: if up fails half-way, post still finds the project and tears it down.
    saveStackState(deps.state, {
      projectName: inputs.projectName,
      files: inputs.composeFiles,
      projectDirectory,
      profiles: inputs.profiles,
      ...envFile,
      reportsDir: inputs.reportsDir,
      ...(inputs.prometheusUrl ? { prometheusUrl: inputs.prometheusUrl } : {}),
    });
    const statuses = await bringUp(compose, inputs, deps, deadline);
    log.info(
      `All ${statuses.length} container(s) ready after ${((clock.now() - started) / 1000).toFixed(1)}s`,
    );
    if (inputs.waitForTargets && inputs.prometheusUrl)
      await waitForTargets(inputs.prometheusUrl, deps, deadline);
    await reportServices(inputs, compose, statuses);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
