import * as core from '@actions/core';
import { errorMessage } from '../../shared/src/errors.ts';
import { envInputSource } from '../../shared/src/inputs.ts';
import type { ArtifactUploader } from './artifact-uploader.ts';
import { listReportFiles } from './files.ts';
import { readInputs } from './inputs.ts';
import { publishedSummary } from './summary.ts';
import { artifactUrl, createArtifactUploader, underAct } from './upload.ts';

export interface Deps {
  readonly env: NodeJS.ProcessEnv;
  readonly uploader: ArtifactUploader;
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
    if (files.length === 0) {
      const message = `No files found under ${inputs.path}: nothing to publish as "${inputs.name}"`;
      if (inputs.ifNoFilesFound === 'error') throw new Error(message);
      if (inputs.ifNoFilesFound === 'warn') core.warning(message);
      else core.info(message);
      return;
    }
    core.info(`publish-reports: ${files.length} file(s) from ${inputs.path} as "${inputs.name}"`);
    if (underAct(deps.env))
      core.info(
        "Under act: uploading to act's artifact server without @actions/artifact, which act v0.2.89 refuses (see the action's README)",
      );
    const root =
      files.length === 1 && files[0]?.path === inputs.path
        ? inputs.path.replace(/\/[^/]*$/, '')
        : inputs.path;
    const result = await deps.uploader.upload(
      inputs.name,
      files.map((f) => f.path),
      root,
      { retentionDays: inputs.retentionDays, compressionLevel: inputs.compressionLevel },
    );
    const url = result.id !== undefined ? artifactUrl(deps.env, result.id) : undefined;
    core.setOutput('artifact-id', result.id === undefined ? '' : String(result.id));
    core.setOutput('artifact-url', url ?? '');
    core.setOutput('artifact-digest', result.digest ?? '');
    core.info(
      `Artifact ${inputs.name} uploaded${result.id !== undefined ? ` (id ${result.id})` : ''}`,
    );
    await core.summary.addRaw(publishedSummary(inputs.name, files, url)).write();
  } catch (error) {
    core.setFailed(errorMessage(error));
  }
}
