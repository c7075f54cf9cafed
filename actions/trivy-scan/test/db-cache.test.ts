import { expect, it, test } from 'vitest';
import { cacheAvailable, createDbCache, dbCacheKey } from '../src/db-cache.ts';

test.each([
  [{}, false],
  [{ ACTIONS_RUNTIME_TOKEN: 't' }, false],
  [{ ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_CACHE_URL: 'https://cache' }, true],
  [{ ACTIONS_RUNTIME_TOKEN: 't', ACTIONS_RESULTS_URL: 'https://results' }, true],
])('cache service in %j: %s', (env, available) => {
  expect(cacheAvailable(env)).toBe(available);
});

it('keys the DB by UTC day', () => {
  expect(dbCacheKey(new Date('2026-11-26T23:59:59Z'))).toBe('trivy-db-2026-11-26');
});

it('imports @actions/cache on first use, not when the DB cache is built', async () => {
  const calls: string[] = [];
  const dbCache = createDbCache(async () => {
    calls.push('load');
    return {
      restoreCache: async (_paths: string[], key: string) => key,
      saveCache: async (_paths: string[], key: string) => {
        calls.push(`save ${key}`);
        return 1;
      },
    } as never;
  });
  expect(calls).toEqual([]);
  expect(await dbCache.restore(['db'], 'trivy-db-2026-11-26', ['trivy-db-'])).toBe(
    'trivy-db-2026-11-26',
  );
  await dbCache.save(['db'], 'trivy-db-2026-11-27');
  expect(calls).toEqual(['load', 'load', 'save trivy-db-2026-11-27']);
});
