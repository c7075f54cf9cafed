import { join } from 'node:path';
import type { Compose } from '../../shared/src/compose.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import type { Log } from '../../shared/src/log.ts';
import type { PrometheusClient } from '../../shared/src/prometheus.ts';
import type { ReportWriter } from '../../shared/src/reports.ts';

/** Service names safe as file names. */
export function logFileName(service: string): string {
  return `${service.replace(/[^A-Za-z0-9_.-]/g, '_')}.log`;
}

/**
 * The post step's work, each part independent: a failure to save one thing is a warning
 * and the rest (above all `down`) still happens. Returns the problems, for the summary.
 */
export async function collectAndTearDown(deps: {
  compose: Compose;
  reports: ReportWriter;
  prometheus?: PrometheusClient;
  log: Log;
}): Promise<{ saved: string[]; problems: string[] }> {
  const { compose, reports, log } = deps;
  const saved: string[] = [];
  const problems: string[] = [];
  const attempt = async (what: string, fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (error) {
      const message = `stack-up post: could not ${what}: ${errorMessage(error)}`;
      problems.push(message);
      log.warning(message);
    }
  };
  await attempt('save `ps`', async () => {
    saved.push(await reports.write('ps.txt', await compose.ps()));
  });
  await attempt('save service logs', async () => {
    // Services that have containers: not every service defined (inactive profiles have none).
    const services = [...new Set((await compose.containers()).map((c) => c.service))].sort();
    for (const service of services) {
      await attempt(`save the logs of ${service}`, async () => {
        saved.push(
          await reports.write(
            join('logs', logFileName(service)),
            await compose.logs({ services: [service] }),
          ),
        );
      });
    }
  });
  const prometheus = deps.prometheus;
  if (prometheus) {
    await attempt('save the Prometheus targets', async () => {
      saved.push(
        await reports.writeJson('prometheus-targets.json', await prometheus.targetsJson()),
      );
    });
  }
  await attempt('tear the stack down', async () => {
    const down = await compose.down({ volumes: true, removeOrphans: true });
    if (down.exitCode !== 0)
      throw new Error(`compose down exited ${down.exitCode}: ${down.stderr.trim()}`);
  });
  return { saved, problems };
}
