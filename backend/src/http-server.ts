import { createServer, type RequestListener, type Server } from 'node:http';

/**
 * The HTTP server's timeouts, for a service behind nginx (frontend/nginx), which
 * sends a request's headers and its (buffered, at most 100 kB) body at once and
 * gives up on us after 5 s (proxy_send_timeout, proxy_read_timeout); Prometheus,
 * the drill and the health check talk to the published port directly.
 * - headersMs: an honest client sends its headers within a second; Node's 60 s
 *   let a slow-loris client hold a socket for a minute. 408 after this.
 * - requestMs: headers and body; above headersMs (Node requires it), far below
 *   Node's 300 s.
 * - keepAliveMs: an idle connection is closed after this. It must stay above the
 *   idle timeout of whoever reuses our connections, so they close first and never
 *   send on a socket we are closing: nginx's upstream keepalive_timeout is 60 s by
 *   default (the template opens a connection per request today, but a fork that
 *   adds an upstream `keepalive` gets 60 s), Prometheus scrapes every 5 s.
 * - checkIntervalMs: how often Node looks for connections past headersMs or
 *   requestMs (its default, 30 s, would let them run that much longer).
 */
export const HTTP_TIMEOUTS = Object.freeze({
  headersMs: 10_000,
  requestMs: 15_000,
  keepAliveMs: 65_000,
  checkIntervalMs: 1_000,
});

export function createHttpServer(app: RequestListener): Server {
  return createServer(
    {
      headersTimeout: HTTP_TIMEOUTS.headersMs,
      requestTimeout: HTTP_TIMEOUTS.requestMs,
      keepAliveTimeout: HTTP_TIMEOUTS.keepAliveMs,
      connectionsCheckingInterval: HTTP_TIMEOUTS.checkIntervalMs,
    },
    app,
  );
}

/**
 * Resolves once `server` listens, or rejects with the reason it cannot
 * (EADDRINUSE, EACCES, EADDRNOTAVAIL): never both. Express 5's app.listen calls
 * its callback with the error instead, so "listening" was logged for a port
 * that was taken.
 */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => {
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

/** "the port is already in use" and the like, for the log line that names the address. */
export function describeListenError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (code === 'EADDRINUSE') return 'the port is already in use (EADDRINUSE)';
  if (code === 'EACCES') return 'permission denied (EACCES): a port below 1024 needs privileges';
  if (code === 'EADDRNOTAVAIL') return 'the address is not one of this host (EADDRNOTAVAIL)';
  return error instanceof Error ? error.message : String(error);
}
