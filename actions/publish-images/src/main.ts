import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { coreLog } from '../../shared/src/core-adapters.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { createExec } from '../../shared/src/exec.ts';
import { envInputSource } from '../../shared/src/inputs.ts';
import type { Log } from '../../shared/src/log.ts';
import { createEngine, type Engine } from './engine.ts';
import { readInputs } from './inputs.ts';
import { type BuildFacts, buildFacts, provenancePredicate } from './provenance.ts';
import { type PublishedImage, publishImage } from './publish.ts';
import { imagesOutput, publishSummary } from './summary.ts';
import { imageRepository, publishTags } from './tags.ts';

export interface Deps {
  readonly env: NodeJS.ProcessEnv;
  readonly engine: Engine;
  readonly log: Log;
}

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

/** One predicate file per image, for `cosign attest --type slsaprovenance1` where there is no OIDC. */
async function writeProvenance(dir: string, facts: BuildFacts, services: readonly string[]) {
  await mkdir(dir, { recursive: true });
  const predicate = `${JSON.stringify(provenancePredicate(facts), null, 2)}\n`;
  for (const service of services)
    await writeFile(join(dir, `${service}.provenance.json`), predicate);
}

export async function run(
  deps: Deps = { env: process.env, engine: createEngine(createExec()), log: coreLog() },
): Promise<void> {
  try {
    const { env, engine, log } = deps;
    if (PULL_REQUEST_EVENTS.includes(env.GITHUB_EVENT_NAME ?? '')) {
      throw new Error(`publish-images never pushes for a ${env.GITHUB_EVENT_NAME} event`);
    }
    const inputs = readInputs(envInputSource(env), { repository: env.GITHUB_REPOSITORY ?? '' });
    const facts = buildFacts(env, { repository: inputs.repository, workflow: inputs.workflow });
    const tags = publishTags(facts.ref, facts.sha);
    log.info(
      `publish-images: ${inputs.images.map((i) => i.service).join(', ')} as ${tags.join(', ')}`,
    );
    const provenanceDir = join(env.RUNNER_TEMP || tmpdir(), 'publish-images');
    await writeProvenance(
      provenanceDir,
      facts,
      inputs.images.map((i) => i.service),
    );
    core.setOutput('provenance-dir', provenanceDir);

    if (inputs.dryRun) {
      for (const built of inputs.images) {
        const image = imageRepository(inputs.registry, inputs.repository, built.service);
        log.info(`[dry-run] ${built.id} → ${tags.map((t) => `${image}:${t}`).join(' ')}`);
      }
      return;
    }
    const published: PublishedImage[] = [];
    for (const built of inputs.images) {
      published.push(
        await log.group(`Push ${built.service}`, () =>
          publishImage({ engine, log }, built, {
            registry: inputs.registry,
            repository: inputs.repository,
            sha: facts.sha,
            tags,
          }),
        ),
      );
    }
    core.setOutput('images', JSON.stringify(imagesOutput(published)));
    core.setOutput('refs', published.map((p) => p.ref).join('\n'));
    await core.summary.addRaw(publishSummary(published)).write();
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
