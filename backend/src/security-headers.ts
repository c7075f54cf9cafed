import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export type Headers = ReadonlyArray<readonly [name: string, value: string]>;

/**
 * The headers helmet(options) sets, computed once instead of at every request.
 * With no per-request directive (no CSP nonce function) helmet's answer depends
 * on nothing in the request: its twelve small middlewares, chained per request,
 * only ever set the same values (backend/test/security-headers.test.ts checks it).
 */
export function helmetHeaders(options?: HelmetOptions): Headers {
  const headers: [string, string][] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      headers.push([name, String(value)]);
    },
    removeHeader() {
      // X-Powered-By: the app never sets it (x-powered-by is off).
    },
  };
  let failure: unknown;
  helmet(options)(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      failure = error;
    },
  );
  if (failure !== undefined) throw failure;
  if (headers.length === 0) throw new Error('helmet set no header synchronously');
  return Object.freeze(headers.map((h) => Object.freeze(h)));
}

/** Sets `headers` on `res`. */
export function setHeaders(res: ServerResponse, headers: Headers): void {
  for (const [name, value] of headers) res.setHeader(name, value);
}
