import { createRequire as __actionsCreateRequire } from 'node:module';
const require = __actionsCreateRequire(import.meta.url);
import {
  coreLog,
  coreState,
  createCompose,
  createExec,
  createPrometheus,
  errorMessage,
  readStackState,
  section,
  summary,
  warning
} from "./chunks/chunk-PIXMY2CP.js";

// stack-up/src/post-main.ts
import { join as join2, relative as relative2 } from "node:path";

// shared/src/reports.ts
import { randomBytes } from "node:crypto";
import { mkdir, open, rename, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, relative, resolve } from "node:path";
var WRITE_SIZE = 65536;
var isHighSurrogate = (code) => code >= 55296 && code <= 56319;
async function writeChunks(path, chunks) {
  const handle = await open(path, "w");
  let writing = Promise.resolve();
  try {
    const writeAll = async (bytes) => {
      for (let offset = 0; offset < bytes.length; ) {
        offset += (await handle.write(bytes, offset)).bytesWritten;
      }
    };
    const queue = async (bytes) => {
      await writing;
      writing = writeAll(bytes);
      writing.catch(() => {
      });
    };
    let pending = "";
    const flush = (all) => {
      const keep = !all && isHighSurrogate(pending.charCodeAt(pending.length - 1)) ? 1 : 0;
      const text = pending.slice(0, pending.length - keep);
      pending = pending.slice(pending.length - keep);
      return queue(Buffer.from(text));
    };
    const add = (chunk) => {
      if (typeof chunk !== "string") return flush(true).then(() => queue(chunk));
      pending += chunk;
      return pending.length >= WRITE_SIZE ? flush(false) : void 0;
    };
    if (Symbol.asyncIterator in chunks) {
      for await (const chunk of chunks) await add(chunk);
    } else {
      for (const chunk of chunks) {
        const queued = add(chunk);
        if (queued) await queued;
      }
    }
    await flush(true);
    await writing;
  } finally {
    await writing.catch(() => {
    });
    await handle.close();
  }
}
function createReportWriter(dir) {
  const root = resolve(dir);
  async function write(relativePath, content) {
    const target = resolve(root, relativePath);
    const rel = relative(root, target);
    if (rel === "" || rel.startsWith("..") || isAbsolute(rel)) {
      throw new Error(`Report path "${relativePath}" is outside the reports directory ${root}`);
    }
    await mkdir(dirname(target), { recursive: true });
    const temp = `${target}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    try {
      if (typeof content === "string" || content instanceof Uint8Array) {
        await writeFile(temp, content);
      } else {
        await writeChunks(temp, content);
      }
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    return target;
  }
  return Object.freeze({
    dir: root,
    write,
    writeJson: (relativePath, value) => write(relativePath, `${JSON.stringify(value, null, 2)}
`)
  });
}

// stack-up/src/teardown.ts
import { join } from "node:path";
function logFileName(service) {
  return `${service.replace(/[^A-Za-z0-9_.-]/g, "_")}.log`;
}
async function collectAndTearDown(deps) {
  const { compose, reports, log } = deps;
  const saved = [];
  const problems = [];
  const attempt = async (what, fn) => {
    try {
      await fn();
    } catch (error) {
      const message = `stack-up post: could not ${what}: ${errorMessage(error)}`;
      problems.push(message);
      log.warning(message);
    }
  };
  await attempt("save `ps`", async () => {
    saved.push(await reports.write("ps.txt", await compose.ps()));
  });
  await attempt("save service logs", async () => {
    const services = [...new Set((await compose.containers()).map((c) => c.service))].sort();
    for (const service of services) {
      await attempt(`save the logs of ${service}`, async () => {
        saved.push(
          await reports.write(
            join("logs", logFileName(service)),
            await compose.logs({ services: [service] })
          )
        );
      });
    }
  });
  const prometheus = deps.prometheus;
  if (prometheus) {
    await attempt("save the Prometheus targets", async () => {
      saved.push(
        await reports.writeJson("prometheus-targets.json", await prometheus.targetsJson())
      );
    });
  }
  await attempt("tear the stack down", async () => {
    const down = await compose.down({ volumes: true, removeOrphans: true });
    if (down.exitCode !== 0)
      throw new Error(`compose down exited ${down.exitCode}: ${down.stderr.trim()}`);
  });
  return { saved, problems };
}

// stack-up/src/post-main.ts
async function run(deps = {
  exec: createExec(),
  log: coreLog(),
  state: coreState(),
  workspace: process.env.GITHUB_WORKSPACE ?? process.cwd()
}) {
  try {
    const state = readStackState(deps.state);
    if (!state) {
      deps.log.info("stack-up post: main did not start a stack; nothing to collect or tear down");
      return;
    }
    deps.log.info(`stack-up post: collecting reports and tearing down ${state.projectName}`);
    const compose = await createCompose(
      {
        files: state.files,
        projectName: state.projectName,
        projectDirectory: state.projectDirectory,
        profiles: state.profiles,
        ...state.envFile ? { envFile: state.envFile } : {}
      },
      { exec: deps.exec }
    );
    const reports = createReportWriter(join2(state.reportsDir, "stack"));
    const prometheus = state.prometheusUrl ? createPrometheus(state.prometheusUrl) : void 0;
    const { saved, problems } = await collectAndTearDown({
      compose,
      reports,
      log: deps.log,
      ...prometheus ? { prometheus } : {}
    });
    const list = saved.map((file) => `- \`${relative2(deps.workspace, file)}\``).join("\n");
    await summary.addRaw(
      section(
        `Stack ${state.projectName} torn down`,
        `${list || "No report saved."}${problems.length ? `

${problems.map((p) => `> ⚠️ ${p}`).join("\n")}` : ""}`
      )
    ).write();
  } catch (error) {
    warning(`stack-up post failed: ${errorMessage(error)}`);
  }
}

// stack-up/src/post.ts
await run();
