import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  error,
  getExecOutput,
  group,
  info,
  notice,
  setFailed,
  setOutput,
  summary,
  warning
} from "./chunks/chunk-3ZJQ4CJ6.js";
import "./chunks/chunk-WAEL3AT7.js";
import {
  CODE_SCANNING_MODES,
  InputError,
  SEVERITIES,
  createDbCache,
  createToolCache,
  envInputSource,
  getBoolean,
  getList,
  getString,
  isSeverity
} from "./chunks/chunk-EEO26KGF.js";
import {
  errorMessage
} from "./chunks/chunk-7KGTGVT3.js";
import "./chunks/chunk-VK2PBTEE.js";

// shared/src/core-adapters.ts
function coreLog() {
  return {
    info: (message) => info(message),
    warning: (message) => warning(message),
    group: (title, fn) => group(title, fn)
  };
}

// shared/src/exec.ts
var MissingToolError = class extends Error {
  constructor(tool) {
    super(`${tool} is not installed or not on PATH`);
    this.tool = tool;
    this.name = "MissingToolError";
  }
  tool;
};
function isMissingTool(error2) {
  if (typeof error2 !== "object" || error2 === null) return false;
  const { code, message } = error2;
  return code === "ENOENT" || typeof message === "string" && message.startsWith("Unable to locate executable file");
}
function createExec() {
  return async (command, args, options = {}) => {
    try {
      const result = await getExecOutput(command, [...args], {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : void 0,
        silent: options.silent ?? false,
        ignoreReturnCode: true
      });
      return { exitCode: result.exitCode, stdout: result.stdout, stderr: result.stderr };
    } catch (error2) {
      if (isMissingTool(error2)) throw new MissingToolError(command);
      throw error2;
    }
  };
}

// trivy-scan/src/inputs.ts
var SCANNERS = ["vuln", "misconfig", "secret", "license"];
var DEFAULTS = Object.freeze({
  severity: "HIGH,CRITICAL",
  ignoreFile: "security/.trivyignore.yaml",
  reportsDir: "security/reports",
  configPath: ".",
  trivyVersion: "v0.74.0",
  downloadBase: "https://github.com/aquasecurity/trivy/releases/download",
  // Mirror first: ghcr.io rate-limits anonymous pulls. Trivy takes a comma-separated list
  // in priority order ("OCI repository(ies) to retrieve trivy-db in order of priority",
  // pkg/flag/db_flags.go) and adds the DB schema tag itself when none is given, so an
  // untagged name keeps working when trivy-version moves to a new schema.
  dbRepository: "mirror.gcr.io/aquasec/trivy-db,ghcr.io/aquasecurity/trivy-db",
  javaDbRepository: "mirror.gcr.io/aquasec/trivy-java-db,ghcr.io/aquasecurity/trivy-java-db"
});
function severities(source) {
  const raw = getString(source, "severity", { default: DEFAULTS.severity });
  const list = raw.split(/[\n,]/).map((s) => s.trim().toUpperCase()).filter((s) => s !== "");
  const unknown = list.filter((s) => !isSeverity(s));
  if (list.length === 0 || unknown.length > 0) {
    throw new InputError(
      "severity",
      raw,
      `a comma-separated list of ${SEVERITIES.join(", ")}${unknown.length > 0 ? ` (unknown: ${unknown.join(", ")})` : ""}`
    );
  }
  return SEVERITIES.filter((s) => list.includes(s));
}
function scanners(source) {
  const list = getList(source, "scanners");
  if (list.length === 0) return void 0;
  const bad = list.filter((s) => !SCANNERS.includes(s));
  if (bad.length > 0) {
    throw new InputError("scanners", list.join(","), `a list of ${SCANNERS.join(", ")}`);
  }
  return list;
}
function codeScanning(source) {
  const value = getString(source, "code-scanning", { default: "auto" }).toLowerCase();
  if (!CODE_SCANNING_MODES.includes(value)) {
    throw new InputError("code-scanning", value, CODE_SCANNING_MODES.join(", "));
  }
  return value;
}
function scanTargets(source) {
  const images = getList(source, "images");
  const reports = [
    ...getList(source, "report").map((path) => ({ input: "report", path })),
    ...getList(source, "reports").map((path) => ({ input: "reports", path }))
  ];
  const scanConfig = getBoolean(source, "scan-config", false);
  if (reports.length > 0 && (images.length > 0 || scanConfig)) {
    throw new InputError(
      reports[0]?.input ?? "reports",
      reports.map((r) => r.path).join(","),
      "either existing reports or images/scan-config to scan, not both"
    );
  }
  if (reports.length === 0 && images.length === 0 && !scanConfig) {
    throw new InputError(
      "images",
      "",
      'at least one image, scan-config: true, or existing Trivy JSON reports in "reports"'
    );
  }
  return { images, reports, scanConfig };
}
function pinnedTrivyVersion(source) {
  const version = getString(source, "trivy-version", { default: DEFAULTS.trivyVersion });
  if (!/^v?\d+\.\d+\.\d+$/.test(version)) {
    throw new InputError(
      "trivy-version",
      version,
      'a pinned release such as v0.74.0 (moving tags like "latest" are refused)'
    );
  }
  return version;
}
function trivySha256Of(source) {
  const sha = getString(source, "trivy-sha256").toLowerCase() || void 0;
  if (sha !== void 0 && !/^[0-9a-f]{64}$/.test(sha)) {
    throw new InputError("trivy-sha256", sha, "a sha256 of 64 hex digits");
  }
  return sha;
}
function parseInputs(source, env = {}) {
  const { images, reports, scanConfig } = scanTargets(source);
  const trivyVersion = pinnedTrivyVersion(source);
  const trivySha256 = trivySha256Of(source);
  const explicitIgnore = getString(source, "ignore-file");
  const downloadBase = getString(source, "download-base", {
    default: env.TRIVY_DOWNLOAD_BASE || DEFAULTS.downloadBase
  });
  if (!/^https?:\/\//.test(downloadBase)) {
    throw new InputError("download-base", downloadBase, "an http(s) URL");
  }
  const repositories = (name, fallback) => {
    const list = getList(source, name);
    return list.length > 0 ? list : fallback.split(",");
  };
  return Object.freeze({
    images: Object.freeze(images),
    scanConfig,
    configPath: getString(source, "config-path", { default: DEFAULTS.configPath }),
    reports: Object.freeze(reports.map((r) => Object.freeze(r))),
    severities: Object.freeze(severities(source)),
    ignoreUnfixed: getBoolean(source, "ignore-unfixed", false),
    ignoreFile: explicitIgnore || DEFAULTS.ignoreFile,
    ignoreFileExplicit: explicitIgnore !== "",
    failOnFindings: getBoolean(source, "fail-on-findings", true),
    reportsDir: getString(source, "reports-dir", { default: DEFAULTS.reportsDir }),
    scanners: scanners(source),
    trivyVersion: trivyVersion.startsWith("v") ? trivyVersion : `v${trivyVersion}`,
    trivySha256,
    trivyPath: getString(source, "trivy-path") || void 0,
    downloadBase: downloadBase.replace(/\/+$/, ""),
    skipDbUpdate: getBoolean(source, "skip-db-update", false),
    dbRepositories: Object.freeze(repositories("db-repository", DEFAULTS.dbRepository)),
    javaDbRepositories: Object.freeze(
      repositories("java-db-repository", DEFAULTS.javaDbRepository)
    ),
    cacheDb: getBoolean(source, "cache-db", true),
    cacheDir: getString(source, "cache-dir") || void 0,
    annotate: getBoolean(source, "annotate", true),
    codeScanning: codeScanning(source),
    githubToken: getString(source, "github-token") || void 0
  });
}

// trivy-scan/src/main.ts
function annotate(annotation) {
  const properties = {
    title: annotation.title,
    ...annotation.file !== void 0 ? { file: annotation.file } : {},
    ...annotation.startLine !== void 0 ? { startLine: annotation.startLine, endLine: annotation.endLine ?? annotation.startLine } : {}
  };
  if (annotation.level === "error") error(annotation.message, properties);
  else if (annotation.level === "warning") warning(annotation.message, properties);
  else notice(annotation.message, properties);
}
function defaultDeps() {
  return {
    env: process.env,
    exec: createExec(),
    toolCache: createToolCache(),
    dbCache: createDbCache(),
    log: coreLog(),
    now: () => /* @__PURE__ */ new Date()
  };
}
async function run(deps = defaultDeps()) {
  try {
    const inputs = parseInputs(envInputSource(deps.env), deps.env);
    const { runTrivyScan } = await import("./chunks/pipeline-WOBXPUEV.js");
    const result = await runTrivyScan(inputs, deps);
    const { rendered, outcome } = result;
    for (const notice2 of result.notices) annotate(notice2);
    if (inputs.annotate) for (const annotation of rendered.annotations) annotate(annotation);
    setOutput("gate", outcome.gate);
    setOutput("counts", JSON.stringify(rendered.counts));
    for (const [name, value] of Object.entries(rendered.counts))
      setOutput(name, String(value));
    setOutput("sarif", result.sarifPaths.join("\n"));
    setOutput("sarif-targets", JSON.stringify(result.targets));
    setOutput("reports-dir", result.reportsDir);
    setOutput("sarif-upload", result.sarifUpload);
    setOutput("sarif-upload-reason", result.sarifUploadReason);
    setOutput("vulnerability-scan", result.vulnScan);
    if (deps.env.GITHUB_STEP_SUMMARY) await summary.addRaw(rendered.summary).write();
    if (outcome.gate === "fail") {
      const message = `Trivy gate failed: ${outcome.total.gating} finding(s) at ${inputs.severities.join(", ")} (see the job summary and ${result.reportsDir})`;
      if (inputs.failOnFindings) setFailed(message);
      else warning(`${message}; not failing because fail-on-findings is false`);
    }
  } catch (error2) {
    setFailed(errorMessage(error2));
  }
}

// trivy-scan/src/index.ts
await run();
