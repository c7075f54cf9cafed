import { readdirSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { errorMessage, lastLines } from '../src/errors.ts';
import { createReportWriter } from '../src/reports.ts';
import { readJson, saveJson } from '../src/state.ts';
import { humanBytes, humanDuration, markdownTable, thousands } from '../src/summary.ts';

const temps: string[] = [];
afterAll(async () => {
  for (const dir of temps) await rm(dir, { recursive: true, force: true });
});

describe('reports', () => {
  test('writes atomically: the file appears whole and no temp file is left', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'));
    temps.push(dir);
    const reports = createReportWriter(dir);
    const path = await reports.write('stack/logs/web.log', 'line 1\n');
    await reports.write('stack/logs/web.log', 'line 2\n');
    await reports.writeJson('stack/targets.json', { a: 1 });
    expect(await readFile(path, 'utf8')).toBe('line 2\n');
    expect(await readFile(join(dir, 'stack/targets.json'), 'utf8')).toBe('{\n  "a": 1\n}\n');
    expect((await readdir(join(dir, 'stack/logs'))).sort()).toEqual(['web.log']);
  });
  test('streams iterables and async iterables: the same bytes as the joined content', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'reports-'));
    temps.push(dir);
    const reports = createReportWriter(dir);
    // Several 64 KiB writes, bytes between text, and a surrogate pair split at a write.
    const head = ['a'.repeat(65_535), '\uD83D', '\uDE00 é'];
    const bytes = Buffer.from('€ bytes');
    const tail = [...Array.from({ length: 5000 }, (_, i) => `,{"n":${i},"t":"ü"}`), '\n'];
    const pieces = [...head, bytes, ...tail];
    const expected = Buffer.concat([Buffer.from(head.join('')), bytes, Buffer.from(tail.join(''))]);
    expect(expected.toString('utf8')).toContain('\u{1F600} é€ bytes');
    async function* later() {
      for (const piece of pieces) yield piece;
    }
    for (const [name, content] of [
      ['sync.txt', pieces],
      ['generator.txt', pieces.values()],
      ['async.txt', later()],
    ] as const) {
      const written = await readFile(await reports.write(name, content));
      expect(written.length).toBe(expected.length);
      expect(written.equals(expected)).toBe(true); // no diff of 200 KB on failure
    }
    expect(await readFile(await reports.write('empty.txt', []), 'utf8')).toBe('');
    expect((await readdir(dir)).sort()).toEqual([
      'async.txt',
      'empty.txt',
      'generator.txt',
      'sync.txt',
    ]);
  });

  test.each(['a sync', 'an async'])(
    '%s iterable that throws halfway leaves the old file and no temp file',
    async (kind) => {
      const dir = await mkdtemp(join(tmpdir(), 'reports-'));
      temps.push(dir);
      const reports = createReportWriter(dir);
      await reports.write('trivy.sarif', 'old\n');
      let during: string[] = [];
      function* failing() {
        yield 'x'.repeat(200_000); // written to the temp file before the next piece is asked for
        during = readdirSync(dir);
        throw new Error('made up halfway');
      }
      async function* failingLater() {
        yield* failing();
      }
      await expect(
        reports.write('trivy.sarif', kind === 'a sync' ? failing() : failingLater()),
      ).rejects.toThrow('made up halfway');
      expect(during.filter((f) => f.endsWith('.tmp'))).toHaveLength(1);
      expect(await readdir(dir)).toEqual(['trivy.sarif']);
      expect(await readFile(join(dir, 'trivy.sarif'), 'utf8')).toBe('old\n');
    },
  );
  test.each(['../escape.txt', '/etc/passwd', '.'])(
    'refuses %j outside the reports directory',
    async (path) => {
      const reports = createReportWriter(join(tmpdir(), 'never-created'));
      await expect(reports.write(path, 'x')).rejects.toThrow('is outside the reports directory');
    },
  );
});

describe('summary helpers', () => {
  test('markdownTable escapes pipes and newlines', () => {
    expect(
      markdownTable(
        ['A', 'B'],
        [
          ['x|y', 'l1\nl2'],
          [1, 2],
        ],
      ),
    ).toBe('| A | B |\n| --- | --- |\n| x\\|y | l1<br>l2 |\n| 1 | 2 |');
  });
  test.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [118_760_680, '113.3 MiB'],
    [-1, 'unknown'],
  ])('humanBytes(%d) = %s', (n, text) => {
    expect(humanBytes(n)).toBe(text);
  });
  test.each([
    [0, '0'],
    [999, '999'],
    [1000, '1,000'],
    [25_000, '25,000'],
    [1_234_567, '1,234,567'],
    [-4321, '-4,321'],
    [1.5, '1.5'],
  ])('thousands(%d) = %s, as toLocaleString("en-US") writes integers', (n, text) => {
    expect(thousands(n)).toBe(text);
    if (Number.isInteger(n)) expect(thousands(n)).toBe(n.toLocaleString('en-US'));
  });
  test.each([
    [850, '850 ms'],
    [12_300, '12.3 s'],
    [125_000, '2 m 5 s'],
  ])('humanDuration(%d) = %s', (n, text) => {
    expect(humanDuration(n)).toBe(text);
  });
});

describe('errors and state', () => {
  test.each([
    [new Error('boom'), 'boom'],
    ['a string', 'a string'],
    [{ code: 1 }, '{"code":1}'],
    [undefined, 'undefined'],
  ])('errorMessage(%j) = %s', (error, text) => {
    expect(errorMessage(error)).toBe(text);
  });
  test('lastLines drops blanks', () => {
    expect(lastLines('a\n\nb\nc\n\n', 2)).toEqual(['b', 'c']);
  });
  test('state round trip, unset and malformed', () => {
    const saved = new Map<string, string>();
    const store = {
      save: (k: string, v: string) => saved.set(k, v),
      get: (k: string) => saved.get(k) ?? '',
    };
    saveJson(store, 'x', { a: [1] });
    expect(readJson(store, 'x', (v) => v)).toEqual({ a: [1] });
    expect(readJson(store, 'unset', (v) => v)).toBeUndefined();
    saved.set('bad', '{');
    expect(() => readJson(store, 'bad', (v) => v)).toThrow('State "bad" is not valid JSON');
  });
});
