/**
 * Toxiproxy's HTTP API (github.com/Shopify/toxiproxy, port 8474): the latency fault adds
 * a toxic to a proxy that sits in the path (backend → db under the `toxiproxy` Compose
 * profile) and removes it again. Only the three calls the drill needs.
 */
import { errorMessage } from '../../shared/src/errors.ts';

export interface Toxic {
  readonly name: string;
  readonly type: 'latency' | 'timeout' | 'bandwidth' | 'reset_peer' | 'slow_close';
  /** upstream: client → server; downstream: server → client (a delayed answer). */
  readonly stream: 'upstream' | 'downstream';
  readonly toxicity: number;
  readonly attributes: Readonly<Record<string, number>>;
}

export interface ToxiproxyApi {
  readonly url: string;
  /** The proxy's toxics, by name; throws when the proxy does not exist. */
  toxics(proxy: string): Promise<string[]>;
  addToxic(proxy: string, toxic: Toxic): Promise<void>;
  /** Removes a toxic; one that is already gone is not an error (undo runs more than once). */
  removeToxic(proxy: string, name: string): Promise<void>;
}

export function createToxiproxy(url: string, doFetch: typeof fetch = fetch): ToxiproxyApi {
  const base = url.replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown) => {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        signal: AbortSignal.timeout(5000),
        ...(body === undefined
          ? {}
          : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
      });
    } catch (error) {
      throw new Error(
        `Toxiproxy at ${base} is unreachable (${method} ${path}): ${errorMessage(error)}`,
      );
    }
    return response;
  };
  const failed = async (r: Response, what: string) =>
    new Error(`Toxiproxy ${what}: HTTP ${r.status} ${(await r.text()).slice(0, 200)}`);
  return Object.freeze({
    url: base,
    async toxics(proxy: string) {
      const r = await call('GET', `/proxies/${encodeURIComponent(proxy)}/toxics`);
      if (!r.ok) throw await failed(r, `proxy "${proxy}"`);
      return ((await r.json()) as { name: string }[]).map((t) => t.name);
    },
    async addToxic(proxy: string, toxic: Toxic) {
      const r = await call('POST', `/proxies/${encodeURIComponent(proxy)}/toxics`, toxic);
      if (!r.ok) throw await failed(r, `adding toxic ${toxic.name} to "${proxy}"`);
    },
    async removeToxic(proxy: string, name: string) {
      const path = `/proxies/${encodeURIComponent(proxy)}/toxics/${encodeURIComponent(name)}`;
      const r = await call('DELETE', path);
      if (!r.ok && r.status !== 404)
        throw await failed(r, `removing toxic ${name} from "${proxy}"`);
    },
  });
}
