import { createActArtifactUploader } from './act-artifact.ts';
import type { ArtifactUploader } from './artifact-uploader.ts';

/** act sets ACT=true in every step's environment. */
export function underAct(env: NodeJS.ProcessEnv): boolean {
  return env.ACT === 'true';
}

/**
 * @actions/artifact v6 (the v4 "results" twirp protocol) on GitHub; under act, the small
 * upload of act-artifact.ts, since act v0.2.89's artifact server refuses @actions/artifact's
 * requests (see there and the README).
 */
export function createArtifactUploader(env: NodeJS.ProcessEnv): ArtifactUploader {
  return underAct(env) ? createActArtifactUploader(env) : createGitHubArtifactUploader();
}

/**
 * @actions/artifact, imported on first use: it is most of the bundle, and a run with
 * nothing to publish (or under act) should not pay for loading it.
 */
function createGitHubArtifactUploader(): ArtifactUploader {
  return {
    async upload(name, files, rootDirectory, options) {
      const { DefaultArtifactClient } = await import('@actions/artifact');
      const client = new DefaultArtifactClient();
      return client.uploadArtifact(name, [...files], rootDirectory, {
        ...(options.retentionDays > 0 ? { retentionDays: options.retentionDays } : {}),
        compressionLevel: options.compressionLevel,
      });
    },
  };
}

/** The link upload-artifact prints: the artifact on the run's page. */
export function artifactUrl(env: NodeJS.ProcessEnv, id: number): string {
  return `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`;
}
