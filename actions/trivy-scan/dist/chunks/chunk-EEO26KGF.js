import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);

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

// trivy-scan/src/db-cache.ts
function createDbCache(load = () => import("./cache-Z76GVKWT.js")) {
  return {
    restore: async (paths, key, restoreKeys) => (await load()).restoreCache(paths, key, restoreKeys),
    save: async (paths, key) => {
      await (await load()).saveCache(paths, key);
    }
  };
}
function cacheAvailable(env) {
  return Boolean(env.ACTIONS_RUNTIME_TOKEN && (env.ACTIONS_CACHE_URL || env.ACTIONS_RESULTS_URL));
}
var DB_KEY_PREFIX = "trivy-db-";
function dbCacheKey(now) {
  return `${DB_KEY_PREFIX}${now.toISOString().slice(0, 10)}`;
}

// trivy-scan/src/upload.ts
var CODE_SCANNING_MODES = ["auto", "on", "off"];
function forkReason(payload) {
  const pr = payload?.pull_request;
  if (!pr) return void 0;
  const head = pr.head?.repo;
  const base = pr.base?.repo?.full_name;
  if (head === null || head === void 0 || typeof head.full_name !== "string") {
    return "This pull request’s head repository is gone (deleted or inaccessible), so it is handled as a fork: its token cannot write security events, and the SARIF is not uploaded to code scanning.";
  }
  if (typeof base === "string" && head.full_name.toLowerCase() === base.toLowerCase()) {
    return void 0;
  }
  return `This pull request comes from a fork (${head.full_name}): its token has no security-events: write, so the SARIF cannot be uploaded to code scanning.`;
}
var ANNOTATIONS_STILL = " Annotations, the job summary and the reports still show every finding.";
async function decideUpload(ctx) {
  if (ctx.mode === "off") {
    return {
      upload: "skip",
      reason: `code-scanning is off: the SARIF is not uploaded.${ANNOTATIONS_STILL}`
    };
  }
  const fork = forkReason(ctx.payload);
  if (fork) return { upload: "skip", reason: `${fork}${ANNOTATIONS_STILL}` };
  if (ctx.mode === "on") return { upload: "upload", reason: "" };
  const repo = ctx.payload?.repository;
  const name = ctx.repository ?? (typeof repo?.full_name === "string" ? repo.full_name : "");
  if (repo?.private !== true || !name.includes("/")) return { upload: "upload", reason: "" };
  const [owner = "", repoName = ""] = name.split("/");
  const status = await (await ctx.api()).status(owner, repoName);
  if (status.state === "enabled") return { upload: "upload", reason: "" };
  if (status.state === "disabled") {
    return {
      upload: "skip",
      reason: `${name} is private and code scanning is not enabled for it (GitHub: "${status.message}"): the SARIF is not uploaded. Enable GitHub Advanced Security (or Code Security) for the repository, or set code-scanning: off.${ANNOTATIONS_STILL}`
    };
  }
  return {
    upload: "upload",
    reason: "",
    warning: `Could not tell whether code scanning is enabled for ${name} (${status.message}); uploading as usual. Set code-scanning: on or off to skip this check.`
  };
}

// trivy-scan/src/install.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { chmod, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
function createToolCache(load = () => import("./tool-cache-5W6XERM6.js")) {
  return {
    find: async (tool, version) => (await load()).find(tool, version),
    downloadTool: async (url) => (await load()).downloadTool(url),
    extractTar: async (file) => (await load()).extractTar(file),
    cacheDir: async (dir, tool, version) => (await load()).cacheDir(dir, tool, version)
  };
}
var ChecksumError = class extends Error {
  name = "ChecksumError";
};
function assetName(version, platform, arch) {
  const bare = version.replace(/^v/, "");
  const os = { linux: "Linux", darwin: "macOS" }[platform];
  const cpu = { x64: "64bit", arm64: "ARM64" }[arch];
  if (!os || !cpu) {
    throw new Error(
      `Trivy install: no release asset for ${platform}/${arch} (supported: Linux/macOS on x64 or arm64)`
    );
  }
  return `trivy_${bare}_${os}-${cpu}.tar.gz`;
}
function releaseUrls(options, asset) {
  const bare = options.version.replace(/^v/, "");
  const base = `${options.downloadBase.replace(/\/+$/, "")}/v${bare}`;
  return { archive: `${base}/${asset}`, checksums: `${base}/trivy_${bare}_checksums.txt` };
}
function expectedSha256(checksums, asset) {
  for (const line of checksums.split(/\r?\n/)) {
    const [sha, file] = line.trim().split(/\s+\*?/);
    if (file === asset && sha && /^[0-9a-f]{64}$/i.test(sha)) return sha.toLowerCase();
  }
  throw new ChecksumError(`the release checksums file has no sha256 for ${asset}`);
}
async function sha256File(path) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest("hex");
}
async function installTrivy(toolCache, options) {
  const version = options.version.replace(/^v/, "");
  const cached = await toolCache.find("trivy", version);
  if (cached) return join(cached, "trivy");
  const asset = assetName(
    options.version,
    options.platform ?? process.platform,
    options.arch ?? process.arch
  );
  const urls = releaseUrls(options, asset);
  const archive = await toolCache.downloadTool(urls.archive);
  let extracted;
  try {
    const checksumsFile = await toolCache.downloadTool(urls.checksums);
    const checksums = await readFile(checksumsFile, "utf8");
    await rm(checksumsFile, { force: true });
    const actual = await sha256File(archive);
    const expected = expectedSha256(checksums, asset);
    if (actual !== expected) {
      throw new ChecksumError(
        `${asset} does not match the release checksums: expected sha256 ${expected}, actual ${actual}; refusing to install`
      );
    }
    if (options.sha256 && actual !== options.sha256.toLowerCase()) {
      throw new ChecksumError(
        `${asset} does not match input trivy-sha256: expected sha256 ${options.sha256.toLowerCase()}, actual ${actual}; refusing to install`
      );
    }
    extracted = await toolCache.extractTar(archive);
    await chmod(join(extracted, "trivy"), 493);
    const dir = await toolCache.cacheDir(extracted, "trivy", version);
    return join(dir, "trivy");
  } finally {
    await rm(archive, { force: true });
    if (extracted) await rm(extracted, { recursive: true, force: true });
  }
}

// trivy-scan/src/severity.ts
var SEVERITIES = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "UNKNOWN"];
var RANK = Object.fromEntries(SEVERITIES.map((s, i) => [s, i]));
function severityRank(severity) {
  return RANK[severity] ?? -1;
}
function sortBySeverity(items, severityOf) {
  const unranked = [];
  const buckets = SEVERITIES.map(() => []);
  for (const item of items) {
    const bucket = buckets[severityRank(severityOf(item))];
    if (bucket) bucket.push(item);
    else unranked.push(item);
  }
  return unranked.concat(...buckets);
}
function mostSevere(items, severityOf, n) {
  const unranked = [];
  const buckets = SEVERITIES.map(() => []);
  for (const item of items) {
    const bucket = buckets[severityRank(severityOf(item))] ?? unranked;
    if (bucket.length < n) bucket.push(item);
  }
  return unranked.concat(...buckets).slice(0, n);
}
function sarifLevel(severity) {
  switch (severity) {
    case "CRITICAL":
    case "HIGH":
      return "error";
    case "MEDIUM":
      return "warning";
    default:
      return "note";
  }
}
function securitySeverity(severity) {
  switch (severity) {
    case "CRITICAL":
      return "9.5";
    case "HIGH":
      return "8.0";
    case "MEDIUM":
      return "5.5";
    case "LOW":
      return "2.0";
    default:
      return "0.0";
  }
}
function isSeverity(value) {
  return SEVERITIES.includes(value);
}
function emptyCounts() {
  return { CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, UNKNOWN: 0 };
}

export {
  envInputSource,
  InputError,
  getString,
  getBoolean,
  getList,
  createDbCache,
  cacheAvailable,
  DB_KEY_PREFIX,
  dbCacheKey,
  SEVERITIES,
  sortBySeverity,
  mostSevere,
  sarifLevel,
  securitySeverity,
  isSeverity,
  emptyCounts,
  CODE_SCANNING_MODES,
  decideUpload,
  createToolCache,
  installTrivy
};
