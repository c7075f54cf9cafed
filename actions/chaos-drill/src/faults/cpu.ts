/**
 * cpu: the container is starved of CPU (`docker update --cpu-period/--cpu-quota`, what
 * `--cpus` sets). The quota, not `--cpus`, because Docker 20.10 cannot take `--cpus` back
 * to unlimited (`--cpus 0` is ignored) while `--cpu-quota -1` is.
 */
import { z } from 'zod';
import { defineFault, faultSchema } from './driver.ts';

const schema = faultSchema('cpu', { cpus: z.number().positive().max(64) });
const PERIOD = 100_000;

export const cpu = defineFault<z.output<typeof schema>>({
  action: 'cpu',
  schema,
  verb: 'starved of CPU',
  noun: 'CPU starvation',
  recoveries: ['restore-limits'],
  ends: false,
  command: (s) =>
    `docker update --cpus ${s.cpus} ${s.service} (as --cpu-period ${PERIOD} --cpu-quota ${Math.round(s.cpus * PERIOD)})`,
  params: (s) => ({ cpus: s.cpus }),
  inject: async (s, target, tools, save) => {
    const before = await tools.docker.inspect(target.id);
    const state = { cpuQuota: before.cpuQuota, cpuPeriod: before.cpuPeriod };
    await save(state);
    await tools.docker.update(target.id, [
      '--cpu-period',
      String(PERIOD),
      '--cpu-quota',
      String(Math.max(1000, Math.round(s.cpus * PERIOD))),
    ]);
    return state;
  },
  undo: async (_s, target, state, _recovery, tools) => {
    if (!target || state.cpuQuota === undefined) return;
    const quota = Number(state.cpuQuota);
    const period = Number(state.cpuPeriod) || PERIOD;
    await tools.docker.update(target.id, [
      '--cpu-period',
      String(period),
      '--cpu-quota',
      String(quota > 0 ? quota : -1),
    ]);
  },
  undoCommand: (s) => `docker update --cpu-quota <as before> ${s.service}`,
});
