import { LABEL } from '../../shared/src/oci.ts';

/**
 * What is wrong with an image's labels for a publish of commit `sha`: every OCI label that
 * build-images sets must be there, and the revision must be this commit (an image left in
 * the engine by another build is never pushed as this one).
 */
export function labelProblems(
  labels: Readonly<Record<string, string>> | null | undefined,
  sha: string,
): string[] {
  const present = labels ?? {};
  const problems = Object.values(LABEL)
    .filter((name) => !present[name])
    .map((name) => `no ${name} label`);
  const revision = present[LABEL.revision];
  if (revision && revision !== sha) {
    problems.push(`${LABEL.revision} is ${revision}, not this commit ${sha}`);
  }
  return problems;
}
