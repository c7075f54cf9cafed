import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as core from '@actions/core';
import { type Clock, systemClock } from '../../shared/src/clock.ts';
import { parseDotenv, readBuildSpecs } from '../../shared/src/compose-file.ts';
import { coreLog } from '../../shared/src/core-adapters.ts';
import { buildxDriver, checkDockerEngine, hasBuildx } from '../../shared/src/docker.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { createExec, type Exec } from '../../shared/src/exec.ts';
import { envInputSource, InputError } from '../../shared/src/inputs.ts';
import type { Log } from '../../shared/src/log.ts';
import { ociLabels } from '../../shared/src/oci.ts';
import { type BuiltImage, buildImage, type ImageBuild } from './build.ts';
import { type Inputs, readInputs } from './inputs.ts';
import {
  type BuilderChoice,
  buildCommand,
  chooseBuilder,
  imageTags,
  selectServices,
} from './plan.ts';
import { buildSummary, imagesOutput } from './summary.ts';

export interface Deps {
  readonly env: NodeJS.ProcessEnv;
  readonly exec: Exec;
  readonly clock: Clock;
  readonly log: Log;
}

/** package.json's SPDX `license` in the working directory, or '' when there is none. */
async function packageLicense(directory: string): Promise<string> {
  try {
    const { license } = JSON.parse(await readFile(join(directory, 'package.json'), 'utf8'));
    return typeof license === 'string' ? license : '';
  } catch {
    return '';
  }
}

async function readComposeFile(path: string): Promise<{ path: string; content: string }> {
  try {
    return { path, content: await readFile(path, 'utf8') };
  } catch (error) {
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : errorMessage(error);
    throw new InputError('compose-file', path, `an existing compose file (${reason})`);
  }
}

/** The compose files' services to build, each with its image name and tags. */
async function planBuilds(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  sha: string,
): Promise<ImageBuild[]> {
  const sources = await Promise.all(inputs.composeFiles.map(readComposeFile));
  const projectDirectory = dirname(inputs.composeFiles[0] as string);
  // As Compose does: the project's .env fills in variables the environment does not set.
  const dotenv = await readFile(join(projectDirectory, '.env'), 'utf8').then(
    parseDotenv,
    () => ({}),
  );
  const specs = selectServices(
    readBuildSpecs(sources, projectDirectory, { ...dotenv, ...env }),
    inputs.services,
  );
  return specs.map((spec) => ({
    spec,
    ...imageTags({
      service: spec.service,
      imageName: inputs.imageName,
      tag: inputs.tag,
      shaTag: inputs.shaTag,
      sha,
    }),
  }));
}

/** buildx with GitHub's cache when the job has both, else what the `cache` input allows. */
async function pickBuilder(
  exec: Exec,
  env: NodeJS.ProcessEnv,
  cache: Inputs['cache'],
): Promise<BuilderChoice> {
  const buildx = await hasBuildx(exec);
  const cacheService = Boolean(
    env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL),
  );
  const driver = buildx && cacheService ? await buildxDriver(exec) : undefined;
  return chooseBuilder(cache, { buildx, cacheService, driver });
}

/** The OCI labels in the image's config, set here: publish-images pushes the image as it is. */
async function imageLabels(
  env: NodeJS.ProcessEnv,
  sha: string,
  inputs: Inputs,
  clock: Clock,
): Promise<Record<string, string>> {
  return ociLabels({
    serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
    repository: env.GITHUB_REPOSITORY ?? '',
    sha,
    ref: env.GITHUB_REF ?? '',
    created: new Date(clock.now()),
    licenses: await packageLicense(inputs.workingDirectory),
  });
}

interface BuildOptions {
  readonly choice: BuilderChoice;
  readonly extraArgs: Inputs['buildArgs'];
  readonly labels: Readonly<Record<string, string>>;
  readonly tempDir: string;
}

/** Logs each build's exact command; the outputs name the images, with no id or size. */
function dryRun(log: Log, builds: readonly ImageBuild[], options: BuildOptions): BuiltImage[] {
  for (const build of builds) {
    const command = buildCommand({
      spec: build.spec,
      tags: build.tags,
      extraArgs: options.extraArgs,
      choice: options.choice,
      labels: options.labels,
      iidFile: `${options.tempDir}/${build.spec.service}.iid`,
    });
    const env = Object.entries(command.env).map(([k, v]) => `${k}=${v} `);
    log.info(`[dry-run] ${env.join('')}docker ${command.args.join(' ')}`);
  }
  return builds.map((b) => ({
    service: b.spec.service,
    image: b.image,
    tags: b.tags,
    id: '',
    size: 0,
    durationMs: 0,
  }));
}

async function buildAll(
  deps: Deps,
  builds: readonly ImageBuild[],
  options: BuildOptions,
): Promise<BuiltImage[]> {
  const { exec, clock, log } = deps;
  log.info(`Docker engine ${await checkDockerEngine(exec)}`);
  const built: BuiltImage[] = [];
  for (const build of builds) {
    built.push(
      await log.group(`Build ${build.spec.service} → ${build.tags.join(', ')}`, () =>
        buildImage({ exec, clock, log, tempDir: options.tempDir }, build, options),
      ),
    );
  }
  return built;
}

function setOutputs(images: readonly BuiltImage[]): void {
  core.setOutput('images', JSON.stringify(imagesOutput(images)));
  core.setOutput('tags', images.flatMap((b) => b.tags).join('\n'));
}

export async function run(
  deps: Deps = { env: process.env, exec: createExec(), clock: systemClock, log: coreLog() },
): Promise<void> {
  try {
    const { env, log } = deps;
    const sha = env.GITHUB_SHA ?? '';
    const inputs = readInputs(envInputSource(env), {
      workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
      sha,
    });
    const builds = await planBuilds(inputs, env, sha);
    log.info(`build-images: ${builds.map((b) => b.spec.service).join(', ')}`);
    const choice = await pickBuilder(deps.exec, env, inputs.cache);
    log.info(`Builder: ${choice.reason}`);
    const options: BuildOptions = {
      choice,
      extraArgs: inputs.buildArgs,
      labels: await imageLabels(env, sha, inputs, deps.clock),
      tempDir: env.RUNNER_TEMP || tmpdir(),
    };
    if (inputs.dryRun) {
      setOutputs(dryRun(log, builds, options));
      return;
    }
    const built = await buildAll(deps, builds, options);
    setOutputs(built);
    await core.summary.addRaw(buildSummary(built, choice.reason)).write();
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
