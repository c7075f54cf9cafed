import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildStandins,
  docker,
  publishedPort,
  testName,
  waitHealthy,
} from '../../test/support/docker.ts';
import { describeWithTools } from '../../test/support/tools.ts';

describeWithTools(['docker'], 'frontend image (stand-in nginx base)', () => {
  const tag = `local/${testName('frontend')}:latest`;
  const container = testName('frontend');
  const unrendered = testName('frontend-unrendered');
  let url: string;

  beforeAll(async () => {
    await buildStandins('nginx');
    await docker([
      'build',
      '--build-arg',
      'NGINX_IMAGE=local/standin/nginx:latest',
      '-t',
      tag,
      'frontend',
    ]);
    // Hardened as Compose runs it: read-only root, no capabilities. nginx
    // writes its pid and temp files to /tmp and the entrypoint renders the
    // template into /etc/nginx/conf.d, so both are tmpfs that uid 101 owns.
    await docker([
      'run',
      '-d',
      '--name',
      container,
      '--read-only',
      '--cap-drop',
      'ALL',
      '--security-opt',
      'no-new-privileges',
      '--tmpfs',
      '/tmp',
      '--tmpfs',
      '/etc/nginx/conf.d:uid=101,gid=101,mode=0755',
      '--health-interval',
      '1s',
      '-p',
      '127.0.0.1::8080',
      tag,
    ]);
    await waitHealthy(container, 60_000);
    url = `http://127.0.0.1:${await publishedPort(container, 8080)}`;
  });

  afterAll(async () => {
    await docker(['rm', '-f', '-v', container, unrendered]).catch(() => undefined);
    await docker(['rmi', '-f', tag]).catch(() => undefined);
  });

  it('runs as uid 101 and answers /healthz', async () => {
    expect(await docker(['exec', container, 'id', '-u'])).toBe('101');
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('serves the page with the security headers', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Service status');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    expect(res.headers.get('server')).toBe('nginx');
  });

  it('answers the JSON 503 on /api/status while no backend exists', async () => {
    const started = Date.now();
    const res = await fetch(`${url}/api/status`);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toMatchObject({
      error: { status: 503, code: 'backend_unavailable' },
    });
  });

  it('logs requests as JSON on stdout', async () => {
    const logs = await docker(['logs', container]);
    const entries = logs
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ uri: '/api/status', status: 503 }));
  });

  it('serves stub_status on 8081 inside the container only', async () => {
    const status = await docker([
      'exec',
      container,
      'wget',
      '-q',
      '-O',
      '-',
      'http://127.0.0.1:8081/nginx_status',
    ]);
    expect(status).toMatch(/^Active connections: \d+/);
    await expect(docker(['port', container, '8081'])).rejects.toThrow();
  });

  it('never turns healthy half-configured when the template cannot be rendered', async () => {
    // Read-only root without the conf.d tmpfs: the entrypoint cannot write the
    // server config, and the image has no other one to fall back to.
    await docker([
      'run',
      '-d',
      '--name',
      unrendered,
      '--read-only',
      '--tmpfs',
      '/tmp',
      '--health-interval',
      '1s',
      '--health-retries',
      '2',
      tag,
    ]);
    // The entrypoint stops on the failed write (or, with a root-owned tmpfs
    // there, nginx starts with no server): either way never healthy.
    await expect(waitHealthy(unrendered, 15_000)).rejects.toThrow(
      /not healthy \((exited|running unhealthy)/,
    );
  });
});
