import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  allTargetsUp,
  checkDockerEngine,
  coreLog,
  coreState,
  createCompose,
  createExec,
  createPrometheus,
  describeStatus,
  errorMessage,
  isReady,
  markdownTable,
  saveStackState,
  section,
  setFailed,
  setOutput,
  summary,
  systemClock
} from "./chunks/chunk-PIXMY2CP.js";

// stack-up/src/main.ts
import { dirname } from "node:path";

// shared/src/inputs.ts
function inputEnvName(name) {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
function envInputSource(env = process.env) {
  return { get: (name) => env[inputEnvName(name)] };
}
var InputError = class extends Error {
  constructor(input, value, expected) {
    super(`Input "${input}" has value "${value}": expected ${expected}`);
    this.input = input;
    this.value = value;
    this.name = "InputError";
  }
  input;
  value;
};
function raw(source, name) {
  return (source.get(name) ?? "").trim();
}
function getString(source, name, options = {}) {
  const value = raw(source, name);
  if (value === "") {
    if (options.required) throw new InputError(name, value, "a value (this input is required)");
    return options.default ?? "";
  }
  return value;
}
var TRUE = ["true", "True", "TRUE"];
var FALSE = ["false", "False", "FALSE"];
function getBoolean(source, name, fallback = false) {
  const value = raw(source, name);
  if (value === "") return fallback;
  if (TRUE.includes(value)) return true;
  if (FALSE.includes(value)) return false;
  throw new InputError(name, value, "true or false");
}
function getList(source, name) {
  return raw(source, name).split(/[\n,]/).map((item) => item.trim()).filter((item) => item !== "");
}
function getInt(source, name, options) {
  const value = raw(source, name);
  if (value === "") return options.default;
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const range = options.min !== void 0 && options.max !== void 0 ? ` from ${min} to ${max}` : options.min !== void 0 ? ` of at least ${min}` : options.max !== void 0 ? ` of at most ${max}` : "";
  if (!/^-?\d+$/.test(value)) throw new InputError(name, value, `a whole number${range}`);
  const n = Number(value);
  if (n < min || n > max) throw new InputError(name, value, `a whole number${range}`);
  return n;
}
var UNIT_MS = { ms: 1, s: 1e3, m: 6e4, h: 36e5 };
function parseDuration(text) {
  const value = text.trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1e3);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(value)) return void 0;
  let total = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) {
    total += Number(match[1]) * (UNIT_MS[match[2] ?? "s"] ?? 1e3);
  }
  return Math.round(total);
}
function getDuration(source, name, options) {
  const value = raw(source, name);
  if (value === "") return options.default;
  const ms = parseDuration(value);
  const expected = "a duration such as 90s, 5m, 1h30m or a number of seconds";
  if (ms === void 0) throw new InputError(name, value, expected);
  if (options.min !== void 0 && ms < options.min) {
    throw new InputError(name, value, `${expected}, at least ${options.min / 1e3}s`);
  }
  if (options.max !== void 0 && ms > options.max) {
    throw new InputError(name, value, `${expected}, at most ${options.max / 1e3}s`);
  }
  return ms;
}

// stack-up/src/inputs.ts
import { isAbsolute, resolve } from "node:path";
var PROJECT = /^[a-z0-9][a-z0-9_-]*$/;
function readInputs(source, context) {
  const workingDirectory = resolve(
    context.workspace,
    getString(source, "working-directory", { default: "." })
  );
  const abs = (p) => isAbsolute(p) ? p : resolve(workingDirectory, p);
  const files = getList(source, "compose-file");
  if (files.length === 0) throw new InputError("compose-file", "", "at least one compose file");
  const projectName = getString(source, "project-name", {
    default: `stack-${context.runId || "local"}-${context.runAttempt || "1"}`
  });
  if (!PROJECT.test(projectName)) {
    throw new InputError(
      "project-name",
      projectName,
      "lower-case letters, digits, - and _, starting with a letter or digit"
    );
  }
  const prometheusUrl = getString(source, "prometheus-url");
  if (prometheusUrl && !/^https?:\/\/[^\s/]+/.test(prometheusUrl)) {
    throw new InputError("prometheus-url", prometheusUrl, "an http:// or https:// URL");
  }
  const waitForTargets2 = getBoolean(source, "wait-for-targets", false);
  if (waitForTargets2 && !prometheusUrl) {
    throw new InputError("wait-for-targets", "true", "prometheus-url to be set as well");
  }
  const envFile = getString(source, "env-file");
  return Object.freeze({
    composeFiles: Object.freeze(files.map(abs)),
    projectName,
    profiles: Object.freeze(getList(source, "profiles")),
    services: Object.freeze(getList(source, "services")),
    ...envFile ? { envFile: abs(envFile) } : {},
    build: getBoolean(source, "build", false),
    timeoutMs: getDuration(source, "timeout", { default: 18e4, min: 1e3, max: 6 * 36e5 }),
    ...prometheusUrl ? { prometheusUrl: prometheusUrl.replace(/\/+$/, "") } : {},
    waitForTargets: waitForTargets2,
    logLines: getInt(source, "log-lines", { default: 20, min: 0, max: 1e4 }),
    reportsDir: abs(getString(source, "reports-dir", { default: "reports" })),
    workingDirectory
  });
}

// stack-up/src/wait.ts
function readiness(statuses) {
  const pending = statuses.filter((s) => !isReady(s));
  return { ready: statuses.length > 0 && pending.length === 0, statuses, pending };
}
async function waitForServices(options) {
  const interval = options.intervalMs ?? 1e3;
  let last = { ready: false, statuses: [], pending: [] };
  for (; ; ) {
    try {
      last = readiness(await options.list());
    } catch (error) {
      last = { ...last, ready: false };
      if (options.clock.now() + interval > options.deadline) throw new Error(errorMessage(error));
    }
    if (last.ready) return last;
    const hopeless = last.pending.some(
      (s) => s.health === "unhealthy" || s.state === "exited" && s.exitCode !== 0 || s.state === "dead"
    );
    if (hopeless || options.clock.now() + interval > options.deadline) return last;
    await options.clock.sleep(interval);
  }
}
function notReadyMessage(timeoutMs, pending, logs) {
  if (pending.length === 0)
    return `No container of the project started within ${timeoutMs / 1e3}s`;
  const names = pending.map((s) => `${s.service} (${describeStatus(s)})`).join(", ");
  const sections = pending.map((s) => {
    const text = logs[s.service]?.trimEnd() || "(no log output)";
    return `--- ${s.service}: last log lines ---
${text}`;
  });
  return [`Services not ready within ${timeoutMs / 1e3}s: ${names}`, ...sections].join("\n");
}

// stack-up/src/main.ts
function defaultDeps() {
  return {
    env: process.env,
    exec: createExec(),
    clock: systemClock,
    log: coreLog(),
    state: coreState()
  };
}
async function bringUp(compose, inputs, deps, deadline) {
  const { clock, log } = deps;
  const up = await log.group(
    "docker compose up",
    () => compose.up({
      services: inputs.services,
      build: inputs.build,
      wait: true,
      waitTimeoutSeconds: inputs.timeoutMs / 1e3
    })
  );
  const state = await waitForServices({
    list: () => compose.containers(),
    clock,
    deadline: up.exitCode === 0 || compose.flavor.version === "v1" ? deadline : clock.now()
  });
  if (state.ready) return state.statuses;
  const logs = {};
  for (const s of state.pending) {
    logs[s.service] = await compose.logs({ services: [s.service], tail: inputs.logLines }).catch(errorMessage);
  }
  const upError = up.exitCode !== 0 ? `\`compose up\` exited ${up.exitCode}: ${up.stderr.trim().split("\n").slice(-3).join(" ")}
` : "";
  throw new Error(upError + notReadyMessage(inputs.timeoutMs, state.pending, logs));
}
async function waitForTargets(prometheusUrl, deps, deadline) {
  const { clock, log } = deps;
  const prometheus = createPrometheus(prometheusUrl, {
    clock,
    ...deps.fetch ? { fetch: deps.fetch } : {}
  });
  await log.group(
    `Wait for Prometheus targets at ${prometheusUrl}`,
    () => prometheus.waitUntil(async () => allTargetsUp(await prometheus.targets()), {
      timeoutMs: Math.max(1e3, deadline - clock.now()),
      intervalMs: 1e3
    })
  );
  log.info("Every Prometheus target is up");
}
async function reportServices(inputs, compose, statuses) {
  const services = statuses.map((s) => ({
    service: s.service,
    container: s.name,
    state: s.state,
    health: s.health ?? ""
  }));
  setOutput("services", JSON.stringify(services));
  await summary.addRaw(
    section(
      `Stack ${inputs.projectName} is up (Compose ${compose.flavor.version})`,
      markdownTable(
        ["Service", "Container", "State", "Health"],
        services.map((s) => [s.service, s.container, s.state, s.health || "—"])
      )
    )
  ).write();
}
async function run(deps = defaultDeps()) {
  try {
    const { env, exec, clock, log } = deps;
    const inputs = readInputs(envInputSource(env), {
      workspace: env.GITHUB_WORKSPACE ?? process.cwd(),
      runId: env.GITHUB_RUN_ID ?? "",
      runAttempt: env.GITHUB_RUN_ATTEMPT ?? ""
    });
    const started = clock.now();
    const deadline = started + inputs.timeoutMs;
    log.info(`stack-up: project ${inputs.projectName}, ${inputs.composeFiles.join(", ")}`);
    log.info(`Docker engine ${await checkDockerEngine(exec)}`);
    const projectDirectory = dirname(inputs.composeFiles[0]);
    const envFile = inputs.envFile ? { envFile: inputs.envFile } : {};
    const compose = await createCompose(
      {
        files: inputs.composeFiles,
        projectName: inputs.projectName,
        projectDirectory,
        profiles: inputs.profiles,
        ...envFile
      },
      { exec }
    );
    log.info(`Compose ${compose.flavor.version} (${compose.flavor.release})`);
    setOutput("project-name", inputs.projectName);
    setOutput("compose-version", compose.flavor.version);
    saveStackState(deps.state, {
      projectName: inputs.projectName,
      files: inputs.composeFiles,
      projectDirectory,
      profiles: inputs.profiles,
      ...envFile,
      reportsDir: inputs.reportsDir,
      ...inputs.prometheusUrl ? { prometheusUrl: inputs.prometheusUrl } : {}
    });
    const statuses = await bringUp(compose, inputs, deps, deadline);
    log.info(
      `All ${statuses.length} container(s) ready after ${((clock.now() - started) / 1e3).toFixed(1)}s`
    );
    if (inputs.waitForTargets && inputs.prometheusUrl)
      await waitForTargets(inputs.prometheusUrl, deps, deadline);
    await reportServices(inputs, compose, statuses);
  } catch (error) {
    setFailed(errorMessage(error));
  }
}

// stack-up/src/index.ts
await run();
