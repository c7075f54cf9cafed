import type { Server } from 'node:http';
import type { Lifecycle } from './lifecycle.ts';
import type { Logger } from './logger.ts';

export interface ShutdownOptions {
  server: Server;
  lifecycle: Lifecycle;
  logger: Logger;
  /** Time between readiness turning 503 and the listener closing. */
  drainMs: number;
  /** Longest wait for in-flight requests; then their connections are cut. */
  timeoutMs: number;
  /** Extra clean-up once the server is closed (pools, timers). */
  onClosed?: () => Promise<void>;
}

export type ShutdownResult = 'clean' | 'forced';

/**
 * Graceful shutdown: readiness goes 503, then the listener stops accepting,
 * idle keep-alive connections are closed, requests in flight finish. Resolves
 * 'clean' when they did within `timeoutMs`, 'forced' when connections had to be cut.
 * Calling it twice returns the same promise.
 */
export function createShutdown(options: ShutdownOptions): () => Promise<ShutdownResult> {
  let running: Promise<ShutdownResult> | undefined;
  return () => {
    running ??= shutdown(options);
    return running;
  };
}

async function shutdown({
  server,
  lifecycle,
  logger,
  drainMs,
  timeoutMs,
  onClosed,
}: ShutdownOptions): Promise<ShutdownResult> {
  const started = Date.now();
  lifecycle.beginShutdown();
  logger.info({ drainMs, timeoutMs }, 'shutdown started: readiness is now 503');
  if (drainMs > 0) await delay(drainMs);

  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  // close() only drops the connections idle at that moment; a keep-alive
  // connection whose request finishes later would hold the server open until
  // its idle timeout, so keep sweeping until the server has closed.
  server.closeIdleConnections();
  const sweeper = setInterval(() => server.closeIdleConnections(), 50);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'forced'>((resolve) => {
    timer = setTimeout(() => resolve('forced'), timeoutMs);
  });
  const result = await Promise.race([closed.then(() => 'clean' as const), timedOut]);
  clearTimeout(timer);
  clearInterval(sweeper);
  if (result === 'forced') {
    logger.warn(
      { timeoutMs },
      'in-flight requests outlived the shutdown timeout; closing their connections',
    );
    server.closeAllConnections();
  }
  await onClosed?.();
  logger.info({ result, durationMs: Date.now() - started }, 'shutdown finished');
  return result;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
