/** The artifact service, behind an interface so main's logic is testable without it. */
export interface ArtifactUploader {
  upload(
    name: string,
    files: readonly string[],
    rootDirectory: string,
    options: { retentionDays: number; compressionLevel: number },
  ): Promise<{ id?: number; size?: number; digest?: string }>;
}

/**
 * @actions/artifact v6 (the v4 "results" twirp protocol). Imported on first use: it is
 * most of the bundle, and a run with nothing to publish should not pay for loading it.
 */
export function createArtifactUploader(): ArtifactUploader {
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
