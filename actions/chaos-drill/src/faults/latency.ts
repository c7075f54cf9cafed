/**
 * latency: Toxiproxy delays every answer on a proxy in the path (the `toxiproxy` Compose
 * profile puts one between the backend and db). Works on any kernel, where netem needs
 * CONFIG_NET_SCH_NETEM. `service` is the proxy's Compose service.
 */
import { z } from 'zod';
import { duration, serviceName } from '../schema-parts.ts';
import { defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('latency', {
  /** The Toxiproxy proxy's name (its config's `name`). */
  proxy: z.string().min(1),
  latency: duration,
  jitter: duration.default(0),
  /** Where the API is: this service's published port (Compose port). */
  api: z
    .strictObject({ service: serviceName.optional(), port: z.number().int().default(8474) })
    .default({ port: 8474 }),
});

const TOXIC = 'chaos-drill-latency';

export const latency = defineFault<z.output<typeof schema>>({
  action: 'latency',
  schema,
  verb: 'slowed down',
  noun: 'added latency (Toxiproxy)',
  recoveries: ['remove-toxic'],
  ends: false,
  command: (s) =>
    `toxiproxy: add latency ${s.latency} ms ± ${s.jitter} ms to proxy ${s.proxy} (${s.service})`,
  params: (s) => ({ proxy: s.proxy, latencyMs: s.latency, jitterMs: s.jitter }),
  inject: async (s, _target, tools) => {
    const url = await tools.control.publishedUrl(s.api.service ?? s.service, s.api.port);
    await tools.toxiproxy(url).addToxic(s.proxy, {
      name: TOXIC,
      type: 'latency',
      stream: 'downstream',
      toxicity: 1,
      attributes: { latency: s.latency, jitter: s.jitter },
    });
    return { toxic: TOXIC };
  },
  undo: async (s, _target, _state, _recovery, tools) => {
    const url = await tools.control.publishedUrl(s.api.service ?? s.service, s.api.port);
    await tools.toxiproxy(url).removeToxic(s.proxy, TOXIC);
  },
  undoCommand: (s) => `toxiproxy: remove toxic ${TOXIC} from proxy ${s.proxy}`,
});
