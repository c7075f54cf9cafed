import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  buildStandins,
  docker,
  publishedPort,
  testName,
  waitHealthy,
} from '../../../test/support/docker.ts';
import { describeWithTools } from '../../../test/support/tools.ts';

interface Sample {
  metric: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (enough of the format for cAdvisor). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[key as string] = value as string;
    samples.push({ metric: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

// The cAdvisor stand-in (scripts/standins/cadvisor.sh) watching a real container
// with a 64 MiB limit on the real engine, mounted the way the seed and dockprom
// mount cAdvisor. Not --privileged: on the machines this project is tested on,
// the engine's bounding set lacks CAP_SYS_RESOURCE, so runc refuses privileged
// containers ("unable to apply caps"); read-only mounts of /sys and the Docker
// socket are all the cgroup v1 (cgroupfs) and v2 (systemd) readers need.
describeWithTools(['docker', 'go'], 'cAdvisor stand-in', () => {
  const cadvisor = testName('cadvisor');
  const target = testName('cadvisor-target');
  const limit = 64 * 1024 * 1024;
  let targetId = '';
  let port = 0;

  beforeAll(async () => {
    await buildStandins('node', 'cadvisor');
    // biome-ignore format: one mount a line
    await docker([
      'run', '-d', '--name', cadvisor, '-p', '127.0.0.1::8080',
      '-v', '/:/rootfs:ro',
      '-v', '/var/run:/var/run:ro',
      '-v', '/sys:/sys:ro',
      '-v', '/var/lib/docker/:/var/lib/docker:ro',
      '-v', '/dev/disk/:/dev/disk:ro',
      'local/standin/cadvisor:latest',
    ]);
    targetId = await docker([
      'run',
      '-d',
      '--init',
      '--name',
      target,
      '-m',
      '64m',
      'local/standin/node:latest',
      'node',
      '-e',
      'setInterval(() => {}, 1000)',
    ]);
    await waitHealthy(cadvisor, 60_000);
    port = await publishedPort(cadvisor, 8080);
  });

  afterAll(async () => {
    await docker(['rm', '-f', '-v', cadvisor, target]).catch(() => undefined);
  });

  it('answers /healthz with ok', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok');
  });

  it('exports CPU, memory and the memory limit of the target, labelled like cAdvisor', async () => {
    const wanted = [
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
      'container_spec_memory_limit_bytes',
    ];
    // The new container is picked up on its cgroup's creation and then sampled
    // every housekeeping interval (1 s by default): poll for a while.
    let samples: Sample[] = [];
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      samples = parseExposition(await res.text()).filter((s) => s.labels.name === target);
      if (wanted.every((metric) => samples.some((s) => s.metric === metric))) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    const of = (metric: string) => samples.filter((s) => s.metric === metric);
    for (const metric of wanted) expect(of(metric), metric).not.toHaveLength(0);

    for (const sample of samples) {
      expect(sample.labels.image).toBe('local/standin/node:latest');
      // /docker/<id> with cgroupfs (v1, here); /system.slice/docker-<id>.scope with systemd (v2, GitHub).
      expect(sample.labels.id).toContain(targetId);
    }
    expect(of('container_spec_memory_limit_bytes').map((s) => s.value)).toEqual([limit]);
    const workingSet = of('container_memory_working_set_bytes')[0]?.value ?? 0;
    expect(workingSet).toBeGreaterThan(0);
    expect(workingSet).toBeLessThan(limit);
    const cpu = of('container_cpu_usage_seconds_total').reduce((sum, s) => sum + s.value, 0);
    expect(cpu).toBeGreaterThan(0);
  });
});
