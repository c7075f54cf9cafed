/**
 * The drill: preflight, steady state, fault, expectations, recovery (always), steady
 * state again, then the figures from Prometheus' own samples. Every side effect goes
 * through DrillDeps; the result is the journal, whatever happened.
 */
import type { Clock } from '../../shared/src/clock.ts';
import type { ServiceControl } from '../../shared/src/compose-service.ts';
import { type ContainerLifecycle, lifecycleChanges } from '../../shared/src/container-lifecycle.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import type { PrometheusClient } from '../../shared/src/prometheus.ts';
import { humanDuration } from '../../shared/src/summary.ts';
import { type Expectation, type Experiment, TIMED_TYPES } from './experiment.ts';
import type { HttpClient } from './http.ts';
import { describeHttp } from './http.ts';
import { iso, type Journal, type SteadyState, type Verdict, type Writes } from './journal.ts';
import { type LoadRun, type LoadSample, startLoad, summarizeLoad } from './load.ts';
import {
  type DrillEvent,
  evaluateExpectations,
  type Facts,
  measurements,
  type Observation,
  timeline,
} from './measure.ts';
import type { NotesApi } from './notes-api.ts';
import { checkAll, httpMatches, resolveUrl, type TargetName, type Targets } from './probes.ts';
import {
  type AlertTimes,
  alertTimes,
  instantValues,
  rangeSelector,
  rawSamples,
  targetTimes,
} from './samples.ts';
import {
  newestNoteId,
  startWriter,
  verifyWrites,
  type WriterRun,
  type WritesSummary,
  writerMarker,
} from './writer.ts';

export interface DrillDeps {
  readonly prometheus: PrometheusClient;
  readonly http: HttpClient;
  readonly control: ServiceControl;
  readonly clock: Clock;
  readonly targets: Targets;
  /** The notes API at a URL (workload.writer); required when the experiment has a writer. */
  readonly notes?: (url: string) => NotesApi;
  /** The service's containers now (not-restarted); required when an expectation asks. */
  readonly lifecycle?: (service: string) => Promise<ContainerLifecycle[]>;
  /** Live timeline, one line per event. */
  readonly log?: (line: string) => void;
  /** Aborted on SIGINT/SIGTERM: the drill stops waiting, recovers, and reports. */
  readonly signal?: AbortSignal;
  readonly pollIntervalMs?: number;
}

/** A problem found before any fault: the drill stops with verdict aborted. */
export class PreflightError extends Error {
  override name = 'PreflightError';
}

const TARGET_NAMES: readonly TargetName[] = ['frontend', 'backend', 'prometheus'];

export async function runDrill(experiment: Experiment, deps: DrillDeps): Promise<Journal> {
  const { clock, control, prometheus } = deps;
  const poll = deps.pollIntervalMs ?? 500;
  const service = experiment.fault.service;
  const startedAt = clock.now();
  const events: DrillEvent[] = [];
  const errors: string[] = [];
  let faultAt: number | undefined;
  const interrupted = () => deps.signal?.aborted === true;
  const note = (source: DrillEvent['source'], event: string, at = clock.now()) => {
    events.push({ at, source, event });
    const rel =
      faultAt === undefined ? `T${fmtSeconds(at - startedAt)}` : `F${fmtSeconds(at - faultAt)}`;
    deps.log?.(
      `${new Date(at).toISOString().slice(11, 23)} ${rel.padStart(8)}  ${source.padEnd(10)} ${event}`,
    );
  };
  const urls: Record<string, string> = {};
  for (const name of TARGET_NAMES)
    urls[name] = await deps.targets(name).catch((e) => `unresolved (${errorMessage(e)})`);

  let verdictOverride: Verdict | undefined;
  let reason: string | null = null;
  let steadyBefore: SteadyState | null = null;
  let steadyAfter: SteadyState | null = null;
  let fault: Journal['fault'] = null;
  let recovery: Journal['recovery'] = null;
  let faultIssuedAt: number | undefined;
  let recoveryStartedAt: number | undefined;
  let load: LoadRun | undefined;
  let loadSamples: LoadSample[] = [];
  const observed: Record<string, Observation> = {};
  const activeAt: Record<string, number> = {};
  const writerSpec = experiment.workload?.writer;
  let writer:
    | { run: WriterRun; api: NotesApi; url: string; baselineId: number; marker: string }
    | undefined;
  let writes: WritesSummary | undefined;
  const lifecycleBefore: Record<string, ContainerLifecycle[]> = {};
  const restarts: Record<string, { changes: string[] | null; detail: string }> = {};
  const notRestarted = experiment.expectations.flatMap((x) =>
    x.type === 'not-restarted' ? [x.service] : [],
  );

  const waitSteady = async (deadline: number): Promise<SteadyState> => {
    const began = clock.now();
    for (;;) {
      const probes = await checkAll(experiment, deps.targets, deps);
      const held = probes.every((p) => p.ok);
      const now = clock.now();
      if (held || now + 1000 > deadline || (interrupted() && faultIssuedAt === undefined)) {
        return { held, at: new Date(now).toISOString(), waitedMs: now - began, probes };
      }
      await clock.sleep(1000);
    }
  };

  note(
    'drill',
    `experiment ${experiment.name}: ${experiment.fault.action} ${service} (project ${control.compose.project.projectName}, Compose ${control.compose.flavor.version})`,
  );
  try {
    // --- preflight: nothing is touched unless all of it holds -----------------------
    await preflight(experiment, deps);
    note(
      'drill',
      'preflight ok: service exists and is running, Prometheus answers, queries return series',
    );
    steadyBefore = await waitSteady(clock.now() + experiment['steady-state'].timeout);
    if (!steadyBefore.held) {
      const failing = steadyBefore.probes.filter((p) => !p.ok).map((p) => `${p.name}: ${p.detail}`);
      throw new PreflightError(
        `the steady state does not hold before the fault, nothing was injected: ${failing.join('; ')}`,
      );
    }
    note('drill', `steady state holds (${steadyBefore.probes.length} probes)`);
    if (interrupted())
      throw new PreflightError('interrupted before the fault, nothing was injected');
    for (const name of new Set(notRestarted)) {
      const snapshot = await (deps.lifecycle as NonNullable<DrillDeps['lifecycle']>)(name);
      if (snapshot.length === 0)
        throw new PreflightError(`not-restarted: service "${name}" has no container to watch`);
      lifecycleBefore[name] = snapshot;
      note(
        'docker',
        `${name}: ${snapshot.map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`).join(', ')}`,
      );
    }
    if (writerSpec && deps.notes) {
      const url = await resolveUrl(writerSpec.url, deps.targets);
      const api = deps.notes(url);
      const baselineId = await newestNoteId(api, writerSpec.timeout);
      if (baselineId === undefined)
        throw new PreflightError(
          `workload.writer: GET ${url}?limit=1 did not answer 200, nothing was injected`,
        );
      const marker = writerMarker(
        experiment.name,
        `${startedAt.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`,
      );
      writer = {
        api,
        url,
        baselineId,
        marker,
        run: startWriter({
          api,
          clock,
          rate: writerSpec.rate,
          timeoutMs: writerSpec.timeout,
          backoffMs: writerSpec.backoff,
          maxBackoffMs: writerSpec['max-backoff'],
          giveUpAfterMs: writerSpec['give-up-after'],
          marker,
        }),
      };
      note(
        'probe',
        `writer started: ${writerSpec.rate} notes/s to ${url} (marker ${marker}, newest note before: ${baselineId})`,
      );
    }

    // --- fault ----------------------------------------------------------------------
    // A second of writes before the fault (the user load, when there is one, waits too).
    if (writer && !experiment.load) await clock.sleep(1000);
    if (experiment.load) {
      const url = await resolveUrl(experiment.load.url, deps.targets);
      load = startLoad({
        http: deps.http,
        clock,
        url,
        rate: experiment.load.rate,
        timeoutMs: experiment.load.timeout,
      });
      note('probe', `user load started: ${experiment.load.rate} req/s to ${url}`);
      await clock.sleep(1000); // a second of baseline traffic before the fault
    }
    const [container] = (await control.containersOf(service)).filter((c) => c.state === 'running');
    faultIssuedAt = clock.now();
    note(
      'drill',
      `fault: compose ${experiment.fault.action} ${service}${experiment.fault.action === 'kill' ? ` (${experiment.fault.signal ?? 'SIGKILL'})` : ''}`,
    );
    await control.act(
      experiment.fault.action,
      service,
      experiment.fault.signal ? { signal: experiment.fault.signal } : {},
    );
    const returnedAt = clock.now();
    const died =
      container &&
      (experiment.fault.action === 'kill' ||
        experiment.fault.action === 'stop' ||
        experiment.fault.action === 'restart')
        ? await control.finishedAt(container.id).catch(() => undefined)
        : undefined;
    // FinishedAt is the engine's own record of the death; trust it only if it belongs to this fault.
    const diedAt =
      died && died.getTime() >= faultIssuedAt - 1000 && died.getTime() <= returnedAt + 1000
        ? died.getTime()
        : undefined;
    faultAt = diedAt ?? returnedAt;
    fault = {
      issuedAt: iso(faultIssuedAt) as string,
      returnedAt: iso(returnedAt) as string,
      containerDiedAt: iso(diedAt),
      container: container?.name ?? null,
    };
    note(
      'drill',
      `fault command returned after ${humanDuration(returnedAt - faultIssuedAt)}`,
      returnedAt,
    );
    if (diedAt !== undefined)
      note('docker', `container ${container?.name} died (State.FinishedAt)`, diedAt);

    // --- expectations, watched together until each is seen or the fault's time is up --
    const deadline = faultAt + experiment.fault['max-duration'];
    await Promise.all(
      experiment.expectations.filter(isTimed).map(async (x) => {
        observed[x.name] = await watch(x, deadline);
        const o = observed[x.name];
        if (o?.at !== undefined)
          note(
            x.type === 'alert' ? 'alert' : x.type === 'http-degraded' ? 'probe' : 'prometheus',
            `${x.name}: ${o.detail} (seen by polling)`,
            o.at,
          );
        else
          note(
            'drill',
            `${x.name}: not seen within ${humanDuration(experiment.fault['max-duration'])} (${o?.detail ?? ''})`,
          );
      }),
    );
    if (interrupted())
      throw new Error(
        `interrupted by ${String(deps.signal?.reason ?? 'a signal')} during the fault`,
      );
  } catch (error) {
    const message = errorMessage(error);
    reason = message;
    if (error instanceof PreflightError || faultIssuedAt === undefined || interrupted())
      verdictOverride = 'aborted';
    else errors.push(message);
    note('drill', faultIssuedAt === undefined ? `aborted: ${message}` : `error: ${message}`);
  } finally {
    // --- recovery: always, once a fault was attempted ---------------------------------
    if (faultIssuedAt !== undefined) {
      recoveryStartedAt = clock.now();
      const action = experiment.recovery.action;
      note(
        'drill',
        `recovery: ${action === 'wait-for-restart-policy' ? 'waiting for the restart policy' : `compose ${action === 'up' ? 'up -d --no-deps' : action} ${service}`}`,
      );
      let recoveryError: string | null = null;
      try {
        if (action === 'up') await control.act('up', service);
        else if (action === 'unpause') await control.act('unpause', service);
      } catch (error) {
        recoveryError = errorMessage(error);
        errors.push(`recovery failed: ${recoveryError}`);
        note('drill', `recovery command failed: ${recoveryError}`);
      }
      const returned = clock.now();
      recovery = {
        startedAt: iso(recoveryStartedAt) as string,
        returnedAt: iso(returned) as string,
        ok: recoveryError === null,
        error: recoveryError,
      };
      // Past the bound the drill still waits a while: a slow recovery fails the drill but
      // must not leave the stack half-broken for the next job.
      steadyAfter = await waitSteady(
        recoveryStartedAt +
          Math.max(experiment.recovery.within, experiment.recovery['steady-state-within']) +
          30_000,
      );
      note(
        'drill',
        steadyAfter.held
          ? 'steady state holds again'
          : `steady state NOT restored: ${steadyAfter.probes
              .filter((p) => !p.ok)
              .map((p) => p.detail)
              .join('; ')}`,
      );
    }
    if (load) {
      loadSamples = await load.stop();
      note('probe', `user load stopped: ${loadSamples.length} requests`);
    }
    if (writer) {
      const records = await writer.run.stop();
      note(
        'probe',
        `writer stopped: ${records.length} notes, ${records.filter((r) => r.id !== undefined).length} acknowledged; reading them back`,
      );
      // Read back after the recovery, through the same URL asked again (it may have moved).
      const url = writerSpec
        ? await resolveUrl(writerSpec.url, deps.targets).catch(() => writer?.url ?? '')
        : writer.url;
      writes = await verifyWrites(records, {
        api: url === writer.url ? writer.api : (deps.notes as NonNullable<DrillDeps['notes']>)(url),
        clock,
        marker: writer.marker,
        baselineId: writer.baselineId,
        timeoutMs: writerSpec?.timeout ?? 2000,
      });
      note(
        'probe',
        `writes: ${writes.acknowledged} acknowledged, ${writes.lost} lost, ${writes.duplicated} duplicated${writes.verified ? '' : ` (read-back incomplete: ${writes.problems.join('; ')})`}`,
      );
      for (const problem of writes.problems) errors.push(`writer read-back: ${problem}`);
    }
    if (faultIssuedAt !== undefined) {
      for (const [name, snapshot] of Object.entries(lifecycleBefore)) {
        try {
          const now = await (deps.lifecycle as NonNullable<DrillDeps['lifecycle']>)(name);
          const changes = lifecycleChanges(snapshot, now);
          restarts[name] = {
            changes,
            detail: now
              .map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`)
              .join(', '),
          };
          note(
            'docker',
            `${name}: ${changes.length === 0 ? 'same container, not restarted' : changes.join('; ')}`,
          );
        } catch (error) {
          restarts[name] = { changes: null, detail: errorMessage(error) };
        }
      }
    }
  }

  // --- figures from Prometheus' own samples ---------------------------------------------
  let facts: Facts = {
    alerts: {},
    target: {},
    observed,
    ...(faultAt !== undefined ? { faultAt } : {}),
  };
  if (faultIssuedAt !== undefined && faultAt !== undefined) {
    const now = clock.now();
    const from = faultIssuedAt - 30_000;
    const upQuery = upQueryOf(experiment);
    let target: Facts['target'] = {};
    try {
      target = targetTimes(
        rawSamples(await prometheus.query(rangeSelector(upQuery, from, now))),
        faultIssuedAt,
        recoveryStartedAt,
      );
    } catch (error) {
      errors.push(`could not read the raw samples of ${upQuery}: ${errorMessage(error)}`);
    }
    const alerts: Record<string, AlertTimes> = {};
    let evaluationIntervalMs: number | undefined;
    for (const name of new Set(
      experiment.expectations.flatMap((x) => (x.type === 'alert' ? [x.alert] : [])),
    )) {
      try {
        const result = await prometheus.query(
          rangeSelector(`ALERTS{alertname="${name}"}`, from, now),
        );
        alerts[name] = alertTimes(result, faultIssuedAt, activeAt[name]);
        evaluationIntervalMs ??= alerts[name]?.evaluationIntervalMs;
      } catch (error) {
        errors.push(`could not read ALERTS for ${name}: ${errorMessage(error)}`);
        alerts[name] = activeAt[name] !== undefined ? { activeAt: activeAt[name] } : {};
      }
    }
    // The user load sees the degraded answer too, often before the watcher's own probe.
    for (const x of experiment.expectations) {
      if (x.type !== 'http-degraded' || experiment.load?.url !== x.url) continue;
      const first = loadSamples.find(
        (s) =>
          s.startedAt >= (faultIssuedAt as number) &&
          s.status === x.status &&
          (x['json-code'] === undefined || s.code === x['json-code']) &&
          x.json === undefined,
      );
      const seen = observed[x.name];
      if (first && (seen?.at === undefined || first.endedAt < seen.at)) {
        observed[x.name] = {
          ...seen,
          at: first.endedAt,
          detail: `user load got HTTP ${first.status}${first.code ? ` ${first.code}` : ''} in ${first.endedAt - first.startedAt} ms`,
        };
      }
    }
    const summary = experiment.load
      ? summarizeLoad(loadSamples, degradedCode(experiment))
      : undefined;
    const duringFault = loadSamples.filter(
      (s) => s.startedAt >= (faultAt as number) && s.startedAt < (recoveryStartedAt ?? now),
    );
    facts = {
      ...facts,
      target,
      alerts,
      ...(evaluationIntervalMs !== undefined ? { evaluationIntervalMs } : {}),
      ...(recoveryStartedAt !== undefined ? { recoveryStartedAt } : {}),
      ...(steadyAfter
        ? { steadyAfter: { held: steadyAfter.held, at: Date.parse(steadyAfter.at) } }
        : {}),
      ...(summary ? { load: summary } : {}),
      ...(writes ? { writes } : {}),
      restarts,
      slowestDuringFaultMs: duringFault.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0),
    };
  }
  const expectations =
    faultIssuedAt !== undefined && verdictOverride === undefined
      ? evaluateExpectations(experiment, facts)
      : [];
  const failed = expectations.filter((x) => !x.passed);
  const verdict: Verdict =
    verdictOverride ?? (failed.length > 0 || errors.length > 0 ? 'failed' : 'passed');
  if (verdict === 'failed' && reason === null) {
    reason = [
      ...failed.map((x) =>
        x.boundMs === null
          ? `${x.name} failed: ${x.detail}`
          : `${x.name} failed: ${x.description}; measured ${x.measuredMs === null ? 'never' : humanDuration(x.measuredMs)}, bound ${humanDuration(x.boundMs)}`,
      ),
      ...errors,
    ].join('; ');
  }
  const finishedAt = clock.now();
  note('drill', `verdict: ${verdict.toUpperCase()}${reason ? ` (${reason})` : ''}`, finishedAt);
  const impact =
    experiment.load && facts.load
      ? {
          url: await resolveUrl(experiment.load.url, deps.targets).catch(
            () => experiment.load?.url ?? '',
          ),
          ratePerSecond: experiment.load.rate,
          requests: facts.load.requests,
          failures: facts.load.failures,
          errorRatio: Math.round(facts.load.errorRatio * 10_000) / 10_000,
          timeouts: facts.load.timeouts,
          degradedResponses: facts.load.degradedResponses,
          longestFailureStreakMs: facts.load.longestFailureStreakMs,
          longestFailureStreakRequests: facts.load.longestFailureStreakRequests,
          slowestResponseMs: facts.load.slowestResponseMs,
        }
      : null;
  return {
    schemaVersion: 1,
    experiment: {
      name: experiment.name,
      file: experiment.file,
      description: experiment.description,
      fault: {
        action: experiment.fault.action,
        service,
        signal: experiment.fault.action === 'kill' ? (experiment.fault.signal ?? 'SIGKILL') : null,
      },
      recovery: { action: experiment.recovery.action, withinMs: experiment.recovery.within },
    },
    target: {
      project: control.compose.project.projectName,
      composeVersion: control.compose.flavor.version,
      prometheus: urls.prometheus ?? '',
      frontend: urls.frontend ?? '',
      backend: urls.backend ?? '',
    },
    startedAt: iso(startedAt) as string,
    finishedAt: iso(finishedAt) as string,
    durationMs: finishedAt - startedAt,
    verdict,
    reason,
    faultInjected: faultIssuedAt !== undefined,
    steadyStateBefore: steadyBefore,
    fault,
    recovery,
    steadyStateAfter: steadyAfter,
    expectations,
    measurements: measurements(experiment, facts, expectations),
    impact,
    writes: writes && writerSpec && writer ? writesOf(writer.url, writerSpec.rate, writes) : null,
    timeline: timeline(experiment, facts, events),
    errors,
  };

  async function watch(x: TimedExpectation, deadline: number): Promise<Observation> {
    let last = 'not checked yet';
    let slowestMs = 0;
    const url = x.type === 'http-degraded' ? await resolveUrl(x.url, deps.targets) : '';
    while (!interrupted()) {
      try {
        if (x.type === 'target-down') {
          const values = instantValues(await prometheus.query(x.query));
          if (values.some((v) => v === 0)) return { at: clock.now(), detail: `${x.query} == 0` };
          last = `${x.query} = ${values.join(', ') || 'no series'}`;
        } else if (x.type === 'alert') {
          const alert = (await prometheus.alerts()).find(
            (a) =>
              a.labels.alertname === x.alert &&
              (a.state === x.state || (x.state === 'pending' && a.state === 'firing')),
          );
          if (alert?.activeAt) activeAt[x.alert] ??= Date.parse(alert.activeAt);
          if (alert)
            return {
              at: clock.now(),
              detail: `${x.alert} is ${alert.state} (activeAt ${alert.activeAt ?? '?'})`,
            };
          last = `${x.alert} not ${x.state} yet`;
        } else {
          const response = await deps.http.get(url, x['max-response-time'] + 1000);
          slowestMs = Math.max(slowestMs, response.endedAt - response.startedAt);
          if (httpMatches(response, x.status, x['json-code'], x.json))
            return {
              at: response.endedAt,
              detail: `GET ${url}: ${describeHttp(response)}`,
              slowestMs,
            };
          last = `GET ${url}: ${describeHttp(response)}`;
        }
      } catch (error) {
        last = errorMessage(error);
      }
      if (clock.now() + poll > deadline) break;
      await clock.sleep(poll);
    }
    return { detail: last, ...(x.type === 'http-degraded' ? { slowestMs } : {}) };
  }
}

type TimedExpectation = Extract<Expectation, { type: (typeof TIMED_TYPES)[number] }>;

function isTimed(x: Expectation): x is TimedExpectation {
  return (TIMED_TYPES as readonly string[]).includes(x.type);
}

/** The journal's writes: the summary with its lists capped (a broken run could list thousands). */
function writesOf(url: string, rate: number, w: WritesSummary): Writes {
  return {
    url,
    ratePerSecond: rate,
    ...w,
    lostWrites: w.lostWrites.slice(0, 50),
    duplicatedWrites: w.duplicatedWrites.slice(0, 50),
  };
}

/** Checks that need no fault: the service exists and runs, Prometheus answers, queries return series. */
async function preflight(experiment: Experiment, deps: DrillDeps): Promise<void> {
  const { control, prometheus } = deps;
  const service = experiment.fault.service;
  const project = control.compose.project.projectName;
  if (experiment.workload?.writer && !deps.notes)
    throw new PreflightError('workload.writer needs a notes API client (DrillDeps.notes)');
  if (experiment.expectations.some((x) => x.type === 'not-restarted') && !deps.lifecycle)
    throw new PreflightError('not-restarted needs container snapshots (DrillDeps.lifecycle)');
  let services: string[];
  try {
    services = await control.compose.services();
  } catch (error) {
    throw new PreflightError(
      `cannot read the Compose services of project ${project}: ${errorMessage(error)}`,
    );
  }
  for (const [index, x] of experiment.expectations.entries()) {
    if (x.type === 'not-restarted' && !services.includes(x.service))
      throw new PreflightError(
        `expectations[${index}] (${x.name}): service "${x.service}" is not a service of project ${project}: expected one of ${services.join(', ')}`,
      );
  }
  if (!services.includes(service)) {
    throw new PreflightError(
      `fault.service "${service}" is not a service of project ${project}: expected one of ${services.join(', ')} (compose config --services)`,
    );
  }
  try {
    await prometheus.query('vector(1)');
  } catch (error) {
    throw new PreflightError(errorMessage(error));
  }
  for (const [index, x] of experiment.expectations.entries()) {
    if (x.type !== 'target-down') continue;
    let count: number;
    try {
      count = rawSamples(await prometheus.query(`${x.query}[1m]`)).length;
    } catch (error) {
      throw new PreflightError(
        `expectations[${index}] (${x.name}): query ${x.query} cannot be read as raw samples: ${errorMessage(error)}`,
      );
    }
    if (count === 0) {
      throw new PreflightError(
        `expectations[${index}] (${x.name}): query ${x.query} returns nothing at ${prometheus.baseUrl}: expected the target's up series (is the job scraped?)`,
      );
    }
  }
  const running = (await control.containersOf(service)).filter((c) => c.state === 'running');
  if (running.length === 0) {
    throw new PreflightError(
      `service "${service}" of project ${project} has no running container: start the stack first`,
    );
  }
}

function upQueryOf(experiment: Experiment): string {
  const x = experiment.expectations.find((e) => e.type === 'target-down');
  return x?.type === 'target-down' ? x.query : `up{job="${experiment.fault.service}"}`;
}

function degradedCode(experiment: Experiment): string | undefined {
  const x = experiment.expectations.find((e) => e.type === 'http-degraded');
  return x?.type === 'http-degraded' ? x['json-code'] : undefined;
}

function fmtSeconds(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1000).toFixed(1)}s`;
}
