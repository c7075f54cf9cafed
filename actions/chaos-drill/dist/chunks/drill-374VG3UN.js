import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  describeAttempt,
  describeHttp,
  errorMessage,
  humanDuration,
  jsonCode,
  lifecycleChanges
} from "./chunk-H4J4EE2P.js";
import {
  TIMED_TYPES
} from "./chunk-S25XVRP4.js";
import "./chunk-DFOSAGIJ.js";

// chaos-drill/src/journal.ts
function iso(ms) {
  return ms === void 0 ? null : new Date(ms).toISOString();
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
function summarizeLoad(samples, degradedCode2) {
  const sorted = [...samples].sort((a, b) => a.startedAt - b.startedAt);
  let failures = 0;
  let timeouts = 0;
  let degraded = 0;
  let slowest = 0;
  let best = { ms: 0, count: 0 };
  let streakStart;
  let streakCount = 0;
  let streakLastEnd = 0;
  let firstFailureAt;
  let lastFailureAt;
  let recoveredAt;
  const closeStreak = (endAt) => {
    if (streakStart === void 0) return;
    const ms = endAt - streakStart;
    if (ms > best.ms || ms === best.ms && streakCount > best.count)
      best = { ms, count: streakCount };
    streakStart = void 0;
    streakCount = 0;
    streakLastEnd = 0;
  };
  for (const s of sorted) {
    slowest = Math.max(slowest, s.endedAt - s.startedAt);
    if (s.ok) {
      if (streakStart !== void 0) {
        closeStreak(s.startedAt);
        recoveredAt = s.startedAt;
      }
      continue;
    }
    failures += 1;
    if (s.timedOut) timeouts += 1;
    if (s.status === 503 && (degradedCode2 === void 0 || s.code === degradedCode2)) degraded += 1;
    firstFailureAt ??= s.startedAt;
    lastFailureAt = s.startedAt;
    recoveredAt = void 0;
    streakStart ??= s.startedAt;
    streakCount += 1;
    streakLastEnd = Math.max(streakLastEnd, s.endedAt);
  }
  closeStreak(streakLastEnd);
  return {
    requests: sorted.length,
    failures,
    errorRatio: sorted.length === 0 ? 0 : failures / sorted.length,
    timeouts,
    degradedResponses: degraded,
    longestFailureStreakMs: best.ms,
    longestFailureStreakRequests: best.count,
    slowestResponseMs: slowest,
    ...firstFailureAt !== void 0 ? { firstFailureAt } : {},
    ...lastFailureAt !== void 0 ? { lastFailureAt } : {},
    ...recoveredAt !== void 0 ? { recoveredAt } : {}
  };
}

// chaos-drill/src/measure.ts
function after(at, from) {
  return at === void 0 || from === void 0 ? null : Math.max(0, at - from);
}
var fmt = (ms) => ms === null ? "never" : humanDuration(ms);
function evaluateExpectations(experiment, facts) {
  const results = experiment.expectations.map((x) => {
    const seen = facts.observed[x.name];
    const window = humanDuration(experiment.fault["max-duration"]);
    const within = "within" in x ? x.within : 0;
    const result = (description, at, source, extraOk = true, extraDetail = "") => {
      const measuredMs = after(at, facts.faultAt);
      const inBound = measuredMs !== null && measuredMs <= within;
      const detail = measuredMs === null ? `not observed within ${window} of the fault${seen?.detail ? ` (last: ${seen.detail})` : ""}` : `${fmt(measuredMs)} after the fault, bound ${humanDuration(within)}${inBound ? "" : " — exceeded"}${extraDetail}`;
      return {
        name: x.name,
        type: x.type,
        description,
        boundMs: within,
        measuredMs,
        source: measuredMs === null ? "none" : source,
        passed: inBound && extraOk,
        detail
      };
    };
    switch (x.type) {
      case "target-down": {
        const fromPrometheus = facts.target.downAt;
        return result(
          `${x.query} == 0 (first failed scrape) within ${humanDuration(x.within)}`,
          fromPrometheus ?? seen?.at,
          fromPrometheus !== void 0 ? "prometheus-sample" : "poll"
        );
      }
      case "alert": {
        const times = facts.alerts[x.alert] ?? {};
        const sample = x.state === "pending" ? times.pendingAt : times.firingAt;
        const api = x.state === "pending" ? times.activeAt : void 0;
        const at = sample ?? api ?? seen?.at;
        const source = sample !== void 0 ? "prometheus-sample" : api !== void 0 ? "alerts-api" : "poll";
        return result(`${x.alert} ${x.state} within ${humanDuration(x.within)}`, at, source);
      }
      case "no-acknowledged-write-lost":
      case "no-duplicate-write":
        return writesResult(x.name, x.type, facts.writes);
      case "not-restarted": {
        const seenRestart = facts.restarts?.[x.service];
        const changes = seenRestart?.changes ?? null;
        return {
          name: x.name,
          type: x.type,
          description: `${x.service} keeps its container, StartedAt and RestartCount through the fault and the recovery`,
          boundMs: null,
          measuredMs: null,
          count: { bound: 0, measured: changes === null ? null : changes.length },
          source: changes === null ? "none" : "docker-inspect",
          passed: changes !== null && changes.length === 0,
          detail: changes === null ? `not checked: ${seenRestart?.detail ?? "no snapshot"}` : changes.length === 0 ? seenRestart?.detail ?? "unchanged" : changes.join("; ")
        };
      }
      default: {
        const slowest = Math.max(seen?.slowestMs ?? 0, facts.slowestDuringFaultMs ?? 0);
        const fast = slowest <= x["max-response-time"];
        const want = `${x.status}${x["json-code"] ? ` ${x["json-code"]}` : ""}${x.json ? ` ${JSON.stringify(x.json)}` : ""}`;
        return result(
          `${x.url} answers ${want} within ${humanDuration(x.within)}, every response under ${humanDuration(x["max-response-time"])}`,
          seen?.at,
          "http-probe",
          fast,
          `; slowest response ${fmt(slowest)}${fast ? "" : ` — over ${humanDuration(x["max-response-time"])}`}`
        );
      }
    }
  });
  if (facts.recoveryStartedAt !== void 0) {
    const within = experiment.recovery.within;
    const ttr = after(facts.target.upAgainAt, facts.recoveryStartedAt);
    results.push({
      name: "time-to-recover",
      type: "recovery",
      description: `first scrape with up == 1 within ${humanDuration(within)} of the recovery (${experiment.recovery.action})`,
      boundMs: within,
      measuredMs: ttr,
      source: ttr === null ? "none" : "prometheus-sample",
      passed: ttr !== null && ttr <= within,
      detail: ttr === null ? "Prometheus never scraped the target successfully after the recovery" : `${fmt(ttr)} after the recovery started, bound ${humanDuration(within)}${ttr <= within ? "" : " — exceeded"}`
    });
    const restoreWithin = experiment.recovery["steady-state-within"];
    const restored = facts.steadyAfter?.held ? after(facts.steadyAfter.at, facts.recoveryStartedAt) : null;
    results.push({
      name: "steady-state-restored",
      type: "steady-state",
      description: `every steady-state probe holds again within ${humanDuration(restoreWithin)} of the recovery`,
      boundMs: restoreWithin,
      measuredMs: restored,
      source: restored === null ? "none" : "poll",
      passed: restored !== null && restored <= restoreWithin,
      detail: restored === null ? "the steady state did not hold again" : `${fmt(restored)} after the recovery started, bound ${humanDuration(restoreWithin)}${restored <= restoreWithin ? "" : " — exceeded"}`
    });
  }
  return results;
}
function writesResult(name, type, writes) {
  const lost = type === "no-acknowledged-write-lost";
  const description = lost ? "every acknowledged note (201 + id) is readable with its text after the recovery" : "no note was stored twice (retries reuse their Idempotency-Key)";
  if (!writes) {
    return {
      name,
      type,
      description,
      boundMs: null,
      measuredMs: null,
      count: { bound: 0, measured: null },
      source: "none",
      passed: false,
      detail: "not measured: the writer did not run or its notes were not read back"
    };
  }
  const measured = lost ? writes.lost : writes.duplicated;
  const complete = writes.verified || measured > 0;
  const examples = lost ? writes.lostWrites.slice(0, 3).map((w) => `${w.key}: ${w.reason}`) : writes.duplicatedWrites.slice(0, 3).map((d) => `"${d.text}" stored as ${d.ids.join(", ")}`);
  return {
    name,
    type,
    description,
    boundMs: null,
    measuredMs: null,
    count: { bound: 0, measured },
    source: "read-back",
    passed: measured === 0 && writes.verified,
    detail: `${measured} ${lost ? "lost" : "duplicated"} of ${writes.acknowledged} acknowledged (${writes.attempted} notes, ${writes.requests} requests, ${writes.replayed} acknowledged by a replay)${complete ? "" : `; read-back incomplete: ${writes.problems.join("; ")}`}${examples.length > 0 ? `: ${examples.join("; ")}` : ""}`
  };
}
function measurements(experiment, facts, expectations) {
  const firstAlert = experiment.expectations.find((x) => x.type === "alert");
  const alert = firstAlert?.type === "alert" ? facts.alerts[firstAlert.alert] : void 0;
  const pendingAt = alert?.pendingAt ?? alert?.activeAt;
  const degraded = expectations.find(
    (x) => x.type === "http-degraded" && x.description.startsWith("{frontend}")
  ) ?? expectations.find((x) => x.type === "http-degraded");
  const frontendRecovered = facts.load?.recoveredAt !== void 0 && facts.recoveryStartedAt !== void 0 ? facts.load.recoveredAt - facts.recoveryStartedAt : null;
  return {
    faultAt: iso(facts.faultAt),
    detectedAt: iso(facts.target.downAt),
    timeToDetectMs: after(facts.target.downAt, facts.faultAt),
    alertPendingAt: iso(pendingAt),
    alertPendingAfterMs: after(pendingAt, facts.faultAt),
    alertFiringAt: iso(alert?.firingAt),
    alertFiringAfterMs: after(alert?.firingAt, facts.faultAt),
    frontendDegradedAfterMs: degraded?.measuredMs ?? null,
    recoveryStartedAt: iso(facts.recoveryStartedAt),
    recoveredAt: iso(facts.target.upAgainAt),
    timeToRecoverMs: after(facts.target.upAgainAt, facts.recoveryStartedAt),
    frontendRecoveredAfterMs: frontendRecovered === null ? null : Math.max(0, frontendRecovered),
    scrapeIntervalMs: facts.target.scrapeIntervalMs ?? null,
    evaluationIntervalMs: facts.evaluationIntervalMs ?? null
  };
}
function timeline(experiment, facts, events) {
  const all = [...events];
  const upQuery = experiment.expectations.find((x) => x.type === "target-down")?.query ?? `up{job="${experiment.fault.service}"}`;
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

// chaos-drill/src/samples.ts
function rangeSelector(expr, from, now, marginSeconds = 30) {
  const seconds = Math.max(1, Math.ceil((now - from) / 1e3)) + marginSeconds;
  return `${expr}[${seconds}s]`;
}
function rawSamples(result, match = () => true) {
  if (result.resultType !== "matrix") {
    throw new Error(
      `expected a range vector (matrix) of raw samples, got a ${result.resultType}: is the query a plain selector?`
    );
  }
  const out = [];
  for (const series of result.result) {
    if (!match(series.metric)) continue;
    for (const [t, v] of series.values ?? [])
      out.push({ at: Math.round(t * 1e3), value: Number(v) });
  }
  return out.sort((a, b) => a.at - b.at);
}
function instantValues(result) {
  if (result.resultType === "scalar")
    return [Number(result.result[1])];
  if (result.resultType !== "vector") return [];
  return result.result.map((s) => Number(s.value?.[1]));
}
function firstAtOrAfter(samples, from, predicate) {
  return samples.find((s) => s.at >= from && predicate(s.value));
}
function lastBefore(samples, before, predicate) {
  return [...samples].reverse().find((s) => s.at < before && predicate(s.value));
}
function medianSpacing(samples) {
  const gaps = [];
  for (let i = 1; i < samples.length; i += 1) {
    const gap = (samples[i]?.at ?? 0) - (samples[i - 1]?.at ?? 0);
    if (gap > 0) gaps.push(gap);
  }
  return median(gaps);
}
function median(values) {
  if (values.length === 0) return void 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
function alertTimes(result, faultAt, activeAt) {
  const pending = rawSamples(result, (m) => m.alertstate === "pending");
  const firing = rawSamples(result, (m) => m.alertstate === "firing");
  const pendingAt = firstAtOrAfter(pending, faultAt, (v) => v === 1)?.at;
  const firingAt = firstAtOrAfter(firing, faultAt, (v) => v === 1)?.at;
  const all = [...pending, ...firing].filter((s) => s.at >= faultAt).sort((a, b) => a.at - b.at);
  const evaluation = medianSpacing(all);
  const last = all.at(-1);
  return {
    ...pendingAt !== void 0 ? { pendingAt } : {},
    ...firingAt !== void 0 ? { firingAt } : {},
    ...activeAt !== void 0 ? { activeAt } : {},
    // The last sample plus one evaluation interval: when the rule stopped returning it.
    ...last && evaluation ? { resolvedAt: last.at + evaluation, evaluationIntervalMs: evaluation } : {}
  };
}
function targetTimes(up, faultAt, recoveryStartedAt) {
  const lastUpAt = lastBefore(up, faultAt, (v) => v === 1)?.at;
  const downAt = firstAtOrAfter(up, faultAt, (v) => v === 0)?.at;
  const upAgainAt = recoveryStartedAt !== void 0 ? firstAtOrAfter(up, Math.max(recoveryStartedAt, downAt ?? 0), (v) => v === 1)?.at : void 0;
  const scrapeIntervalMs = medianSpacing(up);
  return {
    ...lastUpAt !== void 0 ? { lastUpAt } : {},
    ...downAt !== void 0 ? { downAt } : {},
    ...upAgainAt !== void 0 ? { upAgainAt } : {},
    ...scrapeIntervalMs !== void 0 ? { scrapeIntervalMs } : {}
  };
}

// chaos-drill/src/probes.ts
function fillUrl(template, base) {
  return template.replace(/^\{(frontend|backend|prometheus)\}/, base.replace(/\/+$/, ""));
}
function targetOf(template) {
  return /^\{(frontend|backend|prometheus)\}/.exec(template)?.[1];
}
async function resolveUrl(template, targets) {
  const target = targetOf(template);
  return target ? fillUrl(template, await targets(target)) : template;
}
function compare(value, op, expected, tolerance = 0) {
  if (Number.isNaN(value)) return false;
  switch (op) {
    case "==":
      return Math.abs(value - expected) <= tolerance;
    case "!=":
      return Math.abs(value - expected) > tolerance;
    case "<":
      return value < expected + tolerance;
    case "<=":
      return value <= expected + tolerance;
    case ">":
      return value > expected - tolerance;
    case ">=":
      return value >= expected - tolerance;
  }
}
function httpMatches(result, status, code, json) {
  return result.status === status && (code === void 0 || jsonCode(result.body) === code) && (json === void 0 || jsonFieldsMatch(result.body, json));
}
function jsonFieldsMatch(body, fields) {
  let value;
  try {
    value = JSON.parse(body);
  } catch {
    return false;
  }
  if (value === null || typeof value !== "object") return false;
  const object = value;
  return Object.entries(fields).every(([k, v]) => object[k] === v);
}
function describeWant(status, code, json) {
  return `${status}${code ? ` ${code}` : ""}${json ? ` ${JSON.stringify(json)}` : ""}`;
}
async function checkProbe(probe, targets, deps) {
  if (probe.prometheus) {
    const { query, op, value, tolerance } = probe.prometheus;
    const want2 = `${op} ${value}${tolerance ? ` ± ${tolerance}` : ""}`;
    try {
      const values = instantValues(await deps.prometheus.query(query));
      if (values.length === 0) {
        return {
          name: probe.name,
          ok: false,
          detail: `${query} returned no series (expected ${want2})`
        };
      }
      const ok2 = values.every((v) => compare(v, op, value, tolerance));
      return { name: probe.name, ok: ok2, detail: `${query} = ${values.join(", ")} (expected ${want2})` };
    } catch (error) {
      return {
        name: probe.name,
        ok: false,
        detail: error instanceof Error ? error.message : String(error)
      };
    }
  }
  const spec = probe.http;
  let url;
  try {
    url = await resolveUrl(spec.url, targets);
  } catch (error) {
    return {
      name: probe.name,
      ok: false,
      detail: `${spec.url}: ${error instanceof Error ? error.message : String(error)}`
    };
  }
  const result = await deps.http.get(url, spec.timeout);
  const ok = httpMatches(result, spec.status, spec["json-code"], spec.json);
  const want = describeWant(spec.status, spec["json-code"], spec.json);
  return { name: probe.name, ok, detail: `GET ${url}: ${describeHttp(result)} (expected ${want})` };
}
async function checkAll(experiment, targets, deps) {
  return Promise.all(experiment["steady-state"].probes.map((p) => checkProbe(p, targets, deps)));
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
async function verifyWrites(records, options) {
  const { api, clock, marker, timeoutMs } = options;
  const tries = options.attempts ?? 5;
  const problems = [];
  const retry = async (call) => {
    let r = await call();
    for (let i = 1; i < tries && (r.status === void 0 || r.status >= 500); i += 1) {
      await clock.sleep(500 * i);
      r = await call();
    }
    return r;
  };
  const acked = records.filter((r) => r.id !== void 0);
  const lostWrites = [];
  let unanswered = 0;
  for (let i = 0; i < acked.length; i += 8) {
    await Promise.all(
      acked.slice(i, i + 8).map(async (w) => {
        const id = w.id;
        const r = await retry(() => api.get(id, timeoutMs));
        if (r.status === 200 && r.note?.text === w.text) return;
        if (r.status === void 0 || r.status >= 500) unanswered += 1;
        lostWrites.push({
          key: w.key,
          id,
          reason: r.status === 200 ? `note ${id} has another text: ${JSON.stringify(r.note?.text ?? null).slice(0, 80)}` : `GET /api/notes/${id}: ${describeAttempt(r)}`
        });
      })
    );
  }
  if (unanswered > 0)
    problems.push(`${unanswered} acknowledged notes could not be read back (no answer or 5xx)`);
  const pageSize = options.pageSize ?? 100;
  const maxPages = options.maxPages ?? 500;
  const byText = /* @__PURE__ */ new Map();
  let before;
  let complete = false;
  for (let page = 0; page < maxPages; page += 1) {
    const r = await retry(
      () => api.list({ limit: pageSize, ...before !== void 0 ? { before } : {} }, timeoutMs)
    );
    if (r.status !== 200) {
      problems.push(`listing the notes stopped: ${describeAttempt(r)}`);
      break;
    }
    for (const n of r.notes) {
      if (n.id > options.baselineId && n.text.startsWith(`${marker} `))
        byText.set(n.text, [...byText.get(n.text) ?? [], n.id]);
    }
    const oldest = r.notes.at(-1)?.id;
    if (r.nextBefore === null || oldest === void 0 || oldest <= options.baselineId) {
      complete = true;
      break;
    }
    before = r.nextBefore;
  }
  if (!complete && problems.length === 0)
    problems.push(`listing the notes stopped after ${maxPages} pages of ${pageSize}`);
  const duplicatedWrites = [...byText.entries()].filter(([, ids]) => ids.length > 1).map(([text, ids]) => ({ text, ids: [...ids].sort((a, b) => a - b) }));
  const ackedTexts = new Set(acked.map((w) => w.text));
  const unacked = records.filter((r) => r.id === void 0);
  return {
    marker,
    attempted: records.length,
    requests: records.reduce((n, r) => n + r.attempts, 0),
    acknowledged: acked.length,
    acknowledgedAfterRetry: acked.filter((w) => w.attempts > 1).length,
    replayed: acked.filter((w) => w.replayed).length,
    unacknowledged: unacked.length,
    committedUnacknowledged: unacked.filter((w) => byText.has(w.text) && !ackedTexts.has(w.text)).length,
    lost: lostWrites.length,
    duplicated: duplicatedWrites.reduce((n, d) => n + d.ids.length - 1, 0),
    verified: unanswered === 0 && complete,
    lostWrites: lostWrites.sort((a, b) => a.id - b.id),
    duplicatedWrites,
    slowestAcknowledgementMs: acked.reduce(
      (m, w) => Math.max(m, w.acknowledgedAt - w.firstAttemptAt),
      0
    ),
    problems
  };
}

// chaos-drill/src/drill.ts
var PreflightError = class extends Error {
  name = "PreflightError";
};
var TARGET_NAMES = ["frontend", "backend", "prometheus"];
async function runDrill(experiment, deps) {
  const { clock, control, prometheus } = deps;
  const poll = deps.pollIntervalMs ?? 500;
  const service = experiment.fault.service;
  const startedAt = clock.now();
  const events = [];
  const errors = [];
  let faultAt;
  const interrupted = () => deps.signal?.aborted === true;
  const note = (source, event, at = clock.now()) => {
    events.push({ at, source, event });
    const rel = faultAt === void 0 ? `T${fmtSeconds(at - startedAt)}` : `F${fmtSeconds(at - faultAt)}`;
    deps.log?.(
      `${new Date(at).toISOString().slice(11, 23)} ${rel.padStart(8)}  ${source.padEnd(10)} ${event}`
    );
  };
  const urls = {};
  for (const name of TARGET_NAMES)
    urls[name] = await deps.targets(name).catch((e) => `unresolved (${errorMessage(e)})`);
  let verdictOverride;
  let reason = null;
  let steadyBefore = null;
  let steadyAfter = null;
  let fault = null;
  let recovery = null;
  let faultIssuedAt;
  let recoveryStartedAt;
  let load;
  let loadSamples = [];
  const observed = {};
  const activeAt = {};
  const writerSpec = experiment.workload?.writer;
  let writer;
  let writes;
  const lifecycleBefore = {};
  const restarts = {};
  const notRestarted = experiment.expectations.flatMap(
    (x) => x.type === "not-restarted" ? [x.service] : []
  );
  const waitSteady = async (deadline) => {
    const began = clock.now();
    for (; ; ) {
      const probes = await checkAll(experiment, deps.targets, deps);
      const held = probes.every((p) => p.ok);
      const now = clock.now();
      if (held || now + 1e3 > deadline || interrupted() && faultIssuedAt === void 0) {
        return { held, at: new Date(now).toISOString(), waitedMs: now - began, probes };
      }
      await clock.sleep(1e3);
    }
  };
  note(
    "drill",
    `experiment ${experiment.name}: ${experiment.fault.action} ${service} (project ${control.compose.project.projectName}, Compose ${control.compose.flavor.version})`
  );
  try {
    await preflight(experiment, deps);
    note(
      "drill",
      "preflight ok: service exists and is running, Prometheus answers, queries return series"
    );
    steadyBefore = await waitSteady(clock.now() + experiment["steady-state"].timeout);
    if (!steadyBefore.held) {
      const failing = steadyBefore.probes.filter((p) => !p.ok).map((p) => `${p.name}: ${p.detail}`);
      throw new PreflightError(
        `the steady state does not hold before the fault, nothing was injected: ${failing.join("; ")}`
      );
    }
    note("drill", `steady state holds (${steadyBefore.probes.length} probes)`);
    if (interrupted())
      throw new PreflightError("interrupted before the fault, nothing was injected");
    for (const name of new Set(notRestarted)) {
      const snapshot = await deps.lifecycle(name);
      if (snapshot.length === 0)
        throw new PreflightError(`not-restarted: service "${name}" has no container to watch`);
      lifecycleBefore[name] = snapshot;
      note(
        "docker",
        `${name}: ${snapshot.map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`).join(", ")}`
      );
    }
    if (writerSpec && deps.notes) {
      const url = await resolveUrl(writerSpec.url, deps.targets);
      const api = deps.notes(url);
      const baselineId = await newestNoteId(api, writerSpec.timeout);
      if (baselineId === void 0)
        throw new PreflightError(
          `workload.writer: GET ${url}?limit=1 did not answer 200, nothing was injected`
        );
      const marker = writerMarker(
        experiment.name,
        `${startedAt.toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`
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
          maxBackoffMs: writerSpec["max-backoff"],
          giveUpAfterMs: writerSpec["give-up-after"],
          marker
        })
      };
      note(
        "probe",
        `writer started: ${writerSpec.rate} notes/s to ${url} (marker ${marker}, newest note before: ${baselineId})`
      );
    }
    if (writer && !experiment.load) await clock.sleep(1e3);
    if (experiment.load) {
      const url = await resolveUrl(experiment.load.url, deps.targets);
      load = startLoad({
        http: deps.http,
        clock,
        url,
        rate: experiment.load.rate,
        timeoutMs: experiment.load.timeout
      });
      note("probe", `user load started: ${experiment.load.rate} req/s to ${url}`);
      await clock.sleep(1e3);
    }
    const [container] = (await control.containersOf(service)).filter((c) => c.state === "running");
    faultIssuedAt = clock.now();
    note(
      "drill",
      `fault: compose ${experiment.fault.action} ${service}${experiment.fault.action === "kill" ? ` (${experiment.fault.signal ?? "SIGKILL"})` : ""}`
    );
    await control.act(
      experiment.fault.action,
      service,
      experiment.fault.signal ? { signal: experiment.fault.signal } : {}
    );
    const returnedAt = clock.now();
    const died = container && (experiment.fault.action === "kill" || experiment.fault.action === "stop" || experiment.fault.action === "restart") ? await control.finishedAt(container.id).catch(() => void 0) : void 0;
    const diedAt = died && died.getTime() >= faultIssuedAt - 1e3 && died.getTime() <= returnedAt + 1e3 ? died.getTime() : void 0;
    faultAt = diedAt ?? returnedAt;
    fault = {
      issuedAt: iso(faultIssuedAt),
      returnedAt: iso(returnedAt),
      containerDiedAt: iso(diedAt),
      container: container?.name ?? null
    };
    note(
      "drill",
      `fault command returned after ${humanDuration(returnedAt - faultIssuedAt)}`,
      returnedAt
    );
    if (diedAt !== void 0)
      note("docker", `container ${container?.name} died (State.FinishedAt)`, diedAt);
    const deadline = faultAt + experiment.fault["max-duration"];
    await Promise.all(
      experiment.expectations.filter(isTimed).map(async (x) => {
        observed[x.name] = await watch(x, deadline);
        const o = observed[x.name];
        if (o?.at !== void 0)
          note(
            x.type === "alert" ? "alert" : x.type === "http-degraded" ? "probe" : "prometheus",
            `${x.name}: ${o.detail} (seen by polling)`,
            o.at
          );
        else
          note(
            "drill",
            `${x.name}: not seen within ${humanDuration(experiment.fault["max-duration"])} (${o?.detail ?? ""})`
          );
      })
    );
    if (interrupted())
      throw new Error(
        `interrupted by ${String(deps.signal?.reason ?? "a signal")} during the fault`
      );
  } catch (error) {
    const message = errorMessage(error);
    reason = message;
    if (error instanceof PreflightError || faultIssuedAt === void 0 || interrupted())
      verdictOverride = "aborted";
    else errors.push(message);
    note("drill", faultIssuedAt === void 0 ? `aborted: ${message}` : `error: ${message}`);
  } finally {
    if (faultIssuedAt !== void 0) {
      recoveryStartedAt = clock.now();
      const action = experiment.recovery.action;
      note(
        "drill",
        `recovery: ${action === "wait-for-restart-policy" ? "waiting for the restart policy" : `compose ${action === "up" ? "up -d --no-deps" : action} ${service}`}`
      );
      let recoveryError = null;
      try {
        if (action === "up") await control.act("up", service);
        else if (action === "unpause") await control.act("unpause", service);
      } catch (error) {
        recoveryError = errorMessage(error);
        errors.push(`recovery failed: ${recoveryError}`);
        note("drill", `recovery command failed: ${recoveryError}`);
      }
      const returned = clock.now();
      recovery = {
        startedAt: iso(recoveryStartedAt),
        returnedAt: iso(returned),
        ok: recoveryError === null,
        error: recoveryError
      };
      steadyAfter = await waitSteady(
        recoveryStartedAt + Math.max(experiment.recovery.within, experiment.recovery["steady-state-within"]) + 3e4
      );
      note(
        "drill",
        steadyAfter.held ? "steady state holds again" : `steady state NOT restored: ${steadyAfter.probes.filter((p) => !p.ok).map((p) => p.detail).join("; ")}`
      );
    }
    if (load) {
      loadSamples = await load.stop();
      note("probe", `user load stopped: ${loadSamples.length} requests`);
    }
    if (writer) {
      const records = await writer.run.stop();
      note(
        "probe",
        `writer stopped: ${records.length} notes, ${records.filter((r) => r.id !== void 0).length} acknowledged; reading them back`
      );
      const url = writerSpec ? await resolveUrl(writerSpec.url, deps.targets).catch(() => writer?.url ?? "") : writer.url;
      writes = await verifyWrites(records, {
        api: url === writer.url ? writer.api : deps.notes(url),
        clock,
        marker: writer.marker,
        baselineId: writer.baselineId,
        timeoutMs: writerSpec?.timeout ?? 2e3
      });
      note(
        "probe",
        `writes: ${writes.acknowledged} acknowledged, ${writes.lost} lost, ${writes.duplicated} duplicated${writes.verified ? "" : ` (read-back incomplete: ${writes.problems.join("; ")})`}`
      );
      for (const problem of writes.problems) errors.push(`writer read-back: ${problem}`);
    }
    if (faultIssuedAt !== void 0) {
      for (const [name, snapshot] of Object.entries(lifecycleBefore)) {
        try {
          const now = await deps.lifecycle(name);
          const changes = lifecycleChanges(snapshot, now);
          restarts[name] = {
            changes,
            detail: now.map((c) => `${c.name} StartedAt ${c.startedAt} RestartCount ${c.restartCount}`).join(", ")
          };
          note(
            "docker",
            `${name}: ${changes.length === 0 ? "same container, not restarted" : changes.join("; ")}`
          );
        } catch (error) {
          restarts[name] = { changes: null, detail: errorMessage(error) };
        }
      }
    }
  }
  let facts = {
    alerts: {},
    target: {},
    observed,
    ...faultAt !== void 0 ? { faultAt } : {}
  };
  if (faultIssuedAt !== void 0 && faultAt !== void 0) {
    const now = clock.now();
    const from = faultIssuedAt - 3e4;
    const upQuery = upQueryOf(experiment);
    let target = {};
    try {
      target = targetTimes(
        rawSamples(await prometheus.query(rangeSelector(upQuery, from, now))),
        faultIssuedAt,
        recoveryStartedAt
      );
    } catch (error) {
      errors.push(`could not read the raw samples of ${upQuery}: ${errorMessage(error)}`);
    }
    const alerts = {};
    let evaluationIntervalMs;
    for (const name of new Set(
      experiment.expectations.flatMap((x) => x.type === "alert" ? [x.alert] : [])
    )) {
      try {
        const result = await prometheus.query(
          rangeSelector(`ALERTS{alertname="${name}"}`, from, now)
        );
        alerts[name] = alertTimes(result, faultIssuedAt, activeAt[name]);
        evaluationIntervalMs ??= alerts[name]?.evaluationIntervalMs;
      } catch (error) {
        errors.push(`could not read ALERTS for ${name}: ${errorMessage(error)}`);
        alerts[name] = activeAt[name] !== void 0 ? { activeAt: activeAt[name] } : {};
      }
    }
    for (const x of experiment.expectations) {
      if (x.type !== "http-degraded" || experiment.load?.url !== x.url) continue;
      const first = loadSamples.find(
        (s) => s.startedAt >= faultIssuedAt && s.status === x.status && (x["json-code"] === void 0 || s.code === x["json-code"]) && x.json === void 0
      );
      const seen = observed[x.name];
      if (first && (seen?.at === void 0 || first.endedAt < seen.at)) {
        observed[x.name] = {
          ...seen,
          at: first.endedAt,
          detail: `user load got HTTP ${first.status}${first.code ? ` ${first.code}` : ""} in ${first.endedAt - first.startedAt} ms`
        };
      }
    }
    const summary = experiment.load ? summarizeLoad(loadSamples, degradedCode(experiment)) : void 0;
    const duringFault = loadSamples.filter(
      (s) => s.startedAt >= faultAt && s.startedAt < (recoveryStartedAt ?? now)
    );
    facts = {
      ...facts,
      target,
      alerts,
      ...evaluationIntervalMs !== void 0 ? { evaluationIntervalMs } : {},
      ...recoveryStartedAt !== void 0 ? { recoveryStartedAt } : {},
      ...steadyAfter ? { steadyAfter: { held: steadyAfter.held, at: Date.parse(steadyAfter.at) } } : {},
      ...summary ? { load: summary } : {},
      ...writes ? { writes } : {},
      restarts,
      slowestDuringFaultMs: duringFault.reduce((m, s) => Math.max(m, s.endedAt - s.startedAt), 0)
    };
  }
  const expectations = faultIssuedAt !== void 0 && verdictOverride === void 0 ? evaluateExpectations(experiment, facts) : [];
  const failed = expectations.filter((x) => !x.passed);
  const verdict = verdictOverride ?? (failed.length > 0 || errors.length > 0 ? "failed" : "passed");
  if (verdict === "failed" && reason === null) {
    reason = [
      ...failed.map(
        (x) => x.boundMs === null ? `${x.name} failed: ${x.detail}` : `${x.name} failed: ${x.description}; measured ${x.measuredMs === null ? "never" : humanDuration(x.measuredMs)}, bound ${humanDuration(x.boundMs)}`
      ),
      ...errors
    ].join("; ");
  }
  const finishedAt = clock.now();
  note("drill", `verdict: ${verdict.toUpperCase()}${reason ? ` (${reason})` : ""}`, finishedAt);
  const impact = experiment.load && facts.load ? {
    url: await resolveUrl(experiment.load.url, deps.targets).catch(
      () => experiment.load?.url ?? ""
    ),
    ratePerSecond: experiment.load.rate,
    requests: facts.load.requests,
    failures: facts.load.failures,
    errorRatio: Math.round(facts.load.errorRatio * 1e4) / 1e4,
    timeouts: facts.load.timeouts,
    degradedResponses: facts.load.degradedResponses,
    longestFailureStreakMs: facts.load.longestFailureStreakMs,
    longestFailureStreakRequests: facts.load.longestFailureStreakRequests,
    slowestResponseMs: facts.load.slowestResponseMs
  } : null;
  return {
    schemaVersion: 1,
    experiment: {
      name: experiment.name,
      file: experiment.file,
      description: experiment.description,
      fault: {
        action: experiment.fault.action,
        service,
        signal: experiment.fault.action === "kill" ? experiment.fault.signal ?? "SIGKILL" : null
      },
      recovery: { action: experiment.recovery.action, withinMs: experiment.recovery.within }
    },
    target: {
      project: control.compose.project.projectName,
      composeVersion: control.compose.flavor.version,
      prometheus: urls.prometheus ?? "",
      frontend: urls.frontend ?? "",
      backend: urls.backend ?? ""
    },
    startedAt: iso(startedAt),
    finishedAt: iso(finishedAt),
    durationMs: finishedAt - startedAt,
    verdict,
    reason,
    faultInjected: faultIssuedAt !== void 0,
    steadyStateBefore: steadyBefore,
    fault,
    recovery,
    steadyStateAfter: steadyAfter,
    expectations,
    measurements: measurements(experiment, facts, expectations),
    impact,
    writes: writes && writerSpec && writer ? writesOf(writer.url, writerSpec.rate, writes) : null,
    timeline: timeline(experiment, facts, events),
    errors
  };
  async function watch(x, deadline) {
    let last = "not checked yet";
    let slowestMs = 0;
    const url = x.type === "http-degraded" ? await resolveUrl(x.url, deps.targets) : "";
    while (!interrupted()) {
      try {
        if (x.type === "target-down") {
          const values = instantValues(await prometheus.query(x.query));
          if (values.some((v) => v === 0)) return { at: clock.now(), detail: `${x.query} == 0` };
          last = `${x.query} = ${values.join(", ") || "no series"}`;
        } else if (x.type === "alert") {
          const alert = (await prometheus.alerts()).find(
            (a) => a.labels.alertname === x.alert && (a.state === x.state || x.state === "pending" && a.state === "firing")
          );
          if (alert?.activeAt) activeAt[x.alert] ??= Date.parse(alert.activeAt);
          if (alert)
            return {
              at: clock.now(),
              detail: `${x.alert} is ${alert.state} (activeAt ${alert.activeAt ?? "?"})`
            };
          last = `${x.alert} not ${x.state} yet`;
        } else {
          const response = await deps.http.get(url, x["max-response-time"] + 1e3);
          slowestMs = Math.max(slowestMs, response.endedAt - response.startedAt);
          if (httpMatches(response, x.status, x["json-code"], x.json))
            return {
              at: response.endedAt,
              detail: `GET ${url}: ${describeHttp(response)}`,
              slowestMs
            };
          last = `GET ${url}: ${describeHttp(response)}`;
        }
      } catch (error) {
        last = errorMessage(error);
      }
      if (clock.now() + poll > deadline) break;
      await clock.sleep(poll);
    }
    return { detail: last, ...x.type === "http-degraded" ? { slowestMs } : {} };
  }
}
function isTimed(x) {
  return TIMED_TYPES.includes(x.type);
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
async function preflight(experiment, deps) {
  const { control, prometheus } = deps;
  const service = experiment.fault.service;
  const project = control.compose.project.projectName;
  if (experiment.workload?.writer && !deps.notes)
    throw new PreflightError("workload.writer needs a notes API client (DrillDeps.notes)");
  if (experiment.expectations.some((x) => x.type === "not-restarted") && !deps.lifecycle)
    throw new PreflightError("not-restarted needs container snapshots (DrillDeps.lifecycle)");
  let services;
  try {
    services = await control.compose.services();
  } catch (error) {
    throw new PreflightError(
      `cannot read the Compose services of project ${project}: ${errorMessage(error)}`
    );
  }
  for (const [index, x] of experiment.expectations.entries()) {
    if (x.type === "not-restarted" && !services.includes(x.service))
      throw new PreflightError(
        `expectations[${index}] (${x.name}): service "${x.service}" is not a service of project ${project}: expected one of ${services.join(", ")}`
      );
  }
  if (!services.includes(service)) {
    throw new PreflightError(
      `fault.service "${service}" is not a service of project ${project}: expected one of ${services.join(", ")} (compose config --services)`
    );
  }
  try {
    await prometheus.query("vector(1)");
  } catch (error) {
    throw new PreflightError(errorMessage(error));
  }
  for (const [index, x] of experiment.expectations.entries()) {
    if (x.type !== "target-down") continue;
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
  const running = (await control.containersOf(service)).filter((c) => c.state === "running");
  if (running.length === 0) {
    throw new PreflightError(
      `service "${service}" of project ${project} has no running container: start the stack first`
    );
  }
}
function upQueryOf(experiment) {
  const x = experiment.expectations.find((e) => e.type === "target-down");
  return x?.type === "target-down" ? x.query : `up{job="${experiment.fault.service}"}`;
}
function degradedCode(experiment) {
  const x = experiment.expectations.find((e) => e.type === "http-degraded");
  return x?.type === "http-degraded" ? x["json-code"] : void 0;
}
function fmtSeconds(ms) {
  return `${ms < 0 ? "-" : "+"}${(Math.abs(ms) / 1e3).toFixed(1)}s`;
}
export {
  PreflightError,
  runDrill
};
