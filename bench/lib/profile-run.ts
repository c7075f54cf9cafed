import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CpuProfile, type ProfileSummary, summariseProfile } from './cpu-profile.ts';
import type { Target } from './measurement.ts';
import { type RunningServer, type ServerSpec, startServer } from './servers.ts';

/**
 * Runs `spec` under node --cpu-prof, drives it with the target `load(server)`
 * builds for `durationS` (after a warm-up), stops it and summarises the profile
 * of its main thread during the measured run.
 */
export async function profileUnderLoad(
  spec: ServerSpec,
  load: (server: RunningServer) => Target,
  options: { durationS: number; warmupS: number },
): Promise<ProfileSummary> {
  const dir = await mkdtemp(join(tmpdir(), 'bench-cpu-prof-'));
  try {
    const server = await startServer(spec, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
    let measuredFromUs: number;
    try {
      const target = load(server);
      await target.run(options.warmupS);
      // Only the measured run counts: not the start-up (module loading) nor the warm-up.
      measuredFromUs = Number(process.hrtime.bigint() / 1000n);
      await target.run(options.durationS);
    } finally {
      await server.proc.stop('SIGTERM');
    }
    return summariseProfile(await largestProfile(dir), 12, measuredFromUs);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The main thread's profile: tsx's loader thread writes a small one beside it. */
async function largestProfile(dir: string): Promise<CpuProfile> {
  const files = (await readdir(dir)).filter((name) => name.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`node --cpu-prof wrote no profile in ${dir}`);
  const sized = await Promise.all(
    files.map(async (name) => ({ name, size: (await stat(join(dir, name))).size })),
  );
  const [largest] = sized.sort((a, b) => b.size - a.size);
  return JSON.parse(await readFile(join(dir, largest?.name ?? ''), 'utf8')) as CpuProfile;
}
