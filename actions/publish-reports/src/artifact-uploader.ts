/** The artifact service, behind an interface so main's logic is testable without it. */
export interface ArtifactUploader {
  upload(
    name: string,
    files: readonly string[],
    rootDirectory: string,
    options: { retentionDays: number; compressionLevel: number },
  ): Promise<{ id?: number; size?: number; digest?: string }>;
}
