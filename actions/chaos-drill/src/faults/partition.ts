/**
 * partition: the service is cut off from a peer (`docker network disconnect` from every
 * network they share, e.g. db from backend); reconnected with the same DNS aliases.
 */
import type { z } from 'zod';
import { serviceName } from '../schema-parts.ts';
import { defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('partition', { from: serviceName });

interface Cut {
  readonly network: string;
  readonly aliases: readonly string[];
}

export const partition = defineFault<z.output<typeof schema>>({
  action: 'partition',
  schema,
  verb: 'cut off',
  noun: 'a network partition',
  recoveries: ['reconnect'],
  ends: false,
  command: (s) => `docker network disconnect <networks shared with ${s.from}> ${s.service}`,
  params: (s) => ({ from: s.from }),
  inject: async (s, target, tools, save) => {
    const [peer] = (await tools.control.containersOf(s.from)).filter((c) => c.state === 'running');
    if (!peer) throw new Error(`partition: service "${s.from}" has no running container`);
    const mine = await tools.docker.inspect(target.id);
    const theirs = await tools.docker.inspect(peer.id);
    const cuts: Cut[] = Object.entries(mine.networks)
      .filter(([network]) => network in theirs.networks)
      .map(([network, n]) => ({ network, aliases: n.aliases }));
    if (cuts.length === 0)
      throw new Error(`partition: ${s.service} and ${s.from} share no network`);
    await save({ cuts });
    for (const cut of cuts) await tools.docker.disconnect(cut.network, target.id);
    return { cuts };
  },
  undo: async (_s, target, state, _recovery, tools) => {
    if (!target) return;
    const cuts = (state.cuts ?? []) as readonly Cut[];
    const now = await tools.docker.inspect(target.id);
    // Docker adds the short container id as an alias by itself.
    for (const cut of cuts.filter((c) => !(c.network in now.networks)))
      await tools.docker.connect(
        cut.network,
        target.id,
        cut.aliases.filter((a) => !target.id.startsWith(a)),
      );
  },
  undoCommand: (s) =>
    `docker network connect --alias ${s.service} <the same networks> ${s.service}`,
});
