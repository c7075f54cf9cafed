import * as core from '@actions/core';
import { errorMessage } from '../../shared/src/errors.ts';
import { envInputSource } from '../../shared/src/inputs.ts';
import type { ArtifactUploader } from './artifact-uploader.ts';
import { listReportFiles, type ReportFile, uploadRoot } from './files.ts';
import { type Inputs, readInputs } from './inputs.ts';
import { publishedSummary } from './summary.ts';
import { artifactUrl, createArtifactUploader, underAct } from './upload.ts';

export interface Deps {
  readonly env: NodeJS.ProcessEnv;
  readonly uploader: ArtifactUploader;
}

type UploadResult = Awaited<ReturnType<ArtifactUploader['upload']>>;

/** Nothing to publish: an error, a warning or a line, as if-no-files-found says. */
function noFiles(inputs: Inputs): void {
  const message = `No files found under ${inputs.path}: nothing to publish as "${inputs.name}"`;
  if (inputs.ifNoFilesFound === 'error') throw new Error(message);
  if (inputs.ifNoFilesFound === 'warn') core.warning(message);
  else core.info(message);
}

/** artifact-id, -url and -digest; the URL, when the run has one. */
function setArtifactOutputs(env: NodeJS.ProcessEnv, result: UploadResult): string | undefined {
  const url = result.id !== undefined ? artifactUrl(env, result.id) : undefined;
  core.setOutput('artifact-id', result.id === undefined ? '' : String(result.id));
  core.setOutput('artifact-url', url ?? '');
  core.setOutput('artifact-digest', result.digest ?? '');
  return url;
}

async function publish(deps: Deps, inputs: Inputs, files: readonly ReportFile[]): Promise<void> {
  core.info(`publish-reports: ${files.length} file(s) from ${inputs.path} as "${inputs.name}"`);
  if (underAct(deps.env))
    core.info(
      "Under act: uploading to act's artifact server without @actions/artifact, which act v0.2.89 refuses (see the action's README)",
    );
  const result = await deps.uploader.upload(
    inputs.name,
    files.map((f) => f.path),
    uploadRoot(files, inputs.path),
    { retentionDays: inputs.retentionDays, compressionLevel: inputs.compressionLevel },
  );
  const url = setArtifactOutputs(deps.env, result);
  core.info(
    `Artifact ${inputs.name} uploaded${result.id !== undefined ? ` (id ${result.id})` : ''}`,
  );
  await core.summary.addRaw(publishedSummary(inputs.name, files, url)).write();
}

export async function run(
  deps: Deps = { env: process.env, uploader: createArtifactUploader(process.env) },
): Promise<void> {
  try {
    const inputs = readInputs(envInputSource(deps.env), {
      workspace: deps.env.GITHUB_WORKSPACE ?? process.cwd(),
    });
    const files = await listReportFiles(inputs.path, { includeHidden: inputs.includeHiddenFiles });
    core.setOutput('files', String(files.length));
    if (files.length === 0) noFiles(inputs);
    else await publish(deps, inputs, files);
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
