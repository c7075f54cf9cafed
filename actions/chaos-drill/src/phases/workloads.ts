/**
 * Workloads: the user load (open model, the impact and SLO figures) and the writer (the
 * notes that must not be lost), started before the fault and stopped after the recovery.
 */
import { type LoadRun, type LoadSample, startLoad } from '../load.ts';
import type { NotesApi } from '../notes-api.ts';
import { resolveUrl } from '../probes.ts';
import {
  newestNoteId,
  startWriter,
  verifyWrites,
  type WriterRun,
  type WritesSummary,
  writerMarker,
} from '../writer.ts';
import { type DrillContext, PreflightError } from './context.ts';

export interface WorkloadsRecord {
  readonly load?: { readonly run: LoadRun; readonly url: string };
  readonly writer?: {
    readonly run: WriterRun;
    readonly api: NotesApi;
    readonly url: string;
    readonly baselineId: number;
    readonly marker: string;
  };
}

export interface StoppedWorkloads {
  readonly loadSamples: readonly LoadSample[];
  readonly writes?: WritesSummary;
  readonly errors: readonly string[];
}

export async function workloadsPhase(ctx: DrillContext): Promise<WorkloadsRecord> {
  const { experiment, deps, clock, rec } = ctx;
  const loadUrl = experiment.load ? await resolveUrl(experiment.load.url, deps.targets) : undefined;
  const writer = await startWriterWorkload(ctx);
  // A second of writes before the fault (the user load, when there is one, waits too).
  if (writer && !experiment.load) await clock.sleep(1000);
  let load: WorkloadsRecord['load'];
  if (experiment.load && loadUrl !== undefined) {
    load = {
      url: loadUrl,
      run: startLoad({
        http: deps.http,
        clock,
        url: loadUrl,
        rate: experiment.load.rate,
        timeoutMs: experiment.load.timeout,
      }),
    };
    rec.note('probe', `user load started: ${experiment.load.rate} req/s to ${loadUrl}`);
    await clock.sleep(1000); // a second of baseline traffic before the fault
  }
  return Object.freeze({ ...(load ? { load } : {}), ...(writer ? { writer } : {}) });
}

async function startWriterWorkload(ctx: DrillContext): Promise<WorkloadsRecord['writer']> {
  const spec = ctx.experiment.workload?.writer;
  if (!spec || !ctx.deps.notes) return undefined;
  const url = await resolveUrl(spec.url, ctx.deps.targets);
  const api = ctx.deps.notes(url);
  const baselineId = await newestNoteId(api, spec.timeout);
  if (baselineId === undefined)
    throw new PreflightError(
      `workload.writer: GET ${url}?limit=1 did not answer 200, nothing was injected`,
    );
  const marker = writerMarker(
    ctx.experiment.name,
    `${ctx.startedAt.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`,
  );
  const run = startWriter({
    api,
    clock: ctx.clock,
    rate: spec.rate,
    timeoutMs: spec.timeout,
    backoffMs: spec.backoff,
    maxBackoffMs: spec['max-backoff'],
    giveUpAfterMs: spec['give-up-after'],
    marker,
  });
  ctx.rec.note(
    'probe',
    `writer started: ${spec.rate} notes/s to ${url} (marker ${marker}, newest note before: ${baselineId})`,
  );
  return { api, url, baselineId, marker, run };
}

/** Stops the load and the writer, and reads the writer's notes back. Never throws. */
export async function stopWorkloadsPhase(
  ctx: DrillContext,
  work: WorkloadsRecord,
): Promise<StoppedWorkloads> {
  const { rec, deps } = ctx;
  const errors: string[] = [];
  let loadSamples: LoadSample[] = [];
  if (work.load) {
    loadSamples = await work.load.run.stop();
    rec.note('probe', `user load stopped: ${loadSamples.length} requests`);
  }
  const w = work.writer;
  if (!w) return Object.freeze({ loadSamples, errors });
  const records = await w.run.stop();
  rec.note(
    'probe',
    `writer stopped: ${records.length} notes, ${records.filter((r) => r.id !== undefined).length} acknowledged; reading them back`,
  );
  // Read back after the recovery, through the same URL asked again (it may have moved).
  const spec = ctx.experiment.workload?.writer;
  const url = spec ? await resolveUrl(spec.url, deps.targets).catch(() => w.url) : w.url;
  const writes = await verifyWrites(records, {
    api: url === w.url ? w.api : (deps.notes as NonNullable<typeof deps.notes>)(url),
    clock: ctx.clock,
    marker: w.marker,
    baselineId: w.baselineId,
    timeoutMs: spec?.timeout ?? 2000,
  });
  rec.note(
    'probe',
    `writes: ${writes.acknowledged} acknowledged, ${writes.lost} lost, ${writes.duplicated} duplicated${writes.verified ? '' : ` (read-back incomplete: ${writes.problems.join('; ')})`}`,
  );
  for (const problem of writes.problems) errors.push(`writer read-back: ${problem}`);
  return Object.freeze({ loadSamples, writes, errors });
}
