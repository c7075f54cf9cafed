import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  createToxiproxy,
  describeAttempt,
  lifecycleChanges,
  recoverLeftovers
} from "./chunk-Y6TXIW2H.js";
import {
  after,
  alertTimes,
  checkAll,
  expectationKind,
  rangeSelector,
  rawSamples,
  resolveUrl,
  targetTimes
} from "./chunk-PC56IXO3.js";
import {
  errorMessage,
  faultDriver,
  humanDuration,
  jsonCode
} from "./chunk-Q7A7O23Z.js";

// chaos-drill/src/phases/context.ts
var PreflightError = class extends Error {
  name = "PreflightError";
};
function fmtSeconds(ms) {
  return `${ms < 0 ? "-" : "+"}${(Math.abs(ms) / 1e3).toFixed(1)}s`;
}
function createRecorder(startedAt, clock, log) {
  const events = [];
  let zero;
  return {
    note(source, event, at = clock.now()) {
      events.push({ at, source, event });
      const rel = zero === void 0 ? `T${fmtSeconds(at - startedAt)}` : `F${fmtSeconds(at - zero)}`;
      log?.(
        `${new Date(at).toISOString().slice(11, 23)} ${rel.padStart(8)}  ${source.padEnd(10)} ${event}`
      );
    },
    faultAt(at) {
      zero = at;
    },
    events: () => events
  };
}
function drillContext(experiment, deps) {
  const startedAt = deps.clock.now();
  return Object.freeze({
    experiment,
    deps,
    driver: faultDriver(experiment.fault.action),
    tools: Object.freeze({
      control: deps.control,
      docker: deps.docker,
      clock: deps.clock,
      toxiproxy: deps.toxiproxy ?? ((url) => createToxiproxy(url))
    }),
    clock: deps.clock,
    startedAt,
    poll: deps.pollIntervalMs ?? 500,
    rec: createRecorder(startedAt, deps.clock, deps.log),
    project: deps.control.compose.project.projectName,
    interrupted: () => deps.signal?.aborted === true
  });
}
async function waitSteady(ctx, deadline, stopOnInterrupt) {
  const { clock, deps } = ctx;
  const began = clock.now();
  for (; ; ) {
    const probes = await checkAll(ctx.experiment, deps.targets, deps);
    const held = probes.every((p) => p.ok);
    const now = clock.now();
    if (held || now + 1e3 > deadline || stopOnInterrupt && ctx.interrupted())
      return { held, at: new Date(now).toISOString(), waitedMs: now - began, probes };
    await clock.sleep(1e3);
  }
}

// chaos-drill/src/load.ts
function startLoad(options) {
  const { http, clock, url, rate, timeoutMs } = options;
  const interval = 1e3 / rate;
  const inFlight = [];
  const done = [];
  let running = true;
  const loop = (async () => {
    let next = clock.now();
    while (running) {
      inFlight.push(
        http.get(url, timeoutMs).then((r) => {
          const sample = {
            startedAt: r.startedAt,
            endedAt: r.endedAt,
            ok: r.status !== void 0 && r.status >= 200 && r.status < 400,
            ...r.status !== void 0 ? { status: r.status } : {},
            ...jsonCode(r.body) ? { code: jsonCode(r.body) } : {},
            timedOut: r.timedOut
          };
          done.push(sample);
          return sample;
        })
      );
      next += interval;
      const wait = next - clock.now();
      if (wait > 0) await clock.sleep(wait);
      else next = clock.now();
    }
  })();
  return {
    completed: () => done,
    stop: async () => {
      running = false;
      await loop;
      const samples = await Promise.all(inFlight);
      return samples.sort((a, b) => a.startedAt - b.startedAt);
    }
  };
}
function failureStreaks(sorted) {
  const streaks = [];
  let run = [];
  for (const s of sorted) {
    if (!s.ok) run.push(s);
    else if (run.length > 0) {
      streaks.push(streakOf(run, s.startedAt));
      run = [];
    }
  }
  if (run.length > 0)
    streaks.push(
      streakOf(
        run,
        run.reduce((m, s) => Math.max(m, s.endedAt), 0)
      )
    );
  return streaks;
}
function streakOf(run, endAt) {
  return { ms: endAt - run[0].startedAt, requests: run.length };
}
function longest(streaks) {
  return streaks.reduce(
    (best, s) => s.ms > best.ms || s.ms === best.ms && s.requests > best.requests ? s : best,
    { ms: 0, requests: 0 }
  );
}
function isDegraded(s, degradedCode) {
  return s.status === 503 && (degradedCode === void 0 || s.code === degradedCode);
}
function recoveredAt(sorted) {
  const last = sorted.findLastIndex((s) => !s.ok);
  return last === -1 ? void 0 : sorted[last + 1]?.startedAt;
}
function summarizeLoad(samples, degradedCode) {
  const sorted = [...samples].sort((a, b) => a.startedAt - b.startedAt);
  const failed = sorted.filter((s) => !s.ok);
  const best = longest(failureStreaks(sorted));
  const firstFailureAt = failed[0]?.startedAt;
  const lastFailureAt = failed.at(-1)?.startedAt;
  const recovered = recoveredAt(sorted);
  return {
    requests: sorted.length,
    failures: failed.length,
    errorRatio: sorted.length === 0 ? 0 : failed.length / sorted.length,
    timeouts: failed.filter((s) => s.timedOut).length,
    degradedResponses: failed.filter((s) => isDegraded(s, degradedCode)).length,
    longestFailureStreakMs: best.ms,
    longestFailureStreakRequests: best.requests,
    slowestResponseMs: sorted.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0),
    ...firstFailureAt !== void 0 ? { firstFailureAt } : {},
    ...lastFailureAt !== void 0 ? { lastFailureAt } : {},
    ...recovered !== void 0 ? { recoveredAt: recovered } : {}
  };
}

// chaos-drill/src/journal.ts
var SCHEMA_VERSION = 2;
function iso(ms) {
  return ms === void 0 ? null : new Date(ms).toISOString();
}

// chaos-drill/src/measure.ts
var fmt = (ms) => ms === null ? "never" : humanDuration(ms);
function evaluateExpectations(experiment, facts) {
  const results = experiment.expectations.map((x) => {
    const kind = expectationKind(x.type);
    return { ...kind.evaluate(x, facts, experiment), weight: x.weight ?? kind.weight };
  });
  if (facts.recoveryStartedAt !== void 0) results.push(...recoveryResults(experiment, facts));
  return results;
}
function alertNames(experiment) {
  return [
    ...new Set(experiment.expectations.flatMap((x) => expectationKind(x.type).alert?.(x) ?? []))
  ];
}
function upQueryOf(experiment) {
  const x = experiment.expectations.find((e) => e.type === "target-down");
  return x && typeof x.query === "string" ? { query: x.query, fromExpectation: true } : { query: `up{job="${experiment.fault.service}"}`, fromExpectation: false };
}
function recoveryResults(experiment, facts) {
  const start = facts.recoveryStartedAt;
  const restored = facts.steadyAfter?.held ? after(facts.steadyAfter.at, start) : null;
  return [timeToRecover(experiment, facts, restored), steadyStateRestored(experiment, restored)];
}
function afterRecoveryDetail(ms, boundMs) {
  return `${fmt(ms)} after the recovery started, bound ${humanDuration(boundMs)}${ms <= boundMs ? "" : " — exceeded"}`;
}
function timeToRecover(experiment, facts, restored) {
  const within = experiment.recovery.within;
  const up = upQueryOf(experiment);
  const byQuery = up.fromExpectation;
  const ttr = byQuery ? after(facts.target.upAgainAt, facts.recoveryStartedAt) : restored;
  const never = byQuery ? "Prometheus never scraped the target successfully after the recovery" : "the steady state did not hold again";
  return {
    name: "time-to-recover",
    type: "recovery",
    description: byQuery ? `first scrape with ${up.query} == 1 within ${humanDuration(within)} of the recovery (${experiment.recovery.action})` : `the steady state holds again within ${humanDuration(within)} of the recovery (${experiment.recovery.action})`,
    boundMs: within,
    measuredMs: ttr,
    source: ttr === null ? "none" : byQuery ? "prometheus-sample" : "poll",
    passed: ttr !== null && ttr <= within,
    detail: ttr === null ? never : afterRecoveryDetail(ttr, within),
    weight: 1
  };
}
function steadyStateRestored(experiment, restored) {
  const restoreWithin = experiment.recovery["steady-state-within"];
  return {
    name: "steady-state-restored",
    type: "steady-state",
    description: `every steady-state probe holds again within ${humanDuration(restoreWithin)} of the recovery`,
    boundMs: restoreWithin,
    measuredMs: restored,
    source: restored === null ? "none" : "poll",
    passed: restored !== null && restored <= restoreWithin,
    detail: restored === null ? "the steady state did not hold again" : afterRecoveryDetail(restored, restoreWithin),
    // A stack left broken for the next job weighs most.
    weight: 3
  };
}
var SCORE_FORMULA = "score = 100 × Σ weightᵢ · passedᵢ / Σ weightᵢ";
function resilienceScore(results) {
  const totalWeight = results.reduce((n, x) => n + x.weight, 0);
  const passedWeight = results.reduce((n, x) => n + (x.passed ? x.weight : 0), 0);
  return {
    percent: totalWeight === 0 ? null : Math.round(1e3 * passedWeight / totalWeight) / 10,
    passedWeight,
    totalWeight,
    formula: SCORE_FORMULA
  };
}
function loadSeries(samples, zero) {
  if (samples.length === 0) return [];
  const origin = zero ?? samples[0].startedAt;
  const buckets = /* @__PURE__ */ new Map();
  for (const s of samples) {
    const t = Math.floor((s.startedAt - origin) / 1e3);
    buckets.set(t, [...buckets.get(t) ?? [], s]);
  }
  return [...buckets.entries()].sort(([a], [b]) => a - b).map(([t, list]) => ({
    t,
    requests: list.length,
    failures: list.filter((s) => !s.ok).length,
    slowestMs: list.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0)
  }));
}
function degradedResult(expectations) {
  return expectations.find(
    (x) => x.type === "http-degraded" && x.description.startsWith("{frontend}")
  ) ?? expectations.find((x) => x.type === "http-degraded");
}
function detectedBy(facts, upQuery, alertName, pendingAt) {
  if (facts.target.downAt !== void 0) return `${upQuery} == 0`;
  return pendingAt !== void 0 ? `${alertName} pending` : null;
}
function recoveredAt2(facts, fromExpectation, recovery) {
  if (fromExpectation) return iso(facts.target.upAgainAt);
  return recovery?.measuredMs != null && facts.recoveryStartedAt !== void 0 ? iso(facts.recoveryStartedAt + recovery.measuredMs) : null;
}
function frontendRecoveredAfterMs(facts) {
  if (facts.load?.recoveredAt === void 0 || facts.recoveryStartedAt === void 0) return null;
  return Math.max(0, facts.load.recoveredAt - facts.recoveryStartedAt);
}
function measurements(experiment, facts, expectations) {
  const [alertName] = alertNames(experiment);
  const alert = alertName !== void 0 ? facts.alerts[alertName] : void 0;
  const pendingAt = alert?.pendingAt ?? alert?.activeAt;
  const up = upQueryOf(experiment);
  const recovery = expectations.find((x) => x.type === "recovery");
  const detectedAt = facts.target.downAt ?? pendingAt;
  return {
    faultAt: iso(facts.faultAt),
    detectedAt: iso(detectedAt),
    timeToDetectMs: after(detectedAt, facts.faultAt),
    detectedBy: detectedBy(facts, up.query, alertName, pendingAt),
    alert: alertName ?? null,
    alertPendingAt: iso(pendingAt),
    alertPendingAfterMs: after(pendingAt, facts.faultAt),
    alertFiringAt: iso(alert?.firingAt),
    alertFiringAfterMs: after(alert?.firingAt, facts.faultAt),
    frontendDegradedAfterMs: degradedResult(expectations)?.measuredMs ?? null,
    recoveryStartedAt: iso(facts.recoveryStartedAt),
    recoveredAt: recoveredAt2(facts, up.fromExpectation, recovery),
    timeToRecoverMs: recovery?.measuredMs ?? null,
    frontendRecoveredAfterMs: frontendRecoveredAfterMs(facts),
    scrapeIntervalMs: facts.target.scrapeIntervalMs ?? null,
    evaluationIntervalMs: facts.evaluationIntervalMs ?? null
  };
}
function timeline(experiment, facts, events) {
  const all = [...events];
  const upQuery = upQueryOf(experiment).query;
  if (facts.target.lastUpAt !== void 0)
    all.push({
      at: facts.target.lastUpAt,
      source: "prometheus",
      event: `last scrape with ${upQuery} == 1`
    });
  if (facts.target.downAt !== void 0)
    all.push({
      at: facts.target.downAt,
      source: "prometheus",
      event: `first scrape with ${upQuery} == 0: target DOWN`
    });
  for (const [name, times] of Object.entries(facts.alerts)) {
    if (times.pendingAt !== void 0)
      all.push({ at: times.pendingAt, source: "alert", event: `${name} pending` });
    if (times.firingAt !== void 0)
      all.push({ at: times.firingAt, source: "alert", event: `${name} firing` });
    if (times.resolvedAt !== void 0 && facts.recoveryStartedAt !== void 0 && times.resolvedAt > facts.recoveryStartedAt)
      all.push({
        at: times.resolvedAt,
        source: "alert",
        event: `${name} no longer active (resolved)`
      });
  }
  if (facts.load?.firstFailureAt !== void 0)
    all.push({
      at: facts.load.firstFailureAt,
      source: "probe",
      event: "first failed user request"
    });
  if (facts.target.upAgainAt !== void 0)
    all.push({
      at: facts.target.upAgainAt,
      source: "prometheus",
      event: `first scrape with ${upQuery} == 1 again: target UP`
    });
  if (facts.load?.recoveredAt !== void 0)
    all.push({ at: facts.load.recoveredAt, source: "probe", event: "user requests succeed again" });
  const zero = facts.faultAt ?? all.reduce((min, e) => Math.min(min, e.at), Number.POSITIVE_INFINITY);
  return all.sort((a, b) => a.at - b.at).map((e) => ({
    at: new Date(e.at).toISOString(),
    t: Math.round(e.at - zero) / 1e3,
    source: e.source,
    event: e.event
  }));
}

// chaos-drill/src/phases/facts.ts
async function factsPhase(ctx, fault, watch, recovery, stopped, restarts) {
  const { experiment, deps, clock } = ctx;
  const errors = [];
  const now = clock.now();
  const from = fault.issuedAt - 3e4;
  const { query: upQuery } = upQueryOf(experiment);
  let target = {};
  try {
    target = targetTimes(
      rawSamples(await deps.prometheus.query(rangeSelector(upQuery, from, now))),
      fault.issuedAt,
      recovery.startedAt
    );
  } catch (error) {
    errors.push(`could not read the raw samples of ${upQuery}: ${errorMessage(error)}`);
  }
  const alerts = {};
  let evaluationIntervalMs;
  for (const name of alertNames(experiment)) {
    const activeAt = watch.activeAt[name];
    try {
      const result = await deps.prometheus.query(
        rangeSelector(`ALERTS{alertname="${name}"}`, from, now)
      );
      alerts[name] = alertTimes(result, fault.issuedAt, activeAt);
      evaluationIntervalMs ??= alerts[name]?.evaluationIntervalMs;
    } catch (error) {
      errors.push(`could not read ALERTS for ${name}: ${errorMessage(error)}`);
      alerts[name] = activeAt !== void 0 ? { activeAt } : {};
    }
  }
  const samples = stopped.loadSamples;
  const duringFault = samples.filter(
    (s) => s.startedAt >= fault.faultAt && s.startedAt < recovery.startedAt
  );
  const degraded = experiment.expectations.find((x) => x.type === "http-degraded");
  const summary = experiment.load ? summarizeLoad(
    samples,
    typeof degraded?.["json-code"] === "string" ? degraded["json-code"] : void 0
  ) : void 0;
  return Object.freeze({
    facts: {
      faultAt: fault.faultAt,
      faultIssuedAt: fault.issuedAt,
      target,
      alerts,
      observed: loadObservations(ctx, watch.observed, samples, fault.issuedAt),
      ...evaluationIntervalMs !== void 0 ? { evaluationIntervalMs } : {},
      recoveryStartedAt: recovery.startedAt,
      steadyAfter: { held: recovery.steadyAfter.held, at: Date.parse(recovery.steadyAfter.at) },
      ...summary ? { load: summary } : {},
      ...stopped.writes ? { writes: stopped.writes } : {},
      ...fault.exit ? { exit: fault.exit } : {},
      restarts,
      duringFault,
      loadSamples: samples,
      slowestDuringFaultMs: duringFault.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0)
    },
    errors
  });
}
function loadObservations(ctx, observed, samples, issuedAt) {
  const out = { ...observed };
  for (const x of ctx.experiment.expectations) {
    if (x.type !== "http-degraded" || ctx.experiment.load?.url !== x.url || x.json !== void 0)
      continue;
    const first = samples.find(
      (s) => s.startedAt >= issuedAt && s.status === x.status && (x["json-code"] === void 0 || s.code === x["json-code"])
    );
    const seen = out[x.name];
    if (first && (seen?.at === void 0 || first.endedAt < seen.at))
      out[x.name] = {
        ...seen,
        at: first.endedAt,
        detail: `user load got HTTP ${first.status}${first.code ? ` ${first.code}` : ""} in ${first.endedAt - first.startedAt} ms`
      };
  }
  return out;
}
function verdictPhase(ctx, facts, errors, aborted) {
  const expectations = facts && aborted === void 0 ? evaluateExpectations(ctx.experiment, facts) : [];
  const score = aborted === void 0 ? resilienceScore(expectations) : resilienceScore([]);
  if (aborted !== void 0)
    return Object.freeze({ verdict: "aborted", reason: aborted, expectations, score });
  const failed = expectations.filter((x) => !x.passed);
  if (failed.length === 0 && errors.length === 0)
    return Object.freeze({ verdict: "passed", reason: null, expectations, score });
  const reason = [
    ...failed.map(
      (x) => x.boundMs === null ? `${x.name} failed: ${x.detail}` : `${x.name} failed: ${x.description}; measured ${x.measuredMs === null ? "never" : humanDuration(x.measuredMs)}, bound ${humanDuration(x.boundMs)}`
    ),
    ...errors
  ].join("; ");
  return Object.freeze({ verdict: "failed", reason, expectations, score });
}

// chaos-drill/src/phases/fault.ts
async function injectPhase(ctx) {
  const { experiment, deps, driver, rec, clock } = ctx;
  const spec = experiment.fault;
  let target = null;
  let before;
  let undo = {};
  const save = async (state) => {
    undo = state;
    await deps.markers?.put({
      project: ctx.project,
      experiment: experiment.name,
      fault: spec,
      recovery: experiment.recovery.action,
      target,
      undo: state,
      at: new Date(clock.now()).toISOString()
    });
  };
  const issuedAt = clock.now();
  let error;
  try {
    const [running] = (await deps.control.containersOf(spec.service)).filter(
      (c) => c.state === "running"
    );
    if (!running) throw new Error(`service ${spec.service} has no running container`);
    target = { id: running.id, name: running.name };
    before = await deps.docker.inspect(target.id).catch(() => void 0);
    await save({});
    rec.note("drill", `fault: ${driver.command(spec)}`);
    await save(await driver.inject(spec, target, ctx.tools, save));
  } catch (e) {
    error = errorMessage(e);
  }
  const returnedAt = clock.now();
  const ended = driver.ends && target ? await endOf(ctx, target.id, issuedAt, returnedAt) : {};
  const hit = target;
  const faultAt = ended.diedAt ?? returnedAt;
  rec.faultAt(faultAt);
  rec.note(
    "drill",
    `fault command returned after ${humanDuration(returnedAt - issuedAt)}`,
    returnedAt
  );
  if (ended.diedAt !== void 0)
    rec.note("docker", `container ${hit?.name} died (State.FinishedAt)`, ended.diedAt);
  if (error !== void 0) rec.note("drill", `error: ${error}`);
  return Object.freeze({
    attempted: true,
    issuedAt,
    returnedAt,
    faultAt,
    target: hit,
    undo,
    ...before ? { before } : {},
    ...ended,
    ...error !== void 0 ? { error } : {}
  });
}
async function endOf(ctx, id, issuedAt, returnedAt) {
  const died = await ctx.deps.control.finishedAt(id).catch(() => void 0);
  const at = died?.getTime();
  if (at === void 0 || at < issuedAt - 1e3 || at > returnedAt + 1e3) return {};
  const container = (await ctx.deps.control.containersOf(ctx.experiment.fault.service)).find(
    (c) => c.id === id
  );
  return { diedAt: at, ...container ? { exit: { exitCode: container.exitCode, at } } : {} };
}
async function watchPhase(ctx, fault) {
  const { experiment, deps, rec } = ctx;
  const observed = {};
  const activeAt = {};
  const deadline = fault.faultAt + experiment.fault["max-duration"];
  const check = {
    prometheus: deps.prometheus,
    http: deps.http,
    targets: deps.targets,
    docker: deps.docker,
    containersOf: (service) => deps.control.containersOf(service),
    now: () => ctx.clock.now(),
    faultService: experiment.fault.service,
    ...fault.before ? { restartCountBefore: fault.before.restartCount } : {}
  };
  const watched = experiment.expectations.filter((x) => expectationKind(x.type).check);
  await Promise.all(
    watched.map(async (x) => {
      const o = await watchOne(ctx, x, check, deadline, (at) => {
        const alert = expectationKind(x.type).alert?.(x);
        if (alert) activeAt[alert] ??= at;
      });
      observed[x.name] = o;
      if (o.at !== void 0)
        rec.note(expectationKind(x.type).source, `${x.name}: ${o.detail} (seen by polling)`, o.at);
      else
        rec.note(
          "drill",
          `${x.name}: not seen within ${humanDuration(experiment.fault["max-duration"])} (${o.detail})`
        );
    })
  );
  return Object.freeze({ observed, activeAt });
}
function observation(at, detail, slowestMs) {
  return {
    ...at !== void 0 ? { at } : {},
    detail,
    ...slowestMs !== void 0 ? { slowestMs } : {}
  };
}
async function pollOnce(x, check, progress, onActive) {
  const kind = expectationKind(x.type);
  try {
    const look = await kind.check(x, check);
    if (look.responseMs !== void 0)
      progress.slowestMs = Math.max(progress.slowestMs ?? 0, look.responseMs);
    if (look.activeAt !== void 0) onActive(look.activeAt);
    progress.last = look.detail;
    return look.at !== void 0 ? observation(look.at, look.detail, progress.slowestMs) : void 0;
  } catch (error) {
    progress.last = errorMessage(error);
    return void 0;
  }
}
async function watchOne(ctx, x, check, deadline, onActive) {
  const progress = { last: "not checked yet" };
  while (!ctx.interrupted()) {
    const seen = await pollOnce(x, check, progress, onActive);
    if (seen) return seen;
    if (ctx.clock.now() + ctx.poll > deadline) break;
    await ctx.clock.sleep(ctx.poll);
  }
  return observation(void 0, progress.last, progress.slowestMs);
}

// chaos-drill/src/phases/journal.ts
async function journalPhase(ctx, run) {
  const { experiment, driver, deps, clock, rec } = ctx;
  const { verdict, fault, recovery, facts } = run;
  const finishedAt = clock.now();
  rec.note(
    "drill",
    `verdict: ${verdict.verdict.toUpperCase()}${verdict.reason ? ` (${verdict.reason})` : ""}${verdict.score.percent !== null ? `, resilience score ${verdict.score.percent} %` : ""}`,
    finishedAt
  );
  const f = facts ?? { alerts: {}, target: {}, observed: {} };
  const writerSpec = experiment.workload?.writer;
  const journal = {
    schemaVersion: SCHEMA_VERSION,
    experiment: {
      name: experiment.name,
      file: experiment.file,
      description: experiment.description,
      fault: {
        action: experiment.fault.action,
        service: experiment.fault.service,
        signal: typeof experiment.fault.signal === "string" ? experiment.fault.signal : null,
        verb: driver.verb,
        noun: driver.noun,
        command: driver.command(experiment.fault),
        params: driver.params(experiment.fault)
      },
      recovery: {
        action: experiment.recovery.action,
        withinMs: experiment.recovery.within,
        command: driver.undoCommand(experiment.fault, experiment.recovery.action)
      }
    },
    target: {
      project: ctx.project,
      composeVersion: deps.control.compose.flavor.version,
      prometheus: run.urls.prometheus ?? "",
      frontend: run.urls.frontend ?? "",
      backend: run.urls.backend ?? ""
    },
    startedAt: iso(ctx.startedAt),
    finishedAt: iso(finishedAt),
    durationMs: finishedAt - ctx.startedAt,
    verdict: verdict.verdict,
    reason: verdict.reason,
    faultInjected: fault?.attempted === true,
    steadyStateBefore: run.pre?.steadyBefore ?? null,
    fault: fault ? {
      issuedAt: iso(fault.issuedAt),
      returnedAt: iso(fault.returnedAt),
      containerDiedAt: iso(fault.diedAt),
      container: fault.target?.name ?? null
    } : null,
    recovery: recovery ? {
      startedAt: iso(recovery.startedAt),
      returnedAt: iso(recovery.returnedAt),
      ok: recovery.error === null,
      error: recovery.error
    } : null,
    steadyStateAfter: recovery?.steadyAfter ?? null,
    expectations: verdict.expectations,
    measurements: measurements(experiment, f, verdict.expectations),
    impact: await impactOf(ctx, f),
    writes: f.writes && writerSpec && run.work?.writer ? writesOf(run.work.writer.url, writerSpec.rate, f.writes) : null,
    timeline: timeline(experiment, f, rec.events()),
    errors: run.errors,
    score: verdict.score,
    series: loadSeries(f.loadSamples ?? [], f.faultAt)
  };
  return deepFreeze(journal);
}
async function impactOf(ctx, f) {
  const load = ctx.experiment.load;
  if (!load || !f.load) return null;
  return {
    url: await resolveUrl(load.url, ctx.deps.targets).catch(() => load.url),
    ratePerSecond: load.rate,
    requests: f.load.requests,
    failures: f.load.failures,
    errorRatio: Math.round(f.load.errorRatio * 1e4) / 1e4,
    timeouts: f.load.timeouts,
    degradedResponses: f.load.degradedResponses,
    longestFailureStreakMs: f.load.longestFailureStreakMs,
    longestFailureStreakRequests: f.load.longestFailureStreakRequests,
    slowestResponseMs: f.load.slowestResponseMs
  };
}
function writesOf(url, rate, w) {
  return {
    url,
    ratePerSecond: rate,
    ...w,
    lostWrites: w.lostWrites.slice(0, 50),
    duplicatedWrites: w.duplicatedWrites.slice(0, 50)
  };
}
function deepFreeze(value) {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// chaos-drill/src/phases/preflight.ts
async function preflightPhase(ctx) {
  const { experiment, rec } = ctx;
  const leftovers = await undoLeftovers(ctx);
  await checkInputs(ctx);
  rec.note(
    "drill",
    "preflight ok: service exists and is running, Prometheus answers, queries return series"
  );
  const steadyBefore = await waitSteady(
    ctx,
    ctx.clock.now() + experiment["steady-state"].timeout,
    true
  );
  if (!steadyBefore.held) {
    const failing = steadyBefore.probes.filter((p) => !p.ok).map((p) => `${p.name}: ${p.detail}`);
    throw new PreflightError(
      `the steady state does not hold before the fault, nothing was injected: ${failing.join("; ")}`
    );
  }
  rec.note("drill", `steady state holds (${steadyBefore.probes.length} probes)`);
  if (ctx.interrupted())
    throw new PreflightError("interrupted before the fault, nothing was injected");
  return Object.freeze({ steadyBefore, lifecycleBefore: await snapshots(ctx), leftovers });
}
async function undoLeftovers(ctx) {
  if (!ctx.deps.markers) return [];
  let done;
  try {
    done = await recoverLeftovers(ctx.deps.markers, ctx.project, ctx.tools);
  } catch (error) {
    throw new PreflightError(`${errorMessage(error)}; nothing was injected`);
  }
  for (const line of done) ctx.rec.note("drill", line);
  return done;
}
async function snapshots(ctx) {
  const out = {};
  const services = ctx.experiment.expectations.flatMap(
    (x) => x.type === "not-restarted" && typeof x.service === "string" ? [x.service] : []
  );
  for (const name of new Set(services)) {
    const snapshot = await ctx.deps.lifecycle(name);
    if (snapshot.length === 0)
      throw new PreflightError(`not-restarted: service "${name}" has no container to watch`);
    out[name] = snapshot;
    ctx.rec.note(
      "docker",
      `${name}: ${snapshot.map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`).join(", ")}`
    );
  }
  return out;
}
async function checkInputs(ctx) {
  checkDeps(ctx);
  checkServices(ctx, await composeServices(ctx));
  try {
    await ctx.deps.prometheus.query("vector(1)");
  } catch (error) {
    throw new PreflightError(errorMessage(error));
  }
  for (const [index, x] of ctx.experiment.expectations.entries())
    if (x.type === "target-down") await checkUpSeries(ctx, index, x);
  await checkRunning(ctx);
}
function checkDeps(ctx) {
  const { experiment, deps } = ctx;
  const needs = new Set(
    experiment.expectations.flatMap((x) => expectationKind(x.type).needs ?? [])
  );
  if (experiment.workload?.writer && !deps.notes)
    throw new PreflightError("workload.writer needs a notes API client (DrillDeps.notes)");
  if (needs.has("lifecycle") && !deps.lifecycle)
    throw new PreflightError("not-restarted needs container snapshots (DrillDeps.lifecycle)");
}
async function composeServices(ctx) {
  try {
    return await ctx.deps.control.compose.services();
  } catch (error) {
    throw new PreflightError(
      `cannot read the Compose services of project ${ctx.project}: ${errorMessage(error)}`
    );
  }
}
function checkServices(ctx, services) {
  const { experiment, project } = ctx;
  for (const [index, x] of experiment.expectations.entries()) {
    if (typeof x.service === "string" && !services.includes(x.service))
      throw new PreflightError(
        `expectations[${index}] (${x.name}): service "${x.service}" is not a service of project ${project}: expected one of ${services.join(", ")}`
      );
  }
  const service = experiment.fault.service;
  if (!services.includes(service)) {
    throw new PreflightError(
      `fault.service "${service}" is not a service of project ${project}: expected one of ${services.join(", ")} (compose config --services)`
    );
  }
}
async function checkUpSeries(ctx, index, x) {
  const { prometheus } = ctx.deps;
  let count;
  try {
    count = rawSamples(await prometheus.query(`${x.query}[1m]`)).length;
  } catch (error) {
    throw new PreflightError(
      `expectations[${index}] (${x.name}): query ${x.query} cannot be read as raw samples: ${errorMessage(error)}`
    );
  }
  if (count === 0) {
    throw new PreflightError(
      `expectations[${index}] (${x.name}): query ${x.query} returns nothing at ${prometheus.baseUrl}: expected the target's up series (is the job scraped?)`
    );
  }
}
async function checkRunning(ctx) {
  const service = ctx.experiment.fault.service;
  const running = (await ctx.deps.control.containersOf(service)).filter(
    (c) => c.state === "running"
  );
  if (running.length === 0) {
    throw new PreflightError(
      `service "${service}" of project ${ctx.project} has no running container: start the stack first`
    );
  }
}

// chaos-drill/src/phases/recover.ts
async function recoverPhase(ctx, fault) {
  const { experiment, driver, rec, clock, deps } = ctx;
  const startedAt = clock.now();
  const action = experiment.recovery.action;
  rec.note("drill", `recovery: ${driver.undoCommand(experiment.fault, action)}`);
  let error = null;
  try {
    await driver.undo(experiment.fault, fault.target, fault.undo, action, ctx.tools);
    await deps.markers?.remove(ctx.project, experiment.name);
  } catch (e) {
    error = errorMessage(e);
    rec.note("drill", `recovery command failed: ${error}`);
  }
  const returnedAt = clock.now();
  const steadyAfter = await waitSteady(
    ctx,
    startedAt + Math.max(experiment.recovery.within, experiment.recovery["steady-state-within"]) + 3e4,
    false
  );
  rec.note(
    "drill",
    steadyAfter.held ? "steady state holds again" : `steady state NOT restored: ${steadyAfter.probes.filter((p) => !p.ok).map((p) => p.detail).join("; ")}`
  );
  return Object.freeze({ startedAt, returnedAt, error, steadyAfter });
}
async function restartsPhase(ctx, pre) {
  const out = {};
  for (const [name, snapshot] of Object.entries(pre.lifecycleBefore)) {
    try {
      const now = await ctx.deps.lifecycle(name);
      const changes = lifecycleChanges(snapshot, now);
      out[name] = {
        changes,
        detail: now.map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`).join(", ")
      };
      ctx.rec.note(
        "docker",
        `${name}: ${changes.length === 0 ? "same container, not restarted" : changes.join("; ")}`
      );
    } catch (error) {
      out[name] = { changes: null, detail: errorMessage(error) };
    }
  }
  return Object.freeze(out);
}

// chaos-drill/src/writer.ts
function writerMarker(name, random) {
  return `chaos-drill:${name}:${random}`;
}
function noteText(marker, seq) {
  return `${marker} note ${seq}`;
}
function retriable(status) {
  return status === void 0 || status === 408 || status === 429 || status >= 500;
}
function backoffDelay(attempt, backoffMs, maxBackoffMs) {
  return Math.min(maxBackoffMs, backoffMs * 2 ** Math.min(attempt - 1, 20));
}
async function writeOne(options, seq) {
  const { api, clock, marker } = options;
  const key = `${marker}:${seq}`;
  const text = noteText(marker, seq);
  const firstAttemptAt = clock.now();
  let attempts = 0;
  let lastError = "";
  for (; ; ) {
    attempts += 1;
    const r = await api.create(text, key, options.timeoutMs);
    if (r.status === 201 && r.note) {
      return {
        seq,
        key,
        text,
        firstAttemptAt,
        attempts,
        id: r.note.id,
        acknowledgedAt: r.endedAt,
        replayed: r.replayed
      };
    }
    lastError = r.status === 201 ? "HTTP 201 without a note id" : describeAttempt(r);
    const delay = backoffDelay(attempts, options.backoffMs, options.maxBackoffMs);
    if (!retriable(r.status) || clock.now() + delay - firstAttemptAt > options.giveUpAfterMs)
      return { seq, key, text, firstAttemptAt, attempts, replayed: false, lastError };
    await clock.sleep(delay);
  }
}
function startWriter(options) {
  const { clock, rate } = options;
  const interval = 1e3 / rate;
  const inFlight = [];
  let running = true;
  const loop = (async () => {
    let next = clock.now();
    while (running) {
      inFlight.push(writeOne(options, inFlight.length + 1));
      next += interval;
      const wait = next - clock.now();
      if (wait > 0) await clock.sleep(wait);
      else next = clock.now();
    }
  })();
  return {
    started: () => inFlight.length,
    stop: async () => {
      running = false;
      await loop;
      return (await Promise.all(inFlight)).sort((a, b) => a.seq - b.seq);
    }
  };
}
async function newestNoteId(api, timeoutMs) {
  const r = await api.list({ limit: 1 }, timeoutMs);
  return r.status === 200 ? r.notes[0]?.id ?? 0 : void 0;
}
function retrier(clock, tries) {
  return async (call) => {
    let r = await call();
    for (let i = 1; i < tries && (r.status === void 0 || r.status >= 500); i += 1) {
      await clock.sleep(500 * i);
      r = await call();
    }
    return r;
  };
}
async function readBackAcknowledged(acked, options, retry) {
  const { api, timeoutMs } = options;
  const lostWrites = [];
  let unanswered = 0;
  const readOne = async (w) => {
    const id = w.id;
    const r = await retry(() => api.get(id, timeoutMs));
    if (r.status === 200 && r.note?.text === w.text) return;
    if (r.status === void 0 || r.status >= 500) unanswered += 1;
    lostWrites.push({
      key: w.key,
      id,
      reason: r.status === 200 ? `note ${id} has another text: ${JSON.stringify(r.note?.text ?? null).slice(0, 80)}` : `GET /api/notes/${id}: ${describeAttempt(r)}`
    });
  };
  for (let i = 0; i < acked.length; i += 8) await Promise.all(acked.slice(i, i + 8).map(readOne));
  return { lostWrites, unanswered };
}
async function listRunNotes(options, retry) {
  const { api, marker, timeoutMs, baselineId } = options;
  const pageSize = options.pageSize ?? 100;
  const byText = /* @__PURE__ */ new Map();
  let before;
  for (let page = 0; page < (options.maxPages ?? 500); page += 1) {
    const r = await retry(
      () => api.list({ limit: pageSize, ...before !== void 0 ? { before } : {} }, timeoutMs)
    );
    if (r.status !== 200)
      return {
        byText,
        complete: false,
        stopped: `listing the notes stopped: ${describeAttempt(r)}`
      };
    for (const n of r.notes.filter((n2) => n2.id > baselineId && n2.text.startsWith(`${marker} `)))
      byText.set(n.text, [...byText.get(n.text) ?? [], n.id]);
    const oldest = r.notes.at(-1)?.id;
    if (r.nextBefore === null || oldest === void 0 || oldest <= baselineId)
      return { byText, complete: true };
    before = r.nextBefore;
  }
  return { byText, complete: false };
}
function verifyProblems(unanswered, listing, options) {
  const problems = [];
  if (unanswered > 0)
    problems.push(`${unanswered} acknowledged notes could not be read back (no answer or 5xx)`);
  if (listing.stopped !== void 0) problems.push(listing.stopped);
  else if (!listing.complete && problems.length === 0)
    problems.push(
      `listing the notes stopped after ${options.maxPages ?? 500} pages of ${options.pageSize ?? 100}`
    );
  return problems;
}
async function verifyWrites(records, options) {
  const retry = retrier(options.clock, options.attempts ?? 5);
  const acked = records.filter((r) => r.id !== void 0);
  const { lostWrites, unanswered } = await readBackAcknowledged(acked, options, retry);
  const listing = await listRunNotes(options, retry);
  const duplicatedWrites = [...listing.byText.entries()].filter(([, ids]) => ids.length > 1).map(([text, ids]) => ({ text, ids: [...ids].sort((a, b) => a - b) }));
  const ackedTexts = new Set(acked.map((w) => w.text));
  const unacked = records.filter((r) => r.id === void 0);
  return {
    marker: options.marker,
    attempted: records.length,
    requests: records.reduce((n, r) => n + r.attempts, 0),
    acknowledged: acked.length,
    acknowledgedAfterRetry: acked.filter((w) => w.attempts > 1).length,
    replayed: acked.filter((w) => w.replayed).length,
    unacknowledged: unacked.length,
    committedUnacknowledged: unacked.filter(
      (w) => listing.byText.has(w.text) && !ackedTexts.has(w.text)
    ).length,
    lost: lostWrites.length,
    duplicated: duplicatedWrites.reduce((n, d) => n + d.ids.length - 1, 0),
    verified: unanswered === 0 && listing.complete,
    lostWrites: lostWrites.sort((a, b) => a.id - b.id),
    duplicatedWrites,
    slowestAcknowledgementMs: acked.reduce(
      (m, w) => Math.max(m, w.acknowledgedAt - w.firstAttemptAt),
      0
    ),
    problems: verifyProblems(unanswered, listing, options)
  };
}

// chaos-drill/src/phases/workloads.ts
async function workloadsPhase(ctx) {
  const { experiment, deps, clock, rec } = ctx;
  const loadUrl = experiment.load ? await resolveUrl(experiment.load.url, deps.targets) : void 0;
  const writer = await startWriterWorkload(ctx);
  if (writer && !experiment.load) await clock.sleep(1e3);
  let load;
  if (experiment.load && loadUrl !== void 0) {
    load = {
      url: loadUrl,
      run: startLoad({
        http: deps.http,
        clock,
        url: loadUrl,
        rate: experiment.load.rate,
        timeoutMs: experiment.load.timeout
      })
    };
    rec.note("probe", `user load started: ${experiment.load.rate} req/s to ${loadUrl}`);
    await clock.sleep(1e3);
  }
  return Object.freeze({ ...load ? { load } : {}, ...writer ? { writer } : {} });
}
async function startWriterWorkload(ctx) {
  const spec = ctx.experiment.workload?.writer;
  if (!spec || !ctx.deps.notes) return void 0;
  const url = await resolveUrl(spec.url, ctx.deps.targets);
  const api = ctx.deps.notes(url);
  const baselineId = await newestNoteId(api, spec.timeout);
  if (baselineId === void 0)
    throw new PreflightError(
      `workload.writer: GET ${url}?limit=1 did not answer 200, nothing was injected`
    );
  const marker = writerMarker(
    ctx.experiment.name,
    `${ctx.startedAt.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`
  );
  const run = startWriter({
    api,
    clock: ctx.clock,
    rate: spec.rate,
    timeoutMs: spec.timeout,
    backoffMs: spec.backoff,
    maxBackoffMs: spec["max-backoff"],
    giveUpAfterMs: spec["give-up-after"],
    marker
  });
  ctx.rec.note(
    "probe",
    `writer started: ${spec.rate} notes/s to ${url} (marker ${marker}, newest note before: ${baselineId})`
  );
  return { api, url, baselineId, marker, run };
}
async function stopWorkloadsPhase(ctx, work) {
  const { rec, deps } = ctx;
  const errors = [];
  let loadSamples = [];
  if (work.load) {
    loadSamples = await work.load.run.stop();
    rec.note("probe", `user load stopped: ${loadSamples.length} requests`);
  }
  const w = work.writer;
  if (!w) return Object.freeze({ loadSamples, errors });
  const records = await w.run.stop();
  rec.note(
    "probe",
    `writer stopped: ${records.length} notes, ${records.filter((r) => r.id !== void 0).length} acknowledged; reading them back`
  );
  const spec = ctx.experiment.workload?.writer;
  const url = spec ? await resolveUrl(spec.url, deps.targets).catch(() => w.url) : w.url;
  const writes = await verifyWrites(records, {
    api: url === w.url ? w.api : deps.notes(url),
    clock: ctx.clock,
    marker: w.marker,
    baselineId: w.baselineId,
    timeoutMs: spec?.timeout ?? 2e3
  });
  rec.note(
    "probe",
    `writes: ${writes.acknowledged} acknowledged, ${writes.lost} lost, ${writes.duplicated} duplicated${writes.verified ? "" : ` (read-back incomplete: ${writes.problems.join("; ")})`}`
  );
  for (const problem of writes.problems) errors.push(`writer read-back: ${problem}`);
  return Object.freeze({ loadSamples, writes, errors });
}

// chaos-drill/src/drill.ts
var NOT_WATCHED = Object.freeze({ observed: {}, activeAt: {} });
async function withCleanup(main, cleanup) {
  const outcome = await main().then(
    (value) => ({ ok: true, value }),
    (error) => ({ ok: false, error })
  );
  const after2 = await cleanup();
  if (!outcome.ok) throw outcome.error;
  return { main: outcome.value, cleanup: after2 };
}
var TARGET_NAMES = ["frontend", "backend", "prometheus"];
async function runDrill(experiment, deps) {
  const ctx = drillContext(experiment, deps);
  const urls = await resolveTargets(deps);
  ctx.rec.note(
    "drill",
    `experiment ${experiment.name}: ${ctx.driver.command(experiment.fault)} (project ${ctx.project}, Compose ${deps.control.compose.flavor.version})`
  );
  const begun = await begin(ctx);
  if ("aborted" in begun) return abort(ctx, urls, begun.aborted, begun.pre);
  const { pre, work } = begun;
  if (ctx.interrupted()) {
    await stopWorkloadsPhase(ctx, work);
    return abort(ctx, urls, "interrupted before the fault, nothing was fault", pre);
  }
  const fault = await injectPhase(ctx);
  const { main: watch, cleanup } = await withCleanup(
    () => fault.error === void 0 ? watchPhase(ctx, fault) : Promise.resolve(NOT_WATCHED),
    async () => ({
      recovery: await recoverPhase(ctx, fault),
      stopped: await stopWorkloadsPhase(ctx, work)
    })
  );
  const { recovery, stopped } = cleanup;
  const restarts = await restartsPhase(ctx, pre);
  const { facts, errors: factErrors } = await factsPhase(
    ctx,
    fault,
    watch,
    recovery,
    stopped,
    restarts
  );
  const errors = [
    ...fault.error !== void 0 ? [fault.error] : [],
    ...recovery.error !== null ? [`recovery failed: ${recovery.error}`] : [],
    ...stopped.errors,
    ...factErrors
  ];
  const interrupted = ctx.interrupted() ? `interrupted by ${String(deps.signal?.reason ?? "a signal")} during the fault` : void 0;
  if (interrupted) ctx.rec.note("drill", `error: ${interrupted}`);
  const verdict = verdictPhase(ctx, facts, errors, interrupted);
  return journalPhase(ctx, {
    urls,
    pre,
    work,
    fault,
    recovery,
    facts,
    errors,
    verdict
  });
}
async function begin(ctx) {
  let pre;
  try {
    pre = await preflightPhase(ctx);
    return { pre, work: await workloadsPhase(ctx) };
  } catch (error) {
    const message = error instanceof PreflightError ? error.message : errorMessage(error);
    ctx.rec.note("drill", `aborted: ${message}`);
    return { aborted: message, ...pre ? { pre } : {} };
  }
}
function abort(ctx, urls, reason, pre) {
  return journalPhase(ctx, {
    urls,
    ...pre ? { pre } : {},
    errors: [],
    verdict: verdictPhase(ctx, void 0, [], reason)
  });
}
async function resolveTargets(deps) {
  const urls = {};
  for (const name of TARGET_NAMES)
    urls[name] = await deps.targets(name).catch((e) => `unresolved (${errorMessage(e)})`);
  return urls;
}
export {
  PreflightError,
  runDrill
};
