import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildStandins,
  docker,
  publishedPort,
  testName,
  waitHealthy,
} from '../../test/support/docker.ts';
import { describeWithTools } from '../../test/support/tools.ts';

// The real backend/Dockerfile, built on the real engine from a local stand-in
// for node:24-bookworm-slim (no registry is reachable here).
describeWithTools(['docker'], 'backend image', () => {
  const tag = `${testName('backend')}:e2e`;
  const container = testName('backend');
  const secret = `s3cr3t-${'x'.repeat(40)}`;

  beforeAll(async () => {
    await buildStandins('node');
    await docker([
      'build',
      '-f',
      'backend/Dockerfile',
      '--build-arg',
      'NODE_IMAGE=local/standin/node:latest',
      '--build-arg',
      'GIT_COMMIT=e2e1234',
      '-t',
      tag,
      '.',
    ]);
    await docker([
      'run',
      '-d',
      '--name',
      container,
      '--init',
      '--read-only',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '-e',
      `SECRET_KEY=${secret}`,
      '-p',
      '127.0.0.1::5000',
      tag,
    ]);
  });

  afterAll(async () => {
    await docker(['rm', '-f', '-v', container]).catch(() => undefined);
    await docker(['rmi', '-f', tag]).catch(() => undefined);
  });

  it('turns healthy and serves /metrics', async () => {
    await waitHealthy(container, 60_000);
    const port = await publishedPort(container, 5000);
    const res = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('app_info{version="1.0.0",commit="e2e1234"} 1');
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('runs as a non-root user with production settings', async () => {
    expect(await docker(['exec', container, 'id', '-u'])).toBe('1000');
    const config = JSON.parse(
      await docker(['image', 'inspect', '-f', '{{json .Config}}', tag]),
    ) as {
      Env: string[];
      ExposedPorts: Record<string, unknown>;
      Healthcheck?: { Test: string[] };
    };
    expect(config.Env).toContain('NODE_ENV=production');
    expect(Object.keys(config.ExposedPorts)).toEqual(['5000/tcp']);
    expect(config.Healthcheck?.Test.join(' ')).toContain('healthcheck.js');
  });

  it('ships production dependencies only, and no secret', async () => {
    const modules = await docker(['run', '--rm', '--entrypoint', 'ls', tag, 'node_modules']);
    expect(modules.split('\n')).toContain('express');
    expect(modules.split('\n')).not.toContain('typescript');
    expect(modules.split('\n')).not.toContain('vitest');
    const history = await docker(['history', '--no-trunc', tag]);
    const inspect = await docker(['image', 'inspect', tag]);
    for (const text of [history, inspect]) expect(text).not.toContain(secret);
  });

  it('stops with exit code 0 on SIGTERM', async () => {
    await docker(['stop', '-t', '10', container]);
    expect(await docker(['inspect', '-f', '{{.State.ExitCode}}', container])).toBe('0');
  });
});
