import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './net.ts';
import { describeWithTools } from './tools.ts';

const run = promisify(execFile);

/**
 * Where the server binaries of Debian's postgresql package are (not on PATH):
 * $PG_BINDIR, else the newest /usr/lib/postgresql/<major>/bin.
 */
export function postgresBinDir(): string {
  if (process.env.PG_BINDIR) return process.env.PG_BINDIR;
  const base = '/usr/lib/postgresql';
  let majors: string[] = [];
  try {
    majors = readdirSync(base).filter((name) => /^\d+$/.test(name));
  } catch {
    // not installed: the describe block below skips (or fails under CI)
  }
  majors.sort((a, b) => Number(b) - Number(a));
  return join(base, majors[0] ?? '15', 'bin');
}

/** describeWithTools for tests that start their own Postgres cluster. */
export function describeWithPostgres(name: string, body: () => void): void {
  const bin = postgresBinDir();
  describeWithTools(
    ['initdb', 'pg_ctl'].map((tool) => join(bin, tool)),
    name,
    body,
  );
}

export interface PostgresCluster {
  readonly port: number;
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database> */
  url(database?: string, credentials?: { user: string; password: string }): string;
  /** A new, empty database; its URL. */
  createDatabase(name?: string): Promise<string>;
  /** Stops the server (fast: open connections are terminated), keeping the data. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  start(): Promise<void>;
  /**
   * SIGSTOPs the postmaster and its backends: the server accepts TCP connections
   * (the kernel does) but answers nothing, like a frozen or cut-off host. Pair
   * with thaw() in a finally; destroy() thaws too.
   */
  freeze(): Promise<void>;
  /** SIGCONTs what freeze() stopped. Safe to call when not frozen. */
  thaw(): Promise<void>;
  /** Stops it and deletes its directory. */
  destroy(): Promise<void>;
}

/** Tests need no durability: no fsync, no full-page writes. */
const TEST_SETTINGS: Readonly<Record<string, string>> = { fsync: 'off', full_page_writes: 'off' };

/**
 * A private, throwaway Postgres cluster (Debian's postgresql package): initdb
 * into a temporary directory, started on a free loopback port with its socket in
 * that directory, password (scram-sha-256) auth over TCP. As root, the server
 * runs as the `postgres` user (Postgres refuses to run as root). `settings`
 * (name to value) override TEST_SETTINGS. Call destroy() in afterAll.
 */
export async function startPostgres(
  settings: Readonly<Record<string, string>> = {},
): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const dir = await mkdtemp(join(tmpdir(), 'pg-test-'));
  const data = join(dir, 'data');
  const password = randomBytes(12).toString('hex');
  const asRoot = userInfo().uid === 0;
  const owner = asRoot ? await postgresUser() : undefined;
  if (owner) await chown(dir, owner.uid, owner.gid);
  await chmod(dir, 0o700);
  const pwfile = join(dir, 'pwfile');
  await writeFile(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);

  const as = (command: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, command), ...args], { cwd: dir })
      : run(join(bin, command), args, { cwd: dir });

  await as('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    `--pwfile=${pwfile}`,
    '--auth-host=scram-sha-256',
    '--auth-local=trust',
    '--encoding=UTF8',
    '--locale=C',
    '--no-sync',
  ]);
  await rm(pwfile, { force: true });
  const port = await freePort();
  const serverSettings = Object.entries({ ...TEST_SETTINGS, ...settings })
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 ${serverSettings}`;
  const start = async () => {
    await as('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', 'start']);
  };
  const stop = async () => {
    await as('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  };
  await start();

  const url = (database = 'postgres', credentials = { user: 'postgres', password }) =>
    `postgres://${encodeURIComponent(credentials.user)}:${encodeURIComponent(credentials.password)}@127.0.0.1:${port}/${database}`;
  let created = 0;
  let running = true;
  const frozen: number[] = [];
  const thaw = async () => {
    for (const pid of frozen.splice(0)) signal(pid, 'SIGCONT');
  };
  return {
    port,
    url,
    async createDatabase(name) {
      created += 1;
      const database = name ?? `test_${process.pid}_${created}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${database}"`);
      } finally {
        await client.end();
      }
      return url(database);
    },
    async stop() {
      await stop();
      running = false;
    },
    async start() {
      await start();
      running = true;
    },
    async freeze() {
      const postmaster = Number(
        (await readFile(join(data, 'postmaster.pid'), 'utf8')).split('\n')[0],
      );
      // The postmaster first, so that it forks no new backend meanwhile.
      for (const pid of [postmaster, ...(await childrenOf(postmaster))]) {
        signal(pid, 'SIGSTOP');
        frozen.push(pid);
      }
    },
    thaw,
    async destroy() {
      await thaw();
      if (running) await stop().catch(() => undefined);
      running = false;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Direct children of `parent`, from /proc (Linux). */
async function childrenOf(parent: number): Promise<number[]> {
  const children: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces.
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === parent) children.push(Number(entry));
  }
  return children;
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // gone already
  }
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const { stdout } = await run('id', ['-u', 'postgres']).catch(() => {
    throw new Error('running as root needs a `postgres` user (apt-get install postgresql)');
  });
  const gid = (await run('id', ['-g', 'postgres'])).stdout;
  return { uid: Number(stdout.trim()), gid: Number(gid.trim()) };
}
