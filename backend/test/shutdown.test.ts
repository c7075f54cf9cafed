import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, createServer as createNetServer } from 'node:net';
import express from 'express';
import { afterEach, describe, expect, it, test } from 'vitest';
import { startBackend } from '../../test/support/backend.ts';
import { stopAll } from '../../test/support/process.ts';
import {
  createHttpServer,
  describeListenError,
  HTTP_TIMEOUTS,
  listen as listenOn,
} from '../src/http-server.ts';
import { createShutdown } from '../src/shutdown.ts';
import { buildApp, memoryLogger } from './helpers.ts';

afterEach(stopAll);

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : 0);
    });
  });
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('createShutdown (in process, real sockets)', () => {
  it('lets a request in flight finish, refuses new connections, and reports a clean stop', async () => {
    const { app, lifecycle } = buildApp();
    const outer = express();
    let release: () => void = () => {};
    let arrived: () => void = () => {};
    const slowArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    outer.get('/slow', (_req, res) => {
      arrived();
      new Promise<void>((resolve) => {
        release = resolve;
      }).then(() => res.json({ finished: true }));
    });
    outer.use(app);
    const server = createServer(outer);
    const port = await listen(server);
    const { logger, lines } = memoryLogger();

    const inFlight = get(port, '/slow');
    await slowArrived;
    const shutdown = createShutdown({ server, lifecycle, logger, drainMs: 0, timeoutMs: 5000 });
    const done = shutdown();
    expect(shutdown()).toBe(done); // idempotent: a second signal does not start a second shutdown

    expect(lifecycle.isShuttingDown()).toBe(true);
    await expect(get(port, '/healthz')).rejects.toThrow(/ECONNREFUSED/);
    release();
    await expect(inFlight).resolves.toEqual({ status: 200, body: '{"finished":true}' });
    await expect(done).resolves.toBe('clean');
    expect(lines.some((line) => line.includes('"result":"clean"'))).toBe(true);
  });

  it('cuts connections that outlive the timeout and reports a forced stop', async () => {
    const { app, lifecycle } = buildApp();
    const outer = express();
    let arrived: () => void = () => {};
    const slowArrived = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    outer.get('/hang', () => arrived()); // never answers
    outer.use(app);
    const server = createServer(outer);
    const port = await listen(server);
    const hanging = get(port, '/hang').catch((error: Error) => error);
    await slowArrived;
    const result = await createShutdown({
      server,
      lifecycle,
      logger: memoryLogger().logger,
      drainMs: 0,
      timeoutMs: 200,
    })();
    expect(result).toBe('forced');
    expect(await hanging).toBeInstanceOf(Error);
  });

  it('keeps answering (readiness 503) during the drain period before closing the listener', async () => {
    const { app, lifecycle } = buildApp();
    const server = createServer(app);
    const port = await listen(server);
    const done = createShutdown({
      server,
      lifecycle,
      logger: memoryLogger().logger,
      drainMs: 300,
      timeoutMs: 1000,
    })();
    await expect(get(port, '/readyz')).resolves.toMatchObject({ status: 503 });
    await expect(done).resolves.toBe('clean');
  });
});

describe('createHttpServer', () => {
  it('sets the timeouts chosen for a service behind nginx, not Node defaults', () => {
    const server = createHttpServer(() => undefined);
    expect({
      headersTimeout: server.headersTimeout,
      requestTimeout: server.requestTimeout,
      keepAliveTimeout: server.keepAliveTimeout,
    }).toEqual({ headersTimeout: 10_000, requestTimeout: 15_000, keepAliveTimeout: 65_000 });
    // Above nginx's default upstream keepalive_timeout (60 s): nginx closes first.
    expect(server.keepAliveTimeout).toBeGreaterThan(60_000);
    expect(server.headersTimeout).toBeLessThanOrEqual(server.requestTimeout);
    expect(HTTP_TIMEOUTS.checkIntervalMs).toBeLessThan(HTTP_TIMEOUTS.headersMs);
  });

  it('listen() rejects, and never resolves, when the port is taken', async () => {
    const first = createHttpServer(() => undefined);
    const port = await listen(first);
    try {
      const second = createHttpServer(() => undefined);
      await expect(listenOn(second, port, '127.0.0.1')).rejects.toMatchObject({
        code: 'EADDRINUSE',
      });
      expect(second.listening).toBe(false);
    } finally {
      first.close();
    }
  });

  test.each([
    ['EADDRINUSE', 'the port is already in use (EADDRINUSE)'],
    ['EACCES', 'permission denied (EACCES): a port below 1024 needs privileges'],
    ['EADDRNOTAVAIL', 'the address is not one of this host (EADDRNOTAVAIL)'],
    ['EOTHER', 'listen EOTHER'],
  ])('describeListenError(%s)', (code, text) => {
    expect(describeListenError(Object.assign(new Error(`listen ${code}`), { code }))).toBe(text);
  });
});

describe('the server process', () => {
  it('completes a request in flight at SIGTERM, then exits 0', async () => {
    const backend = await startBackend({ LOG_LEVEL: 'info' });
    // A request whose body is still arriving when SIGTERM lands: truly in flight.
    const socket = connect(backend.port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    let response = '';
    socket.on('data', (chunk: Buffer) => {
      response += chunk.toString();
    });
    const closed = new Promise((resolve) => socket.once('close', resolve));
    const body = '{"hello":"world"}';
    socket.write(
      `POST /api/status HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 5)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    backend.child.kill('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(backend.child.exitCode).toBeNull(); // still waiting for our request
    socket.write(body.slice(5));
    await closed; // by the server, once the answer is sent, not after the keep-alive timeout
    expect(response).toMatch(/^HTTP\/1\.1 405 /); // answered (POST is not allowed there), not cut
    await expect(backend.exited).resolves.toBe(0);
    expect(backend.output()).toContain('"result":"clean"');
  });

  it('a port already in use: logs it naming the port, exits 1, never claims to be listening', async () => {
    // Takes the port and hangs up on everyone: startBackend's health poll never succeeds.
    const blocker = createNetServer((socket) => socket.destroy());
    const port = await listen(blocker as unknown as Server);
    try {
      const failure = await startBackend({ LOG_LEVEL: 'info' }, port).then(
        () => 'started',
        (error: Error) => error.message,
      );
      expect(failure).toMatch(/^backend exited \(1\) before it was ready/);
      expect(failure).toContain(
        `cannot listen on 127.0.0.1:${port}: the port is already in use (EADDRINUSE)`,
      );
      expect(failure).not.toContain('listening on');
    } finally {
      blocker.close();
    }
  });

  it('refuses to start in production without a SECRET_KEY, naming the variable', async () => {
    await expect(startBackend({ NODE_ENV: 'production', SECRET_KEY: '' })).rejects.toThrow(
      /exited \(78\)[\s\S]*SECRET_KEY: required when NODE_ENV=production/,
    );
  });

  // Every place DATABASE_URL can carry a credential (node-postgres reads them all).
  test.each([
    ['a password before the host', 'postgres://app:hunter2pw@db:5432/app', ['hunter2']],
    ['an encoded password', 'postgres://app:hunter2%40pw@db:5432/app', ['hunter2']],
    ['?password=', 'postgres://app@db:5432/notes?password=hunter2pw', ['hunter2']],
    ['?user= and ?password=', 'postgres://db:5432/app?user=app&password=hunter2pw', ['hunter2']],
    [
      'a key passphrase and key file',
      'postgres://app@db/app?sslpassword=hunter2pw&sslkey=/run/hunter2.key',
      ['hunter2'],
    ],
    ['server options', 'postgres://app@db/app?options=-c%20my.token%3Dhunter2', ['hunter2']],
  ])('never logs its secrets: SECRET_KEY and %s', async (_name, databaseUrl, secrets) => {
    const backend = await startBackend({
      LOG_LEVEL: 'trace',
      NODE_ENV: 'production',
      SECRET_KEY: 'hunter2'.repeat(6),
      DATABASE_URL: databaseUrl,
    });
    await fetch(`${backend.url}/api/status`);
    await fetch(`${backend.url}/api/notes`);
    await backend.stop('SIGTERM');
    const output = backend.output();
    expect(output).toContain('listening on');
    expect(output).toMatch(/"database":"postgres:\/\/[^"]*db[^"]*"/);
    for (const secret of secrets) expect(output).not.toContain(secret);
  });
});
