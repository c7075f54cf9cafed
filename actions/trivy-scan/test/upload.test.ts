import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, test } from 'vitest';
import { createCodeScanningApi } from '../src/code-scanning-api.ts';
import {
  type CodeScanningApi,
  type CodeScanningMode,
  type CodeScanningStatus,
  decideUpload,
  forkReason,
} from '../src/upload.ts';

const repo = (full_name: string, extra: Record<string, unknown> = {}) => ({ full_name, ...extra });
const pr = (head: unknown, base = repo('acme/pipeline')) => ({
  pull_request: { head: { repo: head }, base: { repo: base } },
  repository: repo('acme/pipeline', { private: false }),
});

describe('forkReason: the head repository against the base, not head.repo.fork', () => {
  test.each([
    // A branch of this repository: not a fork, whatever head.repo.fork says.
    ['a branch of the repository', pr(repo('acme/pipeline', { fork: false })), undefined],
    // In a fork of this repository, head.repo.fork is true for every PR, even from the
    // fork's own branches: the PR is inside the fork, so its token can write there.
    [
      'a branch of a fork, PR inside that fork',
      pr(repo('someone/pipeline', { fork: true }), repo('someone/pipeline', { fork: true })),
      undefined,
    ],
    ['names differing only in case', pr(repo('Acme/Pipeline')), undefined],
    [
      'a PR from a fork',
      pr(repo('someone/pipeline', { fork: true })),
      /comes from a fork \(someone\/pipeline\)/,
    ],
    // head.repo.fork false but another repository (a fork whose flag is missing).
    [
      'another repository, fork flag false',
      pr(repo('other/pipeline', { fork: false })),
      /fork \(other\/pipeline\)/,
    ],
    ['a deleted head repository', pr(null), /head repository is gone .*handled as a fork/],
    ['no head repository at all', { pull_request: { base: { repo: repo('a/b') } } }, /is gone/],
    ['a push', { repository: repo('acme/pipeline') }, undefined],
    ['no payload', undefined, undefined],
  ])('%s', (_label, payload, reason) => {
    const got = forkReason(payload);
    if (reason === undefined) expect(got).toBeUndefined();
    else expect(got).toMatch(reason);
  });
});

/** An API that answers `status` and records the questions. */
function fakeApi(status: CodeScanningStatus) {
  const asked: string[] = [];
  const api: CodeScanningApi = {
    status: async (owner, name) => {
      asked.push(`${owner}/${name}`);
      return status;
    },
  };
  return { asked, api: async () => api };
}

const privateRepo = { repository: repo('acme/secret-app', { private: true }) };
const publicRepo = { repository: repo('acme/pipeline', { private: false }) };
const fromFork = { ...pr(repo('someone/secret-app')), repository: privateRepo.repository };
const disabled: CodeScanningStatus = {
  state: 'disabled',
  message: 'Advanced Security must be enabled for this repository to use code scanning.',
};

describe('decideUpload', () => {
  test.each<[string, unknown, CodeScanningMode, CodeScanningStatus, string, RegExp | '', boolean]>([
    ['public repository', publicRepo, 'auto', disabled, 'upload', '', false],
    ['private, code scanning on', privateRepo, 'auto', { state: 'enabled' }, 'upload', '', true],
    [
      'private, no code scanning',
      privateRepo,
      'auto',
      disabled,
      'skip',
      /acme\/secret-app is private and code scanning is not enabled .*"Advanced Security must be enabled/,
      true,
    ],
    [
      'private, cannot tell',
      privateRepo,
      'auto',
      { state: 'unknown', message: 'HTTP 500' },
      'upload',
      '',
      true,
    ],
    ['private, code-scanning: on', privateRepo, 'on', disabled, 'upload', '', false],
    [
      'code-scanning: off',
      publicRepo,
      'off',
      { state: 'enabled' },
      'skip',
      /code-scanning is off/,
      false,
    ],
    [
      'a fork’s PR, auto',
      fromFork,
      'auto',
      { state: 'enabled' },
      'skip',
      /comes from a fork/,
      false,
    ],
    ['a fork’s PR, on', fromFork, 'on', { state: 'enabled' }, 'skip', /comes from a fork/, false],
  ])('%s → %s', async (_label, payload, mode, status, upload, reason, asks) => {
    const api = fakeApi(status);
    const decision = await decideUpload({ payload, mode, repository: undefined, api: api.api });
    expect(decision.upload).toBe(upload);
    if (reason === '') expect(decision.reason).toBe('');
    else expect(decision.reason).toMatch(reason);
    expect(api.asked).toEqual(asks ? ['acme/secret-app'] : []);
    if (status.state === 'unknown' && asks)
      expect(decision.warning).toMatch(/Could not tell .*HTTP 500/);
  });

  it('asks about GITHUB_REPOSITORY when it is set', async () => {
    const api = fakeApi({ state: 'enabled' });
    await decideUpload({
      payload: privateRepo,
      mode: 'auto',
      repository: 'acme/other',
      api: api.api,
    });
    expect(api.asked).toEqual(['acme/other']);
  });
});

/**
 * The real client (Octokit from @actions/github) against a local stand-in for GitHub's
 * API, answering as GitHub does for each case.
 */
describe('createCodeScanningApi against a local HTTP server', () => {
  let server: Server;
  let baseUrl: string;
  const seen: Array<{ url: string; auth: string | undefined }> = [];
  const answers: Record<string, [number, unknown]> = {
    'has-analyses': [200, [{ id: 1, tool: { name: 'Trivy' } }]],
    'no-analyses': [
      404,
      { message: 'no analysis found', documentation_url: 'https://docs.github.com/rest' },
    ],
    'no-ghas': [
      403,
      {
        message: 'Advanced Security must be enabled for this repository to use code scanning.',
        documentation_url: 'https://docs.github.com/rest/code-scanning',
      },
    ],
    'no-permission': [403, { message: 'Resource not accessible by integration' }],
    broken: [500, { message: 'Server Error' }],
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push({ url: req.url ?? '', auth: req.headers.authorization });
      const name =
        /^\/repos\/acme\/([^/]+)\/code-scanning\/analyses/.exec(req.url ?? '')?.[1] ?? '';
      const [status, body] = answers[name] ?? [404, { message: 'Not Found' }];
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  test.each([
    ['has-analyses', 'enabled', undefined],
    ['no-analyses', 'enabled', undefined],
    ['no-ghas', 'disabled', /Advanced Security must be enabled/],
    ['no-permission', 'unknown', /HTTP 403: Resource not accessible by integration/],
    ['broken', 'unknown', /HTTP 500/],
  ])('%s → %s', async (name, state, message) => {
    const status = await createCodeScanningApi('t0ken', baseUrl).status('acme', name);
    expect(status.state).toBe(state);
    if (message) expect('message' in status ? status.message : '').toMatch(message);
    const request = seen.at(-1);
    expect(request?.url).toBe(`/repos/acme/${name}/code-scanning/analyses?per_page=1`);
    expect(request?.auth).toBe('token t0ken');
  });

  it('says "unknown" when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const status = await createCodeScanningApi('t', `http://127.0.0.1:${port}`).status('a', 'b');
    expect(status.state).toBe('unknown');
  });
});
