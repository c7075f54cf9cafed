import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  describeHttp,
  duration,
  external_exports,
  humanDuration,
  jsonCode,
  jsonFields,
  name,
  serviceName,
  url,
  weight
} from "./chunk-Q7A7O23Z.js";

// chaos-drill/src/expectations/kind.ts
function defineExpectation(kind) {
  return Object.freeze(kind);
}
function after(at, from) {
  return at === void 0 || from === void 0 ? null : Math.max(0, at - from);
}
var fmt = (ms) => ms === null ? "never" : humanDuration(ms);
function timedResult(x, experiment, facts, description, at, source, extra = {}) {
  const seen = facts.observed[x.name];
  const window = humanDuration(experiment.fault["max-duration"]);
  const measuredMs = after(at, facts.faultAt);
  const inBound = measuredMs !== null && measuredMs <= x.within;
  const detail = measuredMs === null ? `not observed within ${window} of the fault${seen?.detail ? ` (last: ${seen.detail})` : ""}` : `${fmt(measuredMs)} after the fault, bound ${humanDuration(x.within)}${inBound ? "" : " — exceeded"}${extra.detail ?? ""}`;
  return {
    name: x.name,
    type: x.type,
    description,
    boundMs: x.within,
    measuredMs,
    source: measuredMs === null ? "none" : source,
    passed: inBound && (extra.ok ?? true),
    detail,
    ...extra.alert ? { alert: extra.alert } : {}
  };
}
function countResult(x, description, measured, source, passed, detail, bound = 0) {
  return {
    name: x.name,
    type: x.type,
    description,
    boundMs: null,
    measuredMs: null,
    count: { bound, measured },
    source,
    passed,
    detail
  };
}

// chaos-drill/src/expectations/alert.ts
var schema = external_exports.strictObject({
  name,
  type: external_exports.literal("alert"),
  alert: external_exports.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "expected an alert name"),
  state: external_exports.enum(["pending", "firing"]),
  within: duration,
  weight
});
var alert = defineExpectation({
  type: "alert",
  schema,
  source: "alert",
  weight: 1,
  alert: (x) => x.alert,
  async check(x, ctx) {
    const found = (await ctx.prometheus.alerts()).find(
      (a) => a.labels.alertname === x.alert && (a.state === x.state || x.state === "pending" && a.state === "firing")
    );
    const activeAt = found?.activeAt ? Date.parse(found.activeAt) : void 0;
    return found ? {
      at: ctx.now(),
      detail: `${x.alert} is ${found.state} (activeAt ${found.activeAt ?? "?"})`,
      ...activeAt !== void 0 ? { activeAt } : {}
    } : { detail: `${x.alert} not ${x.state} yet` };
  },
  evaluate(x, facts, experiment) {
    const times = facts.alerts[x.alert] ?? {};
    const sample = x.state === "pending" ? times.pendingAt : times.firingAt;
    const api = x.state === "pending" ? times.activeAt : void 0;
    const source = sample !== void 0 ? "prometheus-sample" : api !== void 0 ? "alerts-api" : "poll";
    return timedResult(
      x,
      experiment,
      facts,
      `${x.alert} ${x.state} within ${humanDuration(x.within)}`,
      sample ?? api ?? facts.observed[x.name]?.at,
      source,
      { alert: x.alert }
    );
  }
});

// chaos-drill/src/expectations/clean-exit.ts
var schema2 = external_exports.strictObject({ name, type: external_exports.literal("clean-exit"), within: duration, weight });
var cleanExit = defineExpectation({
  type: "clean-exit",
  schema: schema2,
  source: "docker",
  weight: 1,
  evaluate(x, facts) {
    const exit = facts.exit;
    const measuredMs = after(exit?.at, facts.faultIssuedAt);
    const passed = exit?.exitCode === 0 && measuredMs !== null && measuredMs <= x.within;
    return {
      name: x.name,
      type: x.type,
      description: `the container exits with code 0 within ${humanDuration(x.within)} of the signal`,
      boundMs: x.within,
      measuredMs,
      source: exit ? "docker-inspect" : "none",
      passed,
      detail: exit ? `exit code ${exit.exitCode} ${fmt(measuredMs)} after the signal, bound ${humanDuration(x.within)}${passed ? "" : " — not clean or too late"}` : "no exit seen: the container did not stop"
    };
  }
});

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
  let url2;
  try {
    url2 = await resolveUrl(spec.url, targets);
  } catch (error) {
    return {
      name: probe.name,
      ok: false,
      detail: `${spec.url}: ${error instanceof Error ? error.message : String(error)}`
    };
  }
  const result = await deps.http.get(url2, spec.timeout);
  const ok = httpMatches(result, spec.status, spec["json-code"], spec.json);
  const want = describeWant(spec.status, spec["json-code"], spec.json);
  return { name: probe.name, ok, detail: `GET ${url2}: ${describeHttp(result)} (expected ${want})` };
}
async function checkAll(experiment, targets, deps) {
  return Promise.all(experiment["steady-state"].probes.map((p) => checkProbe(p, targets, deps)));
}

// chaos-drill/src/expectations/http-degraded.ts
var schema3 = external_exports.strictObject({
  name,
  type: external_exports.literal("http-degraded"),
  url,
  status: external_exports.number().int().min(100).max(599).default(503),
  "json-code": external_exports.string().min(1).optional(),
  json: jsonFields,
  within: duration,
  "max-response-time": duration.default(2e3),
  weight
});
var httpDegraded = defineExpectation({
  type: "http-degraded",
  schema: schema3,
  source: "probe",
  weight: 1,
  async check(x, ctx) {
    const target = await resolveUrl(x.url, ctx.targets);
    const response = await ctx.http.get(target, x["max-response-time"] + 1e3);
    const responseMs = response.endedAt - response.startedAt;
    const detail = `GET ${target}: ${describeHttp(response)}`;
    return httpMatches(response, x.status, x["json-code"], x.json) ? { at: response.endedAt, detail, responseMs } : { detail, responseMs };
  },
  evaluate(x, facts, experiment) {
    const seen = facts.observed[x.name];
    const slowest = Math.max(seen?.slowestMs ?? 0, facts.slowestDuringFaultMs ?? 0);
    const fast = slowest <= x["max-response-time"];
    const want = describeWant(x.status, x["json-code"], x.json);
    return timedResult(
      x,
      experiment,
      facts,
      `${x.url} answers ${want} within ${humanDuration(x.within)}, every response under ${humanDuration(x["max-response-time"])}`,
      seen?.at,
      "http-probe",
      {
        ok: fast,
        detail: `; slowest response ${fmt(slowest)}${fast ? "" : ` — over ${humanDuration(x["max-response-time"])}`}`
      }
    );
  }
});

// chaos-drill/src/expectations/not-restarted.ts
var schema4 = external_exports.strictObject({
  name,
  type: external_exports.literal("not-restarted"),
  service: serviceName,
  weight
});
var notRestarted = defineExpectation({
  type: "not-restarted",
  schema: schema4,
  source: "docker",
  weight: 1,
  needs: ["lifecycle"],
  refine: (x, e) => x.service === e.fault.service ? {
    path: "service",
    message: `the fault's own service (${x.service}) is restarted by its recovery; name another service`
  } : void 0,
  evaluate(x, facts) {
    const seen = facts.restarts?.[x.service];
    const changes = seen?.changes ?? null;
    return countResult(
      x,
      `${x.service} keeps its container, StartedAt and RestartCount through the fault and the recovery`,
      changes === null ? null : changes.length,
      changes === null ? "none" : "docker-inspect",
      changes !== null && changes.length === 0,
      changes === null ? `not checked: ${seen?.detail ?? "no snapshot"}` : changes.length === 0 ? seen?.detail ?? "unchanged" : changes.join("; ")
    );
  }
});

// chaos-drill/src/expectations/oom-killed.ts
var schema5 = external_exports.strictObject({
  name,
  type: external_exports.literal("oom-killed"),
  /** Default: the fault's service. */
  service: serviceName.optional(),
  within: duration,
  weight
});
var oomKilled = defineExpectation({
  type: "oom-killed",
  schema: schema5,
  source: "docker",
  weight: 1,
  async check(x, ctx) {
    const service = x.service ?? ctx.faultService;
    const before = ctx.restartCountBefore ?? 0;
    for (const c of await ctx.containersOf(service)) {
      const now = await ctx.docker.inspect(c.id);
      if (now.oomKilled && now.restartCount > before)
        return {
          at: ctx.now(),
          detail: `${now.name} OOMKilled, RestartCount ${before} → ${now.restartCount} (restart policy)`
        };
      if (now.oomKilled)
        return { detail: `${now.name} OOMKilled, not restarted yet (${now.status})` };
    }
    return { detail: `${service}: not OOM-killed yet` };
  },
  evaluate: (x, facts, experiment) => timedResult(
    x,
    experiment,
    facts,
    `${x.service ?? experiment.fault.service} is OOM-killed and restarted by its restart policy within ${humanDuration(x.within)}`,
    facts.observed[x.name]?.at,
    "docker-inspect"
  )
});

// chaos-drill/src/expectations/slo.ts
var needsLoad = (x, e) => e.load === void 0 ? { path: "type", message: `${x.type} needs a user load: add load` } : void 0;
var availabilitySchema = external_exports.strictObject({
  name,
  type: external_exports.literal("slo-availability"),
  /** The SLO: the share of requests that must succeed over the window. */
  objective: external_exports.number().gt(0).lt(1),
  window: duration.default(30 * 24 * 3600 * 1e3),
  /** While the fault lasts, at least this share of the load must succeed. */
  "min-success-ratio": external_exports.number().min(0).max(1).default(0),
  /** The drill may burn at most this share of the window's error budget. */
  "max-budget-burn": external_exports.number().gt(0).max(1),
  weight
});
var latencySchema = external_exports.strictObject({
  name,
  type: external_exports.literal("slo-latency"),
  percentile: external_exports.number().gt(0).max(100).default(95),
  /** The percentile of the load's response times while the fault lasts must stay under this. */
  max: duration,
  weight
});
var pct = (r) => `${(r * 100).toFixed(r < 0.01 ? 3 : 1)} %`;
function percentileMs(samples, p) {
  if (samples.length === 0) return null;
  const sorted = samples.map((s) => s.endedAt - s.startedAt).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
}
function budgetBurn(failures, objective, rate, windowMs) {
  return failures / ((1 - objective) * rate * (windowMs / 1e3));
}
var sloAvailability = defineExpectation({
  type: "slo-availability",
  schema: availabilitySchema,
  source: "probe",
  weight: 2,
  needs: ["load"],
  refine: needsLoad,
  evaluate(x, facts, experiment) {
    const during = facts.duringFault ?? [];
    const all = facts.loadSamples ?? [];
    const rate = experiment.load?.rate ?? 0;
    const failures = all.filter((s) => !s.ok).length;
    const ratio = during.length === 0 ? null : during.filter((s) => s.ok).length / during.length;
    const burn = rate > 0 ? budgetBurn(failures, x.objective, rate, x.window) : null;
    const passed = ratio !== null && burn !== null && ratio >= x["min-success-ratio"] && burn <= x["max-budget-burn"];
    return {
      name: x.name,
      type: x.type,
      description: `user load: at least ${pct(x["min-success-ratio"])} success during the fault; at most ${pct(x["max-budget-burn"])} of the error budget of ${pct(x.objective)} over ${humanDuration(x.window)} burnt`,
      boundMs: null,
      measuredMs: null,
      measure: { unit: "budget", bound: x["max-budget-burn"], measured: burn },
      source: ratio === null ? "none" : "user-load",
      passed,
      detail: ratio === null || burn === null ? "no user request during the fault" : `${pct(ratio)} of ${during.length} requests succeeded during the fault; ${failures} failed in the drill: ${pct(burn)} of the budget (${Math.round((1 - x.objective) * rate * (x.window / 1e3))} requests)${passed ? "" : " — exceeded"}`
    };
  }
});
var sloLatency = defineExpectation({
  type: "slo-latency",
  schema: latencySchema,
  source: "probe",
  weight: 2,
  needs: ["load"],
  refine: needsLoad,
  evaluate(x, facts) {
    const p = percentileMs(facts.duringFault ?? [], x.percentile);
    const passed = p !== null && p <= x.max;
    return {
      name: x.name,
      type: x.type,
      description: `user load p${x.percentile} under ${humanDuration(x.max)} during the fault`,
      boundMs: x.max,
      measuredMs: p,
      source: p === null ? "none" : "user-load",
      passed,
      detail: p === null ? "no user request during the fault" : `p${x.percentile} ${humanDuration(p)} of ${(facts.duringFault ?? []).length} requests, bound ${humanDuration(x.max)}${passed ? "" : " — exceeded"}`
    };
  }
});

// chaos-drill/src/expectations/target-down.ts
var schema6 = external_exports.strictObject({
  name,
  type: external_exports.literal("target-down"),
  query: external_exports.string().min(1).default('up{job="backend"}'),
  within: duration,
  weight
});
var targetDown = defineExpectation({
  type: "target-down",
  schema: schema6,
  source: "prometheus",
  weight: 1,
  async check(x, ctx) {
    const values = instantValues(await ctx.prometheus.query(x.query));
    return values.some((v) => v === 0) ? { at: ctx.now(), detail: `${x.query} == 0` } : { detail: `${x.query} = ${values.join(", ") || "no series"}` };
  },
  evaluate: (x, facts, experiment) => timedResult(
    x,
    experiment,
    facts,
    `${x.query} == 0 (first failed scrape) within ${humanDuration(x.within)}`,
    facts.target.downAt ?? facts.observed[x.name]?.at,
    facts.target.downAt !== void 0 ? "prometheus-sample" : "poll"
  )
});

// chaos-drill/src/expectations/writes.ts
var needsWriter = (x, e) => e.workload?.writer === void 0 ? { path: "type", message: `${x.type} needs a writer: add workload.writer` } : void 0;
function writesResult(x, writes) {
  const lost = x.type === "no-acknowledged-write-lost";
  const description = lost ? "every acknowledged note (201 + id) is readable with its text after the recovery" : "no note was stored twice (retries reuse their Idempotency-Key)";
  if (!writes)
    return countResult(
      x,
      description,
      null,
      "none",
      false,
      "not measured: the writer did not run or its notes were not read back"
    );
  const measured = lost ? writes.lost : writes.duplicated;
  const complete = writes.verified || measured > 0;
  const examples = lost ? writes.lostWrites.slice(0, 3).map((w) => `${w.key}: ${w.reason}`) : writes.duplicatedWrites.slice(0, 3).map((d) => `"${d.text}" stored as ${d.ids.join(", ")}`);
  return countResult(
    x,
    description,
    measured,
    "read-back",
    measured === 0 && writes.verified,
    `${measured} ${lost ? "lost" : "duplicated"} of ${writes.acknowledged} acknowledged (${writes.attempted} notes, ${writes.requests} requests, ${writes.replayed} acknowledged by a replay)${complete ? "" : `; read-back incomplete: ${writes.problems.join("; ")}`}${examples.length > 0 ? `: ${examples.join("; ")}` : ""}`
  );
}
var lostSchema = external_exports.strictObject({ name, type: external_exports.literal("no-acknowledged-write-lost"), weight });
var duplicateSchema = external_exports.strictObject({ name, type: external_exports.literal("no-duplicate-write"), weight });
var noWriteLost = defineExpectation({
  type: "no-acknowledged-write-lost",
  schema: lostSchema,
  source: "probe",
  weight: 2,
  needs: ["notes"],
  refine: needsWriter,
  evaluate: (x, facts) => writesResult(x, facts.writes)
});
var noDuplicateWrite = defineExpectation({
  type: "no-duplicate-write",
  schema: duplicateSchema,
  source: "probe",
  weight: 2,
  needs: ["notes"],
  refine: needsWriter,
  evaluate: (x, facts) => writesResult(x, facts.writes)
});

// chaos-drill/src/expectations/index.ts
var EXPECTATIONS = Object.freeze([
  targetDown,
  alert,
  httpDegraded,
  noWriteLost,
  noDuplicateWrite,
  notRestarted,
  oomKilled,
  cleanExit,
  sloAvailability,
  sloLatency
]);
function expectationKind(type) {
  const kind = EXPECTATIONS.find((k) => k.type === type);
  if (!kind) throw new Error(`unknown expectation type "${type}"`);
  return kind;
}

export {
  after,
  rangeSelector,
  rawSamples,
  alertTimes,
  targetTimes,
  resolveUrl,
  checkAll,
  EXPECTATIONS,
  expectationKind
};
