// Helpers shared by the observability tests: where the files are, how to read
// them, and how to run promtool/amtool so that a failure shows the tool's output.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const OBSERVABILITY_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PROMETHEUS_DIR = join(OBSERVABILITY_DIR, 'prometheus');
export const RULES_DIR = join(PROMETHEUS_DIR, 'rules');
export const RULE_TESTS_DIR = join(PROMETHEUS_DIR, 'tests');
export const PROMETHEUS_CONFIG = join(PROMETHEUS_DIR, 'prometheus.yml');
export const ALERTMANAGER_CONFIG = join(OBSERVABILITY_DIR, 'alertmanager', 'alertmanager.yml');
export const GRAFANA_DIR = join(OBSERVABILITY_DIR, 'grafana');
export const DASHBOARDS_DIR = join(GRAFANA_DIR, 'dashboards');

/** Where Compose mounts observability/prometheus/ inside the Prometheus container. */
export const PROMETHEUS_MOUNT = '/etc/prometheus';

/**
 * Prometheus 3, promtool and amtool at the versions docker-compose.yml pins, built from
 * their Go modules by .ci/install-go-tools.sh (.ci/go-tools.txt) under names that leave
 * Debian's older prometheus and amtool alone. The stand-in images carry the same builds.
 */
export const PROMETHEUS = 'prometheus-pinned';
export const PROMTOOL = 'promtool-pinned';
export const AMTOOL = 'amtool-pinned';

// --- files -----------------------------------------------------------------

/** Absolute paths of the files in `dir` whose name ends with `suffix`, sorted. */
export function listFiles(dir: string, suffix = ''): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(suffix))
    .sort()
    .map((name) => join(dir, name));
}

export function readYaml(path: string): unknown {
  return parse(readFileSync(path, 'utf8'));
}

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Runs `body` with a fresh temporary directory, removed afterwards. */
export function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'observability-test-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Matches `path` against a glob that uses `*` only in its last segment, the way
 * Prometheus's `rule_files` globs are written (filepath.Glob semantics there).
 */
export function matchesGlob(glob: string, path: string): boolean {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped}$`).test(path);
}

// --- tools -----------------------------------------------------------------

export interface ToolRun {
  readonly command: string;
  readonly status: number | null;
  readonly output: string;
}

export function runTool(tool: string, args: readonly string[]): ToolRun {
  const result = spawnSync(tool, args, { encoding: 'utf8', timeout: 60_000 });
  const error = result.error ? `\n${result.error.message}` : '';
  return {
    command: [tool, ...args].join(' '),
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}${error}`,
  };
}

/** Runs the tool and throws with its full output unless it exits 0. */
export function runToolOrThrow(tool: string, args: readonly string[]): string {
  const run = runTool(tool, args);
  if (run.status !== 0) {
    throw new Error(`${run.command} exited with ${run.status}:\n${run.output}`);
  }
  return run.output;
}

// --- Prometheus rule files ---------------------------------------------------

export interface Rule {
  readonly alert?: string;
  readonly record?: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Readonly<Record<string, string>>;
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

export function readRuleGroups(path: string): RuleGroup[] {
  const document = readYaml(path) as { groups?: RuleGroup[] } | null;
  if (!document || !Array.isArray(document.groups)) {
    throw new Error(`${path}: no "groups" list`);
  }
  return document.groups;
}

export function allRules(): Array<Rule & { readonly file: string; readonly group: string }> {
  return listFiles(RULES_DIR).flatMap((file) =>
    readRuleGroups(file).flatMap((group) =>
      group.rules.map((rule) => ({ ...rule, file, group: group.name })),
    ),
  );
}
