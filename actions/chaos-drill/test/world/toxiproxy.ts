import type { ToxiproxyApi } from '../../src/toxiproxy.ts';
import type { Timeline } from './timeline.ts';

/** Toxiproxy's API in front of the database: a latency toxic makes the database slow. */
export function fakeToxiproxy(line: Timeline, actions: string[]): (url: string) => ToxiproxyApi {
  const toxics = new Set<string>();
  return (url) => ({
    url,
    toxics: async () => [...toxics],
    async addToxic(proxy, toxic) {
      actions.push(`toxic add ${proxy} ${toxic.type} ${toxic.attributes.latency}`);
      toxics.add(toxic.name);
      line.set('db', 'slow');
    },
    async removeToxic(proxy, name) {
      actions.push(`toxic remove ${proxy} ${name}`);
      toxics.delete(name);
      line.set('db', 'up');
    },
  });
}
