import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../shared/src/clock.ts';
import type { ComposeBuildSpec } from '../../shared/src/compose-file.ts';
import { lastLines } from '../../shared/src/errors.ts';
import { type Exec, execChecked } from '../../shared/src/exec.ts';
import type { Log } from '../../shared/src/log.ts';
import { type BuilderChoice, buildCommand } from './plan.ts';

export interface BuiltImage {
  readonly service: string;
  readonly image: string;
  readonly tags: readonly string[];
  /** sha256:... */
  readonly id: string;
  readonly size: number;
  readonly durationMs: number;
}

export interface BuildDeps {
  readonly exec: Exec;
  readonly clock: Clock;
  readonly log: Log;
  /** Where iid files go (RUNNER_TEMP). */
  readonly tempDir: string;
}

export interface ImageBuild {
  readonly spec: ComposeBuildSpec;
  readonly image: string;
  readonly tags: readonly string[];
}

// The 23+ docker CLI refuses DOCKER_BUILDKIT=1 without the buildx plugin; the engine's
// own client (20.10) does not. Either way the build itself can still run, on the legacy builder.
const BUILDX_MISSING = /buildx component is missing|BuildKit is enabled but the buildx/;

/** Builds one image, falling back to the legacy builder when this docker CLI cannot do BuildKit. */
export async function buildImage(
  deps: BuildDeps,
  build: ImageBuild,
  options: {
    choice: BuilderChoice;
    extraArgs: readonly (readonly [string, string])[];
    labels: Readonly<Record<string, string>>;
  },
): Promise<BuiltImage> {
  const iidFile = join(deps.tempDir, `build-images-${build.spec.service}.iid`);
  const started = deps.clock.now();
  const command = buildCommand({ ...options, spec: build.spec, tags: build.tags, iidFile });
  let result = await deps.exec(command.command, command.args, { env: command.env });
  if (result.exitCode !== 0 && BUILDX_MISSING.test(result.stderr)) {
    deps.log.warning(
      `${build.spec.service}: this docker CLI needs buildx for BuildKit; building with the legacy builder instead`,
    );
    result = await deps.exec(command.command, command.args, { env: { DOCKER_BUILDKIT: '0' } });
  }
  if (result.exitCode !== 0) {
    throw new Error(
      `Building ${build.spec.service} failed (docker exited ${result.exitCode}):\n${lastLines(result.stderr || result.stdout, 15).join('\n')}`,
    );
  }
  const durationMs = deps.clock.now() - started;
  const id = (await readFile(iidFile, 'utf8')).trim();
  const inspect = await execChecked(
    deps.exec,
    'docker',
    ['image', 'inspect', '--format', '{{.Size}}', id],
    {
      silent: true,
    },
  );
  return {
    service: build.spec.service,
    image: build.image,
    tags: build.tags,
    id,
    size: Number(inspect.stdout.trim()),
    durationMs,
  };
}
