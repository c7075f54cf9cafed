// Where the compose file and the Dockerfiles pin each image that a stand-in
// replaces, and what version a pin names: the pure half of versions.test.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export interface Pin {
  /** The variable that replaces it (NODE_IMAGE, PROMETHEUS_IMAGE...). */
  readonly variable: string;
  /** The default reference, e.g. prom/prometheus:v3.16.0 or node:24-bookworm-slim@sha256:... */
  readonly reference: string;
  /** Where it is pinned, for messages. */
  readonly file: string;
}

/** `${VAR:-reference}` image values of a compose file's services. */
export function composePins(composeYaml: string, file: string): Pin[] {
  const document = parse(composeYaml) as { services?: Record<string, { image?: string }> };
  return Object.values(document.services ?? {}).flatMap((service) => {
    const match = service.image?.match(/^\$\{(\w+):-([^}]+)\}$/);
    return match?.[1] && match[2] ? [{ variable: match[1], reference: match[2], file }] : [];
  });
}

/** `ARG VAR=reference` lines of a Dockerfile whose variable ends in _IMAGE. */
export function dockerfilePins(dockerfile: string, file: string): Pin[] {
  return [...dockerfile.matchAll(/^ARG (\w+_IMAGE)=(\S+)$/gm)].flatMap((match) =>
    match[1] && match[2] ? [{ variable: match[1], reference: match[2], file }] : [],
  );
}

/** The version a reference's tag names: v3.16.0 -> 3.16.0, 24-bookworm-slim -> 24. */
export function pinnedVersion(reference: string): string {
  const tag = reference.split('@')[0]?.split('/').pop()?.split(':')[1];
  const version = tag?.match(/^v?(\d+(?:\.\d+)*)/)?.[1];
  if (!version)
    throw new Error(`image ${reference}: no version in its tag (expected e.g. :v1.2.3)`);
  return version;
}

/** True when `actual` is the pinned version, compared on as many parts as the pin has. */
export function sameVersion(pinned: string, actual: string): boolean {
  const actualParts = actual.split('.');
  return pinned.split('.').every((part, index) => Number(part) === Number(actualParts[index]));
}

/** Every pin in the repository's compose file and Dockerfiles. */
export function repositoryPins(root: string): Pin[] {
  const read = (file: string) => readFileSync(join(root, file), 'utf8');
  return [
    ...composePins(read('docker-compose.yml'), 'docker-compose.yml'),
    ...dockerfilePins(read('backend/Dockerfile'), 'backend/Dockerfile'),
    ...dockerfilePins(read('frontend/Dockerfile'), 'frontend/Dockerfile'),
  ];
}
