import { describe, expect, test } from 'vitest';
import {
  COMPOSE_V1,
  COMPOSE_V2,
  type ComposeFlavor,
  composeCommand,
  composeGlobalArgs,
  createCompose,
  detectCompose,
  downArgs,
  logsArgs,
  psArgs,
  upArgs,
} from '../src/compose.ts';
import { MissingToolError } from '../src/exec.ts';
import { fakeExec } from './helpers.ts';

const v1: ComposeFlavor = { ...COMPOSE_V1, release: '1.29.2' };
const v2: ComposeFlavor = { ...COMPOSE_V2, release: '2.29.1' };

describe('global flags', () => {
  test.each([
    [{ files: ['a.yml'], projectName: 'p' }, ['--file', 'a.yml', '--project-name', 'p']],
    [
      {
        files: ['a.yml', 'b.yml'],
        projectName: 'p',
        projectDirectory: '/w',
        envFile: '/w/.env',
        profiles: ['x', 'y'],
      },
      [
        '--file',
        'a.yml',
        '--file',
        'b.yml',
        '--project-name',
        'p',
        '--project-directory',
        '/w',
        '--env-file',
        '/w/.env',
        '--profile',
        'x',
        '--profile',
        'y',
      ],
    ],
  ])('%j', (project, expected) => {
    expect(composeGlobalArgs(project)).toEqual(expected);
  });
});

describe('subcommand argv', () => {
  test.each([
    [
      'up, v2, wait',
      upArgs(v2, { wait: true, waitTimeoutSeconds: 90 }),
      ['up', '--detach', '--remove-orphans', '--wait', '--wait-timeout', '90'],
    ],
    [
      'up, v1 ignores wait',
      upArgs(v1, { wait: true, waitTimeoutSeconds: 90 }),
      ['up', '--detach', '--remove-orphans'],
    ],
    [
      'up, fractional timeout rounds up',
      upArgs(v2, { wait: true, waitTimeoutSeconds: 0.2 }),
      ['up', '--detach', '--remove-orphans', '--wait', '--wait-timeout', '1'],
    ],
    [
      'up, build and services',
      upArgs(v2, { build: true, services: ['web', 'db'] }),
      ['up', '--detach', '--remove-orphans', '--build', 'web', 'db'],
    ],
    [
      'down, everything',
      downArgs({ volumes: true, removeOrphans: true, timeoutSeconds: 5 }),
      ['down', '--volumes', '--remove-orphans', '--timeout', '5'],
    ],
    ['down, plain', downArgs(), ['down']],
    ['ps', psArgs(), ['ps', '--all']],
    ['ps ids', psArgs({ quiet: true }), ['ps', '--all', '--quiet']],
    [
      'logs, tail one service',
      logsArgs({ services: ['web'], tail: 20 }),
      ['logs', '--no-color', '--timestamps', '--tail', '20', 'web'],
    ],
  ])('%s', (_name, actual, expected) => {
    expect(actual).toEqual(expected);
  });

  test.each([
    [
      v2,
      {
        command: 'docker',
        args: ['compose', '--file', 'c.yml', '--project-name', 'p', 'ps', '--all'],
      },
    ],
    [
      v1,
      {
        command: 'docker-compose',
        args: ['--file', 'c.yml', '--project-name', 'p', 'ps', '--all'],
      },
    ],
  ])('full command for %j', (flavor, expected) => {
    expect(composeCommand(flavor, { files: ['c.yml'], projectName: 'p' }, psArgs())).toEqual(
      expected,
    );
  });
});

describe('detectCompose', () => {
  test.each([
    [
      'v2 when the plugin answers',
      (line: string) =>
        line === 'docker compose version --short' ? { stdout: 'v2.29.1\n' } : new Error(line),
      { version: 'v2', command: 'docker', release: '2.29.1' },
    ],
    [
      'v1 when the plugin is missing',
      (line: string) =>
        line.startsWith('docker compose')
          ? { exitCode: 1, stderr: "docker: 'compose' is not a docker command." }
          : { stdout: '1.29.2\n' },
      { version: 'v1', command: 'docker-compose', release: '1.29.2' },
    ],
    [
      'v1 when docker itself is missing',
      (line: string) =>
        line.startsWith('docker compose') ? new MissingToolError('docker') : { stdout: '1.29.2' },
      { version: 'v1', command: 'docker-compose', release: '1.29.2' },
    ],
  ])('%s', async (_name, respond, expected) => {
    expect(await detectCompose(fakeExec(respond))).toMatchObject(expected);
  });

  test('neither: a clear error naming both', async () => {
    const exec = fakeExec((line) =>
      line.startsWith('docker compose') ? { exitCode: 1 } : new MissingToolError('docker-compose'),
    );
    await expect(detectCompose(exec)).rejects.toThrow(
      'Docker Compose is not available: neither `docker compose` (v2 plugin) nor `docker-compose` (v1) runs on this machine',
    );
  });
});

describe('createCompose', () => {
  test('every method is one Compose call with the global flags, in the project directory', async () => {
    const exec = fakeExec((line) => {
      if (line.endsWith('ps --all --quiet')) return { stdout: 'abc123\n' };
      if (line.startsWith('docker inspect')) {
        return {
          stdout: JSON.stringify([
            {
              Id: 'abc123def4567',
              Name: '/p-web-1',
              State: { Status: 'running', Health: { Status: 'healthy' } },
              Config: { Labels: { 'com.docker.compose.service': 'web' } },
            },
          ]),
        };
      }
      return { stdout: 'out' };
    });
    const compose = await createCompose(
      { files: ['/w/c.yml'], projectName: 'p', projectDirectory: '/w', env: { A: '1' } },
      { exec, flavor: v2 },
    );
    await compose.up({ wait: true, waitTimeoutSeconds: 10 });
    expect(await compose.logs({ services: ['web'], tail: 5 })).toBe('out');
    await compose.down({ volumes: true, removeOrphans: true });
    expect(await compose.containers()).toEqual([
      {
        id: 'abc123def456',
        name: 'p-web-1',
        service: 'web',
        state: 'running',
        health: 'healthy',
        exitCode: 0,
      },
    ]);
    const g = ['compose', '--file', '/w/c.yml', '--project-name', 'p', '--project-directory', '/w'];
    expect(exec.calls.map((c) => [c.command, ...c.args])).toEqual([
      ['docker', ...g, 'up', '--detach', '--remove-orphans', '--wait', '--wait-timeout', '10'],
      ['docker', ...g, 'logs', '--no-color', '--timestamps', '--tail', '5', 'web'],
      ['docker', ...g, 'down', '--volumes', '--remove-orphans'],
      ['docker', ...g, 'ps', '--all', '--quiet'],
      ['docker', 'inspect', 'abc123'],
    ]);
    expect(exec.calls[0]?.options).toMatchObject({ cwd: '/w', env: { A: '1' } });
  });

  test('a failing query throws with the command and its stderr', async () => {
    const exec = fakeExec(() => ({ exitCode: 1, stderr: 'no such service: nope' }));
    const compose = await createCompose(
      { files: ['c.yml'], projectName: 'p' },
      { exec, flavor: v1 },
    );
    await expect(compose.logs({ services: ['nope'] })).rejects.toThrow(
      /docker-compose .* logs .* exited with code 1:\nno such service: nope/,
    );
  });
});
