import { describe, expect, test } from 'vitest';
import {
  buildxDriver,
  type ContainerStatus,
  checkDockerEngine,
  describeStatus,
  hasBuildx,
  isReady,
  parseInspect,
} from '../src/docker.ts';
import { MissingToolError } from '../src/exec.ts';
import { fakeExec } from './helpers.ts';

describe('checkDockerEngine', () => {
  test('resolves with the server version', async () => {
    expect(await checkDockerEngine(fakeExec(() => ({ stdout: '20.10.24\n' })))).toBe('20.10.24');
  });
  test.each([
    [
      'engine unreachable',
      () => ({
        exitCode: 1,
        stdout: '',
        stderr:
          'Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?\n',
      }),
      'Cannot reach the Docker engine: Cannot connect to the Docker daemon at unix:///nonexistent.sock. Is the docker daemon running?',
    ],
    [
      'client missing',
      () => new MissingToolError('docker'),
      'Cannot reach the Docker engine: docker is not installed or not on PATH',
    ],
    [
      'empty answer',
      () => ({ exitCode: 0, stdout: '' }),
      'Cannot reach the Docker engine: docker version exited 0',
    ],
  ])('%s', async (_name, respond, message) => {
    await expect(checkDockerEngine(fakeExec(respond))).rejects.toThrow(message);
  });
});

test.each([
  [{ exitCode: 0 }, true],
  [{ exitCode: 1 }, false],
  [new MissingToolError('docker'), false],
])('hasBuildx %j → %s', async (result, expected) => {
  expect(await hasBuildx(fakeExec(() => result))).toBe(expected);
});

const c = (state: string, health?: string, exitCode = 0): ContainerStatus => ({
  id: 'i',
  name: 'n',
  service: 's',
  state,
  health,
  exitCode,
});

describe('readiness of one container', () => {
  test.each([
    [c('running', 'healthy'), true, 'running (healthy)'],
    [c('running', 'starting'), false, 'running (starting)'],
    [c('running', 'unhealthy'), false, 'running (unhealthy)'],
    [c('running'), true, 'running'],
    [c('restarting'), false, 'restarting'],
    [c('created'), false, 'created'],
    [c('exited', undefined, 0), true, 'exited (exit code 0)'],
    [c('exited', undefined, 137), false, 'exited (exit code 137)'],
  ])('%j → ready %s, "%s"', (container, ready, text) => {
    expect(isReady(container)).toBe(ready);
    expect(describeStatus(container)).toBe(text);
  });
});

test('parseInspect reads name, service label, state, health and exit code', () => {
  const json = JSON.stringify([
    {
      Id: '0123456789abcdef',
      Name: '/p-web-1',
      State: { Status: 'running', ExitCode: 0, Health: { Status: 'starting' } },
      Config: { Labels: { 'com.docker.compose.service': 'web' } },
    },
    {
      Id: 'fedcba9876543210',
      Name: '/loose',
      State: { Status: 'exited', ExitCode: 2 },
      Config: { Labels: null },
    },
  ]);
  expect(parseInspect(json)).toEqual([
    {
      id: '0123456789ab',
      name: 'p-web-1',
      service: 'web',
      state: 'running',
      health: 'starting',
      exitCode: 0,
    },
    {
      id: 'fedcba987654',
      name: 'loose',
      service: 'loose',
      state: 'exited',
      health: undefined,
      exitCode: 2,
    },
  ]);
});

test.each([
  [{ stdout: 'Name:          default\nDriver:        docker\n' }, 'docker'],
  [
    { stdout: 'Name:   builder-1\nDriver: docker-container\nLast Activity: x\n' },
    'docker-container',
  ],
  [{ exitCode: 1 }, undefined],
  [new MissingToolError('docker'), undefined],
])('buildxDriver(%j) = %s', async (result, driver) => {
  expect(await buildxDriver(fakeExec(() => result))).toBe(driver);
});
