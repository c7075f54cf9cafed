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
import { type BuiltImage, buildImage } from './build.ts';
import { readInputs } from './inputs.ts';
import { buildCommand, chooseBuilder, imageTags, selectServices } from './plan.ts';
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

export async function run(
  deps: Deps = { env: process.env, exec: createExec(), clock: systemClock, log: coreLog() },
): Promise<void> {
  try {
    const { env, exec, log } = deps;
    const sha = env.GITHUB_SHA ?? '';
    const inputs = readInputs(envInputSource(env), {
      workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
      sha,
    });
    const sources = await Promise.all(inputs.composeFiles.map(readComposeFile));
    const firstFile = inputs.composeFiles[0] as string;
    const projectDirectory = dirname(firstFile);
    // As Compose does: the project's .env fills in variables the environment does not set.
    const dotenv = await readFile(join(projectDirectory, '.env'), 'utf8').then(
      parseDotenv,
      () => ({}),
    );
    const specs = selectServices(
      readBuildSpecs(sources, projectDirectory, { ...dotenv, ...env }),
      inputs.services,
    );
    const builds = specs.map((spec) => ({
      spec,
      ...imageTags({
        service: spec.service,
        imageName: inputs.imageName,
        tag: inputs.tag,
        shaTag: inputs.shaTag,
        sha,
      }),
    }));
    log.info(`build-images: ${builds.map((b) => b.spec.service).join(', ')}`);

    const buildx = await hasBuildx(exec);
    const cacheService = Boolean(
      env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL),
    );
    const driver = buildx && cacheService ? await buildxDriver(exec) : undefined;
    const choice = chooseBuilder(inputs.cache, { buildx, cacheService, driver });
    log.info(`Builder: ${choice.reason}`);
    // In the image's config, so set here: publish-images pushes this image as it is.
    const labels = ociLabels({
      serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
      repository: env.GITHUB_REPOSITORY ?? '',
      sha,
      ref: env.GITHUB_REF ?? '',
      created: new Date(deps.clock.now()),
      licenses: await packageLicense(inputs.workingDirectory),
    });
    const tempDir = env.RUNNER_TEMP || tmpdir();

    if (inputs.dryRun) {
      for (const build of builds) {
        const command = buildCommand({
          spec: build.spec,
          tags: build.tags,
          extraArgs: inputs.buildArgs,
          choice,
          labels,
          iidFile: `${tempDir}/${build.spec.service}.iid`,
        });
        log.info(
          `[dry-run] ${Object.entries(command.env)
            .map(([k, v]) => `${k}=${v} `)
            .join('')}docker ${command.args.join(' ')}`,
        );
      }
      const planned = builds.map((b) => ({
        service: b.spec.service,
        image: b.image,
        tags: b.tags,
        id: '',
        size: 0,
        durationMs: 0,
      }));
      core.setOutput('images', JSON.stringify(imagesOutput(planned)));
      core.setOutput('tags', builds.flatMap((b) => b.tags).join('\n'));
      return;
    }

    const engine = await checkDockerEngine(exec);
    log.info(`Docker engine ${engine}`);
    const built: BuiltImage[] = [];
    for (const build of builds) {
      built.push(
        await log.group(`Build ${build.spec.service} → ${build.tags.join(', ')}`, () =>
          buildImage({ exec, clock: deps.clock, log, tempDir }, build, {
            choice,
            extraArgs: inputs.buildArgs,
            labels,
          }),
        ),
      );
    }
    core.setOutput('images', JSON.stringify(imagesOutput(built)));
    core.setOutput('tags', built.flatMap((b) => b.tags).join('\n'));
    await core.summary.addRaw(buildSummary(built, choice.reason)).write();
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
