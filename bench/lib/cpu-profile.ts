/** The parts of a V8 .cpuprofile (node --cpu-prof) that the summary reads. */
export interface CpuProfile {
  nodes: ReadonlyArray<{
    id: number;
    callFrame: { functionName: string; url: string; lineNumber: number };
  }>;
  samples: readonly number[];
  /** µs, on the monotonic clock process.hrtime reads (CLOCK_MONOTONIC on Linux). */
  startTime?: number;
  /** µs between samples, the first from startTime. */
  timeDeltas?: readonly number[];
}

export interface ProfileSummary {
  readonly samples: number;
  /** Share of the samples (0-1) by where the code comes from: a package, node:<module>, our file. */
  readonly byOrigin: ReadonlyArray<readonly [origin: string, share: number]>;
  /** Share of the samples by function (self time), the top ones. */
  readonly byFunction: ReadonlyArray<readonly [fn: string, share: number]>;
}

/**
 * Where a frame's code comes from: `express`, `@scope/pkg`, `node:http`,
 * `backend/src/metrics.ts`, or V8's own (`(garbage collector)`, `(idle)`,
 * `(native)` for builtins without a script).
 */
export function originOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /.*node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg?.[1]) return pkg[1];
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const ours = /(?:backend|bench)\/[^?#]+$/.exec(url);
  return ours?.[0] ?? url;
}

const frameName = (frame: CpuProfile['nodes'][number]['callFrame']) => {
  const file = frame.url.split('/').slice(-2).join('/');
  return `${frame.functionName || '(anonymous)'}${file ? ` ${file}:${frame.lineNumber + 1}` : ''}`;
};

/** The samples taken at or after `fromUs` (all of them without timestamps). */
export function samplesFrom(profile: CpuProfile, fromUs: number | undefined): number[] {
  const { startTime, timeDeltas } = profile;
  if (fromUs === undefined || startTime === undefined || timeDeltas === undefined)
    return [...profile.samples];
  const kept: number[] = [];
  let at = startTime;
  profile.samples.forEach((id, i) => {
    at += timeDeltas[i] ?? 0;
    if (at >= fromUs) kept.push(id);
  });
  return kept;
}

/**
 * Self time by origin and by function, as shares of the samples from `fromUs`
 * on (the load, not the start-up), largest first.
 */
export function summariseProfile(profile: CpuProfile, top = 12, fromUs?: number): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const origins = new Map<string, number>();
  const functions = new Map<string, number>();
  const samples = samplesFrom(profile, fromUs);
  for (const id of samples) {
    const node = nodes.get(id);
    if (node === undefined) continue;
    const origin = originOf(node.callFrame.url, node.callFrame.functionName);
    origins.set(origin, (origins.get(origin) ?? 0) + 1);
    const fn = frameName(node.callFrame);
    functions.set(fn, (functions.get(fn) ?? 0) + 1);
  }
  const total = samples.length;
  const shares = (counts: Map<string, number>) =>
    [...counts]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .slice(0, top)
      .map(([name, count]) => Object.freeze([name, total === 0 ? 0 : count / total] as const));
  return Object.freeze({
    samples: total,
    byOrigin: shares(origins),
    byFunction: shares(functions),
  });
}
