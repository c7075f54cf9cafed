import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, test } from 'vitest';
import { REPO_ROOT } from '../../test/support/docker.ts';

// scripts/init-env.sh in a scratch copy of the repository's layout: fresh
// clones, files from before the database existed, and conflicts.
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function scratch(files: { env?: string; backendEnv?: string } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'init-env-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'backend'));
  copyFileSync(join(REPO_ROOT, 'scripts/init-env.sh'), join(dir, 'scripts/init-env.sh'));
  copyFileSync(join(REPO_ROOT, 'backend/.env.example'), join(dir, 'backend/.env.example'));
  if (files.env !== undefined) writeFileSync(join(dir, '.env'), files.env);
  if (files.backendEnv !== undefined) writeFileSync(join(dir, 'backend/.env'), files.backendEnv);
  const run = () => spawnSync('bash', [join(dir, 'scripts/init-env.sh')], { encoding: 'utf8' });
  const read = (name: string) => readFileSync(join(dir, name), 'utf8');
  const value = (name: string, key: string) =>
    read(name)
      .split('\n')
      .find((line) => line.startsWith(`${key}=`))
      ?.slice(key.length + 1);
  return { dir, run, read, value };
}

const urlPassword = (url: string | undefined) =>
  /^postgres:\/\/app:([^@]+)@db:5432\/app$/.exec(url ?? '')?.[1];

describe('scripts/init-env.sh', () => {
  it('on a fresh clone: random secrets, POSTGRES_PASSWORD matching DATABASE_URL, files only for the owner', () => {
    const s = scratch();
    expect(s.run().status).toBe(0);
    const password = s.value('.env', 'POSTGRES_PASSWORD');
    expect(password).toMatch(/^[0-9a-f]{32}$/);
    expect(urlPassword(s.value('backend/.env', 'DATABASE_URL'))).toBe(password);
    expect(s.value('backend/.env', 'SECRET_KEY')).toMatch(/^[0-9a-f]{64}$/);
    expect(s.value('.env', 'GRAFANA_ADMIN_PASSWORD')).toMatch(/^[0-9a-f]{32}$/);
    const mode = execFileSync(
      'stat',
      ['-c', '%a', join(s.dir, '.env'), join(s.dir, 'backend/.env')],
      {
        encoding: 'utf8',
      },
    );
    expect(mode.trim().split('\n')).toEqual(['600', '600']);
  });

  it('a second run changes nothing', () => {
    const s = scratch();
    s.run();
    const before = [s.read('.env'), s.read('backend/.env')];
    const second = s.run();
    expect(second.status).toBe(0);
    expect(second.stdout).toBe('');
    expect([s.read('.env'), s.read('backend/.env')]).toEqual(before);
  });

  test.each([
    [
      'backend/.env from before the database (its DATABASE_URL password wins)',
      {
        env: 'GRAFANA_ADMIN_PASSWORD=g\n',
        backendEnv: 'SECRET_KEY=s\nDATABASE_URL=postgres://app:0ld5ecret@db:5432/app\n',
      },
      '0ld5ecret',
    ],
    [
      '.env with POSTGRES_PASSWORD, backend/.env without DATABASE_URL (and no final newline)',
      { env: 'GRAFANA_ADMIN_PASSWORD=g\nPOSTGRES_PASSWORD=pw9\n', backendEnv: 'SECRET_KEY=s' },
      'pw9',
    ],
    ['only .env exists', { env: 'GRAFANA_ADMIN_PASSWORD=g\nPOSTGRES_PASSWORD=pw7\n' }, 'pw7'],
  ])('completes %s consistently', (_name, files, password) => {
    const s = scratch(files);
    const result = s.run();
    expect(result.status).toBe(0);
    expect(s.value('.env', 'POSTGRES_PASSWORD')).toBe(password);
    expect(urlPassword(s.value('backend/.env', 'DATABASE_URL'))).toBe(password);
    expect(s.value('.env', 'GRAFANA_ADMIN_PASSWORD')).toBe('g');
  });

  it('stops when the two passwords differ, naming both places and neither value', () => {
    const s = scratch({
      env: 'GRAFANA_ADMIN_PASSWORD=g\nPOSTGRES_PASSWORD=hunter2a\n',
      backendEnv: 'DATABASE_URL=postgres://app:hunter2b@db:5432/app\n',
    });
    const result = s.run();
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/POSTGRES_PASSWORD in \.env .* DATABASE_URL differ/);
    expect(result.stderr).not.toContain('hunter2');
  });

  it('leaves a DATABASE_URL for another database alone', () => {
    const s = scratch({
      env: 'GRAFANA_ADMIN_PASSWORD=g\n',
      backendEnv: 'DATABASE_URL=postgres://u:p@external.example:5432/x\n',
    });
    expect(s.run().status).toBe(0);
    expect(s.value('backend/.env', 'DATABASE_URL')).toBe('postgres://u:p@external.example:5432/x');
    expect(s.value('.env', 'POSTGRES_PASSWORD')).toMatch(/^[0-9a-f]{32}$/);
  });
});
