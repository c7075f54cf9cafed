import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from '../../test/support/net.ts';
import { type RunningProcess, startProcess } from '../../test/support/process.ts';

const FRONTEND = fileURLToPath(new URL('..', import.meta.url));
export const PUBLIC_DIR = join(FRONTEND, 'public');
const NGINX_CONF = join(FRONTEND, 'nginx', 'nginx.conf');
const TEMPLATE = join(FRONTEND, 'nginx', 'templates', 'default.conf.template');

export interface RenderOptions {
  /** Loopback port for the page server (8080 in the image). */
  port: number;
  /** Loopback port for the stub_status server (8081 in the image). */
  statusPort: number;
  backendHost: string;
  backendPort: number;
  /** The dashboards' host ports for /links.json (the image's defaults: 3000, 9090). */
  dashboardPorts?: { grafana: number; prometheus: number };
}

export interface RenderedConfig {
  readonly dir: string;
  /** The rendered nginx.conf, for `nginx -t -c` and `nginx -c`. */
  readonly confPath: string;
  /** Where the JSON access log goes (stdout in the image). */
  readonly accessLogPath: string;
  remove(): Promise<void>;
}

/** Folders 0755 and files 0644 below dir, whatever the umask of the clone was. */
async function readableByAll(dir: string): Promise<void> {
  await chmod(dir, 0o755);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await readableByAll(path);
    else await chmod(path, 0o644);
  }
}

/**
 * Does to the project's config what the image does, then moves it from the
 * image's paths to a temp dir so the host's nginx can run it unprivileged on
 * loopback ports: the template through the same envsubst rule, nginx.conf as is.
 * Every rewrite must match, so a config change that outgrows this helper fails
 * loudly instead of testing something else.
 */
export async function renderNginxConfig(options: RenderOptions): Promise<RenderedConfig> {
  const dir = await mkdtemp(join(tmpdir(), 'frontend-nginx-'));
  try {
    // Workers run as nobody when the test runner is root: they must reach the temp paths.
    await chmod(dir, 0o755);
    await mkdir(join(dir, 'conf.d'));
    await mkdir(join(dir, 'tmp'));
    // The pages are copied in, as the image copies them: a clone may lie under a folder
    // those workers cannot enter (a `mktemp -d` folder is 0700).
    const html = join(dir, 'html');
    await cp(PUBLIC_DIR, html, { recursive: true });
    await readableByAll(html);
    const env = {
      BACKEND_HOST: options.backendHost,
      BACKEND_PORT: String(options.backendPort),
      // The backend is an IP literal in tests, so no lookup ever reaches it.
      NGINX_LOCAL_RESOLVERS: '127.0.0.1',
      GRAFANA_HOST_PORT: String(options.dashboardPorts?.grafana ?? 3000),
      PROMETHEUS_HOST_PORT: String(options.dashboardPorts?.prometheus ?? 9090),
    };
    const template = rewrite(envsubst(await readFile(TEMPLATE, 'utf8'), env), TEMPLATE, [
      [/\blisten 8080;/g, `listen 127.0.0.1:${options.port};`],
      [/\blisten 8081;/g, `listen 127.0.0.1:${options.statusPort};`],
      [/\/usr\/share\/nginx\/html\b/g, html],
    ]);
    await writeFile(join(dir, 'conf.d', 'default.conf'), template);
    const main = rewrite(await readFile(NGINX_CONF, 'utf8'), NGINX_CONF, [
      [/(?<=\s)\/tmp\//g, `${join(dir, 'tmp')}/`],
      [/\/etc\/nginx\/conf\.d\//g, `${join(dir, 'conf.d')}/`],
      // One worker is plenty on a shared 2-core machine.
      [/\bworker_processes auto;/g, 'worker_processes 1;'],
      // Node gives a child sockets, not pipes, and open("/dev/stdout") fails
      // on a socket (ENXIO); Docker gives pipes. The test reads a file instead.
      [/\baccess_log \/dev\/stdout\b/g, `access_log ${join(dir, 'access.log')}`],
    ]);
    const confPath = join(dir, 'nginx.conf');
    await writeFile(confPath, main);
    return {
      dir,
      confPath,
      accessLogPath: join(dir, 'access.log'),
      remove: () => rm(dir, { recursive: true, force: true }),
    };
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

/**
 * envsubst with a variable list, as the image's entrypoint runs it: `${NAME}`
 * and `$NAME` of the listed names are replaced, everything else is kept.
 * An upper-case `${NAME}` left over is a template variable the test does not
 * know about, which is an error.
 */
export function envsubst(text: string, env: Record<string, string>): string {
  const out = text.replace(
    /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (all, a, b) => {
      const name = (a ?? b) as string;
      return Object.hasOwn(env, name) ? (env[name] as string) : all;
    },
  );
  const unknown = out.match(/\$\{[A-Z][A-Z0-9_]*\}/g);
  if (unknown)
    throw new Error(`template uses variables the test does not set: ${unknown.join(', ')}`);
  return out;
}

function rewrite(
  text: string,
  file: string,
  rules: ReadonlyArray<readonly [RegExp, string]>,
): string {
  return rules.reduce((acc, [pattern, replacement]) => {
    if (!pattern.test(acc)) throw new Error(`${file}: nothing matches ${pattern} any more`);
    pattern.lastIndex = 0;
    return acc.replace(pattern, replacement);
  }, text);
}

export interface RunningNginx {
  readonly url: string;
  readonly statusUrl: string;
  readonly process: RunningProcess;
  /** The JSON access log so far. */
  accessLog(): Promise<string>;
  /** Stops nginx gracefully (workers too) and removes its temp dir. */
  stop(): Promise<void>;
}

/** The host's nginx on free loopback ports with the project's config, ready when /healthz answers. */
export async function startNginx(
  backend: { host?: string; port: number },
  options: Pick<RenderOptions, 'dashboardPorts'> = {},
): Promise<RunningNginx> {
  const port = await freePort();
  let statusPort = await freePort();
  while (statusPort === port) statusPort = await freePort();
  const config = await renderNginxConfig({
    port,
    statusPort,
    backendHost: backend.host ?? '127.0.0.1',
    backendPort: backend.port,
    ...options,
  });
  const proc = startProcess('nginx', ['-c', config.confPath, '-g', 'daemon off;']);
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    // SIGTERM lets the master take its worker down with it; SIGKILL would orphan it.
    await proc.stop('SIGTERM');
    await config.remove();
  };
  try {
    await Promise.race([
      waitForHttp(`${url}/healthz`, 10_000),
      proc.exited.then((code) => {
        throw new Error(`nginx exited (${code}) before it was ready:\n${proc.output()}`);
      }),
    ]);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    statusUrl: `http://127.0.0.1:${statusPort}`,
    process: proc,
    accessLog: () => readFile(config.accessLogPath, 'utf8'),
    stop,
  };
}
