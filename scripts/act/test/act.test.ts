import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, test } from 'vitest';
import { REPO_ROOT } from '../../../test/support/docker.ts';
import { actionsDir, flagValue, prepareAct } from '../cli.ts';
import { localRepositories, parseUses, remoteActions } from '../local-actions.ts';
import { goSemver, isCached, NODE_VERSION, seedGo } from '../tool-cache.ts';

const SHA = 'de0fac2e4500dabe0009e67214ff5f5447ce83dd';

test.each([
  [`actions/checkout@${SHA}`, { repository: 'actions/checkout', ref: SHA }],
  [`github/codeql-action/upload-sarif@${SHA}`, { repository: 'github/codeql-action', ref: SHA }],
  ['docker/setup-buildx-action@v4', { repository: 'docker/setup-buildx-action', ref: 'v4' }],
  ['./actions/trivy-scan', undefined],
  ['./.github/workflows/pipeline.yml', undefined],
  ['docker://alpine:3.20', undefined],
  ['actions/checkout', undefined],
])('parseUses(%s)', (uses, expected) => {
  const action = parseUses(uses);
  expect(action && { repository: action.repository, ref: action.ref }).toEqual(expected);
  if (action) expect(action.key).toBe(`${action.repository}@${action.ref}`);
});

describe('remoteActions', () => {
  it('collects every step and job uses once, sub-paths folded into their repository', () => {
    const workflow = `
jobs:
  a:
    steps:
      - uses: actions/checkout@${SHA}
      - run: echo
      - uses: github/codeql-action/upload-sarif@abc
      - uses: github/codeql-action/init@abc
  b:
    uses: ./.github/workflows/pipeline.yml
  c:
    uses: octo/reusable/.github/workflows/x.yml@v1
    `;
    expect(
      remoteActions([
        workflow,
        `jobs:\n  d:\n    steps:\n      - uses: actions/checkout@${SHA}\n`,
      ]).map((a) => a.key),
    ).toEqual([`actions/checkout@${SHA}`, 'github/codeql-action@abc', 'octo/reusable@v1']);
  });

  it('finds every pinned action of this repository, each pinned by a full SHA', () => {
    const dir = join(REPO_ROOT, '.github/workflows');
    const texts = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'));
    const actions = remoteActions(texts);
    expect(actions.length).toBeGreaterThanOrEqual(7);
    for (const action of actions) expect(action.ref).toMatch(/^[0-9a-f]{40}$/);
  });
});

describe('localRepositories', () => {
  const actions = remoteActions([
    `jobs:\n  a:\n    steps:\n      - uses: actions/checkout@${SHA}\n      - uses: github/codeql-action/upload-sarif@abc\n`,
  ]);

  it('maps the actions that have a tree and names the ones that do not', () => {
    const trees = new Set([`/mirror/actions/checkout/${SHA}`]);
    const result = localRepositories(actions, '/mirror', (path) => trees.has(path));
    expect(result.args).toEqual([
      '--local-repository',
      `actions/checkout@${SHA}=/mirror/actions/checkout/${SHA}`,
    ]);
    expect(result.missing.map((a) => a.key)).toEqual(['github/codeql-action@abc']);
  });
});

test.each([
  [['push', '--action-cache-path', '/x'], '/x'],
  [['push', '--action-cache-path=/y', '-j', 'a'], '/y'],
  [['push', '-j', 'a'], undefined],
])('flagValue(%j)', (argv, expected) => {
  expect(flagValue(argv, '--action-cache-path')).toBe(expected);
});

test.each([
  ['go1.26.8', '1.26.8'],
  ['go1.26', '1.26'],
  ['go1.27rc1', '1.27'],
  ['devel', undefined],
])('goSemver(%s)', (goversion, expected) => {
  expect(goSemver(goversion)).toBe(expected);
});

describe('the tool cache and the action trees', () => {
  const dirs: string[] = [];
  const scratch = () => {
    const dir = mkdtempSync(join(tmpdir(), 'act-cli-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('seeds Go as a link with the marker setup-go looks for, once', () => {
    const cache = scratch();
    const goroot = scratch();
    expect(isCached(cache, 'go', '1.26.8')).toBe(false);
    const dir = seedGo(cache, goroot, '1.26.8');
    expect(dir).toBe(join(cache, 'go', '1.26.8', 'x64'));
    expect(isCached(cache, 'go', '1.26.8')).toBe(true);
    expect(seedGo(cache, '/elsewhere', '1.26.8')).toBe(dir);
  });

  it('takes ACT_ACTIONS_DIR when set, and refuses one that does not exist', () => {
    const mirror = scratch();
    expect(actionsDir('/nowhere/repo', { ACT_ACTIONS_DIR: mirror })).toBe(mirror);
    expect(() => actionsDir('/nowhere/repo', { ACT_ACTIONS_DIR: join(mirror, 'no') })).toThrow(
      /ACT_ACTIONS_DIR=.*no such directory/,
    );
    expect(actionsDir('/nowhere/repo', {})).toBeUndefined();
  });

  it('maps the workflows’ actions from the trees it is given, and says which are missing', () => {
    const mirror = scratch();
    mkdirSync(join(mirror, 'actions/checkout/3d3c42e5aac5ba805825da76410c181273ba90b1'), {
      recursive: true,
    });
    // No Node download in a unit test: a cache that already holds the version.
    const cache = scratch();
    const node = join(cache, 'tool_cache/node', NODE_VERSION, 'x64');
    mkdirSync(join(node, 'bin'), { recursive: true });
    writeFileSync(`${node}.complete`, '');
    const act = prepareAct(['push', '--action-cache-path', cache], {
      env: { ...process.env, ACT_ACTIONS_DIR: mirror },
      act: '/usr/bin/true',
    });
    expect(act.command).toBe('/usr/bin/true');
    expect(act.args.slice(0, 2)).toEqual([
      '--local-repository',
      `actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1=${mirror}/actions/checkout/3d3c42e5aac5ba805825da76410c181273ba90b1`,
    ]);
    expect(act.args.slice(-3)).toEqual(['push', '--action-cache-path', cache]);
    expect(act.notes.join('\n')).toMatch(/no tree for actions\/setup-node@/);
    expect(act.env.PATH?.split(':')[0]).toBe(join(node, 'bin'));
  });
});
