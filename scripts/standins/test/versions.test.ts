// Each stand-in is made of software at some version (standin_version in
// scripts/standins/lib.sh asks the binary it copies); the compose file and the
// Dockerfiles pin the real images. They must agree, or the difference must be
// listed below with its reason: a test that passes against a stand-in says
// nothing about a pinned version it does not run.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/docker.ts';
import { postgresBinDir } from '../../../test/support/postgres.ts';
import { STANDIN_IMAGES } from '../../../test/support/stack.ts';
import { describeWithTools } from '../../../test/support/tools.ts';
import { composePins, dockerfilePins, pinnedVersion, repositoryPins, sameVersion } from './pins.ts';

/** Stand-ins whose version may differ from the pin, and why that is acceptable. */
const KNOWN_DIFFERENCES: Readonly<Record<string, string>> = {
  node:
    "the host's Node (Debian 12's machines run Node 20; GitHub's runners 24): the " +
    'backend is built and run by the real image on GitHub, and uses nothing newer than 20',
  nginx:
    "Debian 12's nginx is 1.22; the frontend's config uses nothing newer, and " +
    '`nginx -t` in npm test checks it with that nginx',
  postgres: "Debian 12's PostgreSQL is 15; the migrations and queries use nothing newer than 15",
  'postgres-exporter':
    "Debian 12's prometheus-postgres-exporter is 0.11.1; pg_up and " +
    'pg_stat_database_numbackends, all the stack uses, are the same in 0.19',
};

const standins = Object.entries(STANDIN_IMAGES).map(([variable, tag]) => ({
  variable,
  name: tag.replace(/^local\/standin\/([\w-]+):latest$/, '$1'),
}));

describe('pins', () => {
  it.each([
    ['prom/prometheus:v3.16.0', '3.16.0'],
    [
      'node:24-bookworm-slim@sha256:6f7b03f7c2c8e2e784dcf9295400527b9b1270fd37b7e9a7285cf83b6951452d',
      '24',
    ],
    ['nginxinc/nginx-unprivileged:1.30.4-alpine@sha256:45ce', '1.30.4'],
    ['postgres:17-bookworm@sha256:4f73', '17'],
    ['ghcr.io/google/cadvisor:v0.60.6', '0.60.6'],
    ['localhost:5000/prom/prometheus:v3.1.0', '3.1.0'],
  ])('%s names version %s', (reference, version) => {
    expect(pinnedVersion(reference)).toBe(version);
  });

  it('rejects a tag without a version, naming the image', () => {
    expect(() => pinnedVersion('prom/prometheus:latest')).toThrow(
      'image prom/prometheus:latest: no version in its tag',
    );
  });

  it.each([
    ['24', '24.11.1', true],
    ['24', '20.20.2', false],
    ['3.16.0', '3.16.0', true],
    ['3.16.0', '3.16.1', false],
    ['0.35', '0.35.0', true],
    ['17', '15.18', false],
  ])('pin %s and version %s agree: %s', (pinned, actual, same) => {
    expect(sameVersion(pinned, actual)).toBe(same);
  });

  it('reads compose images with a default and ARG *_IMAGE from a Dockerfile', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Compose's syntax, not a template
    const compose = 'services:\n  a:\n    image: ${A_IMAGE:-a/a:v1.2}\n  b:\n    image: b:1\n';
    expect(composePins(compose, 'c.yml')).toEqual([
      { variable: 'A_IMAGE', reference: 'a/a:v1.2', file: 'c.yml' },
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a Dockerfile's syntax
    const dockerfile = 'ARG NODE_IMAGE=node:24@sha256:ab\nARG GIT_COMMIT=x\nFROM ${NODE_IMAGE}\n';
    expect(dockerfilePins(dockerfile, 'Dockerfile')).toEqual([
      { variable: 'NODE_IMAGE', reference: 'node:24@sha256:ab', file: 'Dockerfile' },
    ]);
  });

  it('every stand-in replaces exactly one pinned image, and every listed difference is a stand-in', () => {
    const pins = repositoryPins(REPO_ROOT);
    for (const { variable } of standins) {
      expect(pins.filter((pin) => pin.variable === variable).length, variable).toBe(1);
    }
    const names = standins.map((standin) => standin.name);
    expect(Object.keys(KNOWN_DIFFERENCES).filter((name) => !names.includes(name))).toEqual([]);
  });
});

const TOOLS = [
  'node',
  'nginx',
  'prometheus-pinned',
  'alertmanager-pinned',
  'prometheus-postgres-exporter',
  join(postgresBinDir(), 'postgres'),
];

describeWithTools(TOOLS, 'stand-in versions against the pins', () => {
  const pins = repositoryPins(REPO_ROOT);
  const version = (name: string): string =>
    execFileSync(
      'bash',
      ['-c', '. scripts/standins/lib.sh && standin_version "$1"', 'bash', name],
      {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      },
    ).trim();

  it.each(standins.map((standin) => [standin.name, standin.variable]))(
    'the %s stand-in is the version %s pins, or the difference is listed with its reason',
    (name, variable) => {
      const pin = pins.find((candidate) => candidate.variable === variable);
      if (!pin)
        throw new Error(`${variable}: no pinned image in docker-compose.yml or a Dockerfile`);
      const actual = version(name);
      const pinned = pinnedVersion(pin.reference);
      if (sameVersion(pinned, actual) || KNOWN_DIFFERENCES[name]) return;
      throw new Error(
        `the ${name} stand-in is ${actual}, but ${pin.file} pins ${pin.reference} (${pinned}): ` +
          'build the stand-in from the pinned version, or list the difference with its reason in KNOWN_DIFFERENCES',
      );
    },
  );

  it('the pinned Prometheus and Alertmanager builds are exactly the compose pins', () => {
    for (const [name, variable] of [
      ['prometheus', 'PROMETHEUS_IMAGE'],
      ['alertmanager', 'ALERTMANAGER_IMAGE'],
    ] as const) {
      const pin = pins.find((candidate) => candidate.variable === variable);
      expect(version(name), name).toBe(pinnedVersion(pin?.reference ?? ''));
    }
  });
});
