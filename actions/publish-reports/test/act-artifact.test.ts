/**
 * publish-reports under act: the zip, the token's ids, and the upload against a stand-in of
 * act v0.2.89's v4 artifact server with its strict checks. The real act server is exercised
 * by publish-reports-act.e2e.test.ts and test/chaos-drill-workflow.e2e.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { describeWithTools } from '../../../test/support/tools.ts';
import { appendQuery, backendIds, createActArtifactUploader } from '../src/act-artifact.ts';
import { createArtifactUploader } from '../src/upload.ts';
import { zipArchive } from '../src/zip.ts';
import { type FakeActServer, startFakeActServer } from './fake-act-server.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

/** A reports folder: two files, one in a subfolder. */
async function reports(): Promise<{ root: string; files: string[] }> {
  const root = await mkdtemp(join(tmpdir(), 'publish-act-'));
  temps.push(root);
  await mkdir(join(root, 'drills/kill-backend'), { recursive: true });
  await writeFile(join(root, 'drills/kill-backend/journal.json'), '{"events":[]}\n'.repeat(50));
  await writeFile(join(root, 'ps.txt'), 'NAME STATUS\nbackend Up\n');
  return {
    root,
    files: [join(root, 'drills/kill-backend/journal.json'), join(root, 'ps.txt')],
  };
}

describeWithTools(['unzip'], 'zipArchive, read back by unzip', () => {
  const entries = [
    {
      name: 'a.txt',
      data: Buffer.from('hello '.repeat(100)),
      modified: new Date(2026, 0, 2, 3, 4, 6),
    },
    { name: 'sub/dir/é.json', data: Buffer.from('{"x":1}'), modified: new Date(2026, 0, 2) },
    { name: 'empty.log', data: Buffer.alloc(0), modified: new Date(2026, 0, 2) },
  ];
  test.each([0, 1, 6, 9])('compression level %i', async (level) => {
    const dir = await mkdtemp(join(tmpdir(), 'zip-'));
    temps.push(dir);
    const zip = await zipArchive(entries, level);
    await writeFile(join(dir, 'a.zip'), zip);
    expect(execFileSync('unzip', ['-t', join(dir, 'a.zip')], { encoding: 'utf8' })).toContain(
      'No errors detected',
    );
    for (const entry of entries)
      expect(execFileSync('unzip', ['-p', join(dir, 'a.zip'), entry.name])).toEqual(entry.data);
    const listing = execFileSync('unzip', ['-l', join(dir, 'a.zip')], { encoding: 'utf8' });
    expect(listing).toContain('2026-01-02 03:04   a.txt');
    expect(listing).toContain('sub/dir/é.json');
    if (level === 0) expect(zip.includes(entries[0]?.data ?? Buffer.alloc(1))).toBe(true);
    else expect(zip.length).toBeLessThan((await zipArchive(entries, 0)).length - 400);
  });
});

describe('act helpers', () => {
  const jwt = (payload: unknown) =>
    `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`;
  test.each([
    ['Actions.Results:1:1', { run: '1', job: '1' }],
    [
      'Actions.GenericRead:x Actions.Results:ce7f54c7:ca395085',
      { run: 'ce7f54c7', job: 'ca395085' },
    ],
  ])('backendIds from scope %s', (scp, ids) => {
    expect(backendIds(jwt({ scp }))).toEqual(ids);
  });
  test.each([
    ['no-dots', 'ACTIONS_RUNTIME_TOKEN is not a JWT'],
    [jwt({ scp: 'Actions.GenericRead:x' }), 'no Actions.Results:<run>:<job> scope'],
    [jwt({}), 'no Actions.Results:<run>:<job> scope'],
  ])('backendIds(%s) fails: %s', (token, message) => {
    expect(() => backendIds(token)).toThrow(message);
  });
  test('appendQuery leaves the signed part byte for byte (the = padding of sig included)', () => {
    const signed =
      'http://h/UploadArtifact?sig=mO7y35r4Gy-Fv1NDXD84KLEgLpoPOtDI=&expires=2024-01-23+21%3A48%3A37+%2B0000+UTC';
    expect(appendQuery(signed, 'comp=blocklist')).toBe(`${signed}&comp=blocklist`);
    expect(appendQuery('http://h/u', 'comp=block')).toBe('http://h/u?comp=block');
  });
});

describe("against a stand-in of act v0.2.89's artifact server", () => {
  let act: FakeActServer;
  beforeEach(async () => {
    act = await startFakeActServer();
  });
  afterEach(async () => {
    await act.close();
  });

  test('ACT=true picks the act upload, which stores the zip where act keeps it and finalizes it', async () => {
    const { root, files } = await reports();
    const uploader = createArtifactUploader({
      ACT: 'true',
      ACTIONS_RESULTS_URL: act.url,
      ACTIONS_RUNTIME_TOKEN: act.token,
    });
    const result = await uploader.upload('chaos-drill', files, root, {
      retentionDays: 5,
      compressionLevel: 6,
    });
    const zip = act.files.get('1/chaos-drill/chaos-drill.zip');
    expect(zip?.subarray(0, 2).toString()).toBe('PK');
    expect(zip?.includes(Buffer.from('drills/kill-backend/journal.json'))).toBe(true);
    expect(zip?.includes(Buffer.from('ps.txt'))).toBe(true);
    const digest = createHash('sha256')
      .update(zip ?? '')
      .digest('hex');
    expect(result).toEqual({ id: 1226083698, size: zip?.length, digest });
    expect(act.finalized).toEqual([
      {
        workflow_run_backend_id: '1',
        workflow_job_run_backend_id: '1',
        name: 'chaos-drill',
        size: String(zip?.length),
        hash: `sha256:${digest}`,
      },
    ]);
    expect(
      act.requests.map((r) =>
        `${r.method} ${r.path.split('/').pop()} ${/comp=\w+/.exec(r.query)?.[0] ?? ''}`.trim(),
      ),
    ).toEqual([
      'POST CreateArtifact',
      'PUT UploadArtifact comp=block',
      'PUT UploadArtifact comp=blocklist',
      'POST FinalizeArtifact',
    ]);
    expect(act.requests[0]?.authorization).toBe(`Bearer ${act.token}`);
  });

  test('without act’s artifact server (no --artifact-server-path) it says what to do', async () => {
    const { root, files } = await reports();
    await expect(
      createActArtifactUploader({ ACT: 'true' }).upload('r', files, root, {
        retentionDays: 0,
        compressionLevel: 6,
      }),
    ).rejects.toThrow('run act with --artifact-server-path <dir>');
  });

  test('a refusal names the call and the status', async () => {
    const { root, files } = await reports();
    const refusing: typeof fetch = async () => new Response(null, { status: 401 });
    await expect(
      createActArtifactUploader(
        { ACTIONS_RESULTS_URL: act.url, ACTIONS_RUNTIME_TOKEN: act.token },
        refusing,
      ).upload('r', files, root, { retentionDays: 0, compressionLevel: 6 }),
    ).rejects.toThrow("CreateArtifact: HTTP 401 from act's artifact server");
  });

  test('a file outside the root directory is refused, not zipped as ../', async () => {
    const { root, files } = await reports();
    await expect(
      createActArtifactUploader({
        ACTIONS_RESULTS_URL: act.url,
        ACTIONS_RUNTIME_TOKEN: act.token,
      }).upload('r', files, join(root, 'drills'), { retentionDays: 0, compressionLevel: 6 }),
    ).rejects.toThrow('is not under the root directory');
  });
});

/**
 * Why the act path exists, kept as a test: if @actions/artifact (or the Azure SDK under it)
 * stops dropping the `=` of act's signature, this fails and the act path can be reconsidered.
 * The stand-in accepts mime_type here, so only the blob upload is on trial.
 */
describe('@actions/artifact against the same stand-in', () => {
  let act: FakeActServer;
  const saved = { ...process.env };
  beforeEach(async () => {
    act = await startFakeActServer({ acceptUnknownFields: true });
    process.env.ACTIONS_RESULTS_URL = act.url;
    process.env.ACTIONS_RUNTIME_TOKEN = act.token;
  });
  afterEach(async () => {
    process.env = { ...saved };
    await act.close();
  });

  test('its block upload loses the padding of sig and is refused (401), as act refuses it', async () => {
    const { root, files } = await reports();
    const uploader = createArtifactUploader({});
    await expect(
      uploader.upload('chaos-drill', files, root, { retentionDays: 0, compressionLevel: 6 }),
    ).rejects.toThrow();
    const block = act.requests.find((r) => r.query.includes('comp=block'));
    const issued = /[?&]sig=([^&]*)/.exec(act.issued[0] ?? '')?.[1] ?? '';
    const sent = /[?&]sig=([^&]*)/.exec(block?.query ?? '')?.[1];
    expect(issued).toMatch(/^[A-Za-z0-9_-]{43}=$/); // 32 bytes, padded base64url
    expect(sent).toBe(issued.slice(0, -1));
    expect(act.files.get('1/chaos-drill/chaos-drill.zip')).toEqual(Buffer.alloc(0));
  }, 60_000);
});
