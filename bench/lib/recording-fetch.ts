/**
 * BENCH_RECORD=dir for `npm run bench:drill`: a fetch that saves the real Prometheus answers
 * a drill measured from, as the chaos-drill unit tests' fixtures
 * (actions/chaos-drill/test/fixtures/kill-backend/): the raw-sample range queries, and
 * /api/v1/alerts while an alert was firing. The last run's answers win.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The fixture a Prometheus request is saved as, or undefined for one that is not kept. */
export function fixtureName(url: URL): string | undefined {
  const query = url.searchParams.get('query') ?? '';
  if (query.includes('[') && !query.endsWith('[1m]'))
    return query.startsWith('ALERTS') ? 'alerts-range.json' : 'up-range.json';
  return url.pathname.endsWith('/alerts') ? 'alerts-api.json' : undefined;
}

export function recordingFetch(dir: string): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const name = fixtureName(new URL(String(input)));
    if (name === undefined) return response;
    const text = await response.clone().text();
    if (name !== 'alerts-api.json' || text.includes('"firing"')) {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, name), text);
    }
    return response;
  };
}
