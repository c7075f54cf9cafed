/**
 * Wires a drill from plain settings: reads the experiment, applies bound overrides, builds
 * the Compose driver, Prometheus client and target resolver. Shared by the action and the CLI.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, relative } from 'node:path';
import type { Clock } from '../../shared/src/clock.ts';
import { createCompose } from '../../shared/src/compose.ts';
import { createServiceControl } from '../../shared/src/compose-service.ts';
import { inspectLifecycle } from '../../shared/src/container-lifecycle.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import type { Exec } from '../../shared/src/exec.ts';
import { createPrometheus } from '../../shared/src/prometheus.ts';
import { createDockerOps } from './docker-ops.ts';
import type { DrillDeps } from './drill.ts';
import type { BoundOverrides, Experiment } from './experiment.ts';
import { createHttpClient } from './http.ts';
import { createMarkerStore } from './markers.ts';
import { createNotesApi } from './notes-api.ts';
import type { TargetName, Targets } from './probes.ts';
import { createToxiproxy } from './toxiproxy.ts';

export interface DrillSettings {
  readonly experimentFile: string;
  /** Absolute paths. */
  readonly composeFiles: readonly string[];
  readonly projectName: string;
  /** A fixed URL per target; a missing one is the service's published port, asked of Compose. */
  readonly urls: Readonly<Partial<Record<TargetName, string>>>;
  readonly overrides: BoundOverrides;
  /** Where a fault in place is written down until undone (a crashed drill's is undone next time). */
  readonly stateDir?: string;
}

/** Service and container port behind each target when no URL is given. */
export const PUBLISHED: Readonly<Record<TargetName, readonly [string, number]>> = Object.freeze({
  frontend: ['frontend', 8080],
  backend: ['backend', 5000],
  prometheus: ['prometheus', 9090],
});

/** Compose's own default project name: the project directory's name, normalised. */
export function composeDefaultProjectName(projectDirectory: string): string {
  return basename(projectDirectory)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[^a-z0-9]+/, '');
}

/**
 * The project to drill when none is given: COMPOSE_PROJECT_NAME, else in a workflow the
 * name stack-up uses by default (stack-<run id>-<attempt>), else Compose's default.
 */
export function defaultProjectName(env: NodeJS.ProcessEnv, projectDirectory: string): string {
  if (env.COMPOSE_PROJECT_NAME) return env.COMPOSE_PROJECT_NAME;
  if (env.GITHUB_ACTIONS === 'true' && env.GITHUB_RUN_ID) {
    return `stack-${env.GITHUB_RUN_ID}-${env.GITHUB_RUN_ATTEMPT || '1'}`;
  }
  return composeDefaultProjectName(projectDirectory);
}

/** An experiment is a page of YAML; anything larger is some other file. */
export const MAX_EXPERIMENT_BYTES = 1024 * 1024;

/**
 * Reads and parses the experiment. The path may lead anywhere the user means
 * (runner.temp, an absolute path), so a file that is not an experiment is named with
 * what is wrong with it, never quoted (see parseExperiment).
 */
export async function loadExperiment(file: string, overrides: BoundOverrides): Promise<Experiment> {
  let text: string;
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new Error('it is not a regular file');
    if (info.size > MAX_EXPERIMENT_BYTES)
      throw new Error(
        `it has ${info.size} bytes; an experiment is a YAML file of at most ${MAX_EXPERIMENT_BYTES}`,
      );
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new Error(`Experiment file ${file} cannot be read: ${errorMessage(error)}`);
  }
  // The schema (zod) and the YAML parser are most of the bundle: imported here, where the
  // experiment is read, so that a bad input fails before loading them (dist/chunks/).
  const { parseExperiment, withBounds } = await import('./experiment.ts');
  // The journal names the file relative to the working directory when it is inside it:
  // committed journals carry no machine paths.
  const shown = relative(process.cwd(), file);
  return withBounds(
    parseExperiment(text, shown.startsWith('..') || isAbsolute(shown) ? file : shown),
    overrides,
  );
}

export interface Runtime {
  readonly exec: Exec;
  readonly clock: Clock;
  readonly fetch?: typeof fetch;
  readonly log?: (line: string) => void;
  readonly signal?: AbortSignal;
  /** Extra environment for Compose (interpolation variables). */
  readonly composeEnv?: Readonly<Record<string, string>>;
}

export async function prepareDrill(
  settings: DrillSettings,
  runtime: Runtime,
): Promise<{ experiment: Experiment; deps: DrillDeps }> {
  const experiment = await loadExperiment(settings.experimentFile, settings.overrides);
  return { experiment, deps: await prepareDeps(settings, runtime) };
}

/** The drill's hands on the stack (Compose, Docker, Prometheus, HTTP, markers), no experiment. */
export async function prepareDeps(settings: DrillSettings, runtime: Runtime): Promise<DrillDeps> {
  const compose = await createCompose(
    {
      files: settings.composeFiles,
      projectName: settings.projectName,
      projectDirectory: dirname(settings.composeFiles[0] as string),
      ...(runtime.composeEnv ? { env: runtime.composeEnv } : {}),
    },
    { exec: runtime.exec },
  );
  const control = createServiceControl(compose, runtime.exec);
  const targets: Targets = async (name) => {
    const fixed = settings.urls[name];
    if (fixed) return fixed.replace(/\/+$/, '');
    const [service, port] = PUBLISHED[name];
    return control.publishedUrl(service, port);
  };
  let prometheusUrl: string;
  try {
    prometheusUrl = await targets('prometheus');
  } catch (error) {
    throw new Error(`Cannot find Prometheus: no URL given and ${errorMessage(error)}`);
  }
  const fetchOption = runtime.fetch ? { fetch: runtime.fetch } : {};
  return {
    prometheus: createPrometheus(prometheusUrl, {
      clock: runtime.clock,
      requestTimeoutMs: 5000,
      ...fetchOption,
    }),
    http: createHttpClient({ clock: runtime.clock, ...fetchOption }),
    notes: (url) => createNotesApi(url, { clock: runtime.clock, ...fetchOption }),
    lifecycle: async (service) =>
      inspectLifecycle(
        runtime.exec,
        (await control.containersOf(service)).map((c) => c.id),
      ),
    control,
    docker: createDockerOps(runtime.exec),
    toxiproxy: (url) => createToxiproxy(url, runtime.fetch),
    ...(settings.stateDir ? { markers: createMarkerStore(settings.stateDir) } : {}),
    clock: runtime.clock,
    // Prometheus is resolved once (it is not the fault's target); the others per use.
    targets: async (name) => (name === 'prometheus' ? prometheusUrl : targets(name)),
    ...(runtime.log ? { log: runtime.log } : {}),
    ...(runtime.signal ? { signal: runtime.signal } : {}),
  };
}

/** SIGINT/SIGTERM abort the drill, which then recovers and reports; a second signal is logged, not obeyed. */
export function abortOnSignals(
  controller: AbortController,
  log: (line: string) => void,
  processLike: Pick<NodeJS.Process, 'on' | 'off'> = process,
): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) {
      log(`${signal} again: still recovering the stack, then exiting`);
      return;
    }
    log(`${signal}: stopping the drill; the recovery runs before exit`);
    controller.abort(signal);
  };
  processLike.on('SIGINT', handler);
  processLike.on('SIGTERM', handler);
  return () => {
    processLike.off('SIGINT', handler);
    processLike.off('SIGTERM', handler);
  };
}
