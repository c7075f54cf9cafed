/**
 * The vulnerability DB, kept in the Actions cache for a day so matrix jobs and re-runs
 * do not all pull it (and hit registry rate limits). Behind an interface: tests pass a
 * plain object, main.ts the real cache.
 */
export interface DbCache {
  /** Restores into `paths`; resolves with the key that hit, or undefined. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>;
  save(paths: string[], key: string): Promise<void>;
}

/**
 * @actions/cache (with its Azure storage client) is imported on first use: most of the
 * bundle, and not needed when inputs fail, reports are given or no cache service exists.
 */
export function createDbCache(
  load: () => Promise<typeof import('@actions/cache')> = () => import('@actions/cache'),
): DbCache {
  return {
    restore: async (paths, key, restoreKeys) =>
      (await load()).restoreCache(paths, key, restoreKeys),
    save: async (paths, key) => {
      await (await load()).saveCache(paths, key);
    },
  };
}

/** Whether the runner has a cache service at all (not on a laptop, not in `act` by default). */
export function cacheAvailable(env: Readonly<Record<string, string | undefined>>): boolean {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL));
}

export const DB_KEY_PREFIX = 'trivy-db-';

/** `trivy-db-2026-11-26`: one cache entry per UTC day. */
export function dbCacheKey(now: Date): string {
  return `${DB_KEY_PREFIX}${now.toISOString().slice(0, 10)}`;
}
