// Prometheus config, alert rules and their promtool unit tests, and the
// Alertmanager config: checked by the real tools (promtool, amtool), plus the
// conventions those tools do not enforce (severity/summary/description, every
// alert tested firing and not firing, every rule file loaded by the glob).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeWithTools } from '../../test/support/tools.ts';
import {
  ALERTMANAGER_CONFIG,
  AMTOOL,
  allRules,
  listFiles,
  matchesGlob,
  PROMETHEUS_CONFIG,
  PROMETHEUS_DIR,
  PROMETHEUS_MOUNT,
  PROMTOOL,
  RULE_TESTS_DIR,
  RULES_DIR,
  readYaml,
  runTool,
  runToolOrThrow,
  withTempDir,
} from './support.ts';

interface ScrapeConfig {
  job_name: string;
  scrape_interval?: string;
  scrape_timeout?: string;
  static_configs: Array<{ targets: string[] }>;
}

interface PrometheusConfig {
  global: { scrape_interval: string; evaluation_interval: string };
  rule_files: string[];
  alerting: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
  scrape_configs: ScrapeConfig[];
}

interface RuleTestFile {
  rule_files: string[];
  tests: Array<{
    name?: string;
    alert_rule_test?: Array<{ alertname: string; eval_time: string; exp_alerts?: unknown[] }>;
  }>;
}

const config = readYaml(PROMETHEUS_CONFIG) as PrometheusConfig;
const ruleFiles = listFiles(RULES_DIR);
const ruleTestFiles = listFiles(RULE_TESTS_DIR, '.test.yml');
const rules = allRules();
const alerts = rules.filter((rule) => rule.alert !== undefined);
/**
 * Alerts that fire all the time by design (kube-prometheus' Watchdog): they have no
 * "not firing" case, and their severity is `none`, which no route pages on.
 */
const ALWAYS_FIRING = new Set(['Watchdog']);

/** The rule_files globs as they resolve when this folder is mounted at /etc/prometheus. */
function rulesGlobsInRepo(): string[] {
  return config.rule_files.map((glob) =>
    glob.startsWith(`${PROMETHEUS_MOUNT}/`)
      ? join(PROMETHEUS_DIR, glob.slice(PROMETHEUS_MOUNT.length + 1))
      : join(PROMETHEUS_DIR, glob),
  );
}

/** A copy of prometheus.yml whose rule_files point at this checkout instead of the mount. */
function renderConfigForRepo(dir: string): string {
  const globs = rulesGlobsInRepo();
  const rendered = config.rule_files.reduce(
    (text, glob, index) => text.replace(glob, globs[index] ?? glob),
    readFileSync(PROMETHEUS_CONFIG, 'utf8'),
  );
  const path = join(dir, 'prometheus.yml');
  writeFileSync(path, rendered);
  return path;
}

describe('prometheus.yml', () => {
  const job = (name: string): ScrapeConfig | undefined =>
    config.scrape_configs.find((scrape) => scrape.job_name === name);

  it('scrapes exactly the backend, cAdvisor, the Postgres exporter and Prometheus itself', () => {
    expect(config.scrape_configs.map((scrape) => scrape.job_name).sort()).toEqual([
      'backend',
      'cadvisor',
      'postgres',
      'prometheus',
    ]);
    expect(job('backend')?.static_configs[0]?.targets).toEqual(['backend:5000']);
    expect(job('cadvisor')?.static_configs[0]?.targets).toEqual(['cadvisor:8080']);
    expect(job('postgres')?.static_configs[0]?.targets).toEqual(['postgres-exporter:9187']);
    expect(job('prometheus')?.static_configs[0]?.targets).toEqual(['localhost:9090']);
  });

  it('scrapes the backend and cAdvisor every 5 s, the rest every 15 s, and evaluates every 5 s', () => {
    expect(config.global.scrape_interval).toBe('15s');
    expect(config.global.evaluation_interval).toBe('5s');
    expect(job('backend')?.scrape_interval).toBe('5s');
    expect(job('cadvisor')?.scrape_interval).toBe('5s');
    expect(job('prometheus')?.scrape_interval).toBeUndefined();
    expect(job('postgres')?.scrape_interval).toBeUndefined();
  });

  it('sends alerts to alertmanager:9093', () => {
    expect(config.alerting.alertmanagers[0]?.static_configs[0]?.targets).toEqual([
      'alertmanager:9093',
    ]);
  });

  it('loads every file in rules/ through its rule_files glob once mounted at /etc/prometheus', () => {
    expect(config.rule_files).toEqual([`${PROMETHEUS_MOUNT}/rules/*.yml`]);
    expect(ruleFiles.length).toBeGreaterThan(0);
    const unloaded = ruleFiles.filter(
      (file) => !rulesGlobsInRepo().some((glob) => matchesGlob(glob, file)),
    );
    // A rules/foo.yaml would be silently ignored by Prometheus: catch it here.
    expect(unloaded.map((file) => basename(file))).toEqual([]);
  });
});

describe('alert rules', () => {
  it('define the alerts the stack relies on', () => {
    expect(alerts.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'BackendDown',
        'BackendHighErrorRatio',
        'BackendHighLatencyP95',
        'ContainerMemoryNearLimit',
        'PrometheusTargetMissing',
        'PostgresDown',
        'PostgresExporterCannotConnect',
        'Watchdog',
      ]),
    );
  });

  it.each(alerts.map((rule) => [rule.alert, rule] as const))(
    '%s has a severity, a summary and a description',
    (name, rule) => {
      const severities = ALWAYS_FIRING.has(name ?? '') ? ['none'] : ['critical', 'warning', 'info'];
      expect(severities).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary?.trim()).toBeTruthy();
      expect(rule.annotations?.description?.trim()).toBeTruthy();
    },
  );

  it('have unique names', () => {
    const names = rules.map((rule) => rule.alert ?? rule.record);
    expect(names.filter((name, index) => names.indexOf(name) !== index)).toEqual([]);
  });

  it('BackendDown fires on up == 0 after a short for (the chaos drill times it)', () => {
    const rule = alerts.find((candidate) => candidate.alert === 'BackendDown');
    expect(rule?.expr.trim()).toBe('up{job="backend"} == 0');
    expect(rule?.for).toBe('10s');
  });

  it('ContainerMemoryNearLimit only divides by real limits (> 0 and not "unlimited")', () => {
    const rule = alerts.find((candidate) => candidate.alert === 'ContainerMemoryNearLimit');
    expect(rule?.expr).toContain('container_memory_working_set_bytes{name!=""}');
    expect(rule?.expr).toMatch(/container_spec_memory_limit_bytes\{name!=""\} > 0\) < 1e18/);
  });

  it('Watchdog always fires (vector(1)), with no for', () => {
    const rule = alerts.find((candidate) => candidate.alert === 'Watchdog');
    expect(rule?.expr.trim()).toBe('vector(1)');
    expect(rule?.for).toBeUndefined();
  });
});

describe('promtool unit tests (structure)', () => {
  const testFiles = ruleTestFiles.map((path) => ({
    path,
    content: readYaml(path) as RuleTestFile,
  }));

  it('every rule file has a test file that loads it', () => {
    const tested = new Set(
      testFiles.flatMap(({ content }) =>
        content.rule_files.map((file) => join(RULE_TESTS_DIR, file)),
      ),
    );
    expect(
      ruleFiles.filter((file) => !tested.has(file)).map((f) => relative(RULES_DIR, f)),
    ).toEqual([]);
    expect(testFiles.every(({ path }) => path.endsWith('.test.yml'))).toBe(true);
  });

  const casesOf = (alertname: string) =>
    testFiles.flatMap(({ content }) =>
      content.tests.flatMap((test) =>
        (test.alert_rule_test ?? []).filter((check) => check.alertname === alertname),
      ),
    );

  it.each(
    alerts.filter((rule) => !ALWAYS_FIRING.has(rule.alert ?? '')).map((rule) => [rule.alert ?? '']),
  )('%s is tested both firing and not firing', (alertname) => {
    const cases = casesOf(alertname);
    expect(cases.some((check) => (check.exp_alerts ?? []).length > 0)).toBe(true);
    expect(cases.some((check) => (check.exp_alerts ?? []).length === 0)).toBe(true);
  });

  it.each([...ALWAYS_FIRING].map((name) => [name]))(
    '%s is tested firing at the first evaluation and still firing a day later',
    (alertname) => {
      const firing = casesOf(alertname).filter((check) => (check.exp_alerts ?? []).length > 0);
      expect(firing.map((check) => check.eval_time).sort()).toEqual(['0s', '24h']);
      expect(casesOf(alertname).every((check) => (check.exp_alerts ?? []).length > 0)).toBe(true);
    },
  );
});

describeWithTools([PROMTOOL], 'promtool', () => {
  it('check config accepts prometheus.yml and finds every rule file', () => {
    withTempDir((dir) => {
      const output = runToolOrThrow(PROMTOOL, ['check', 'config', renderConfigForRepo(dir)]);
      // Without the rendering, the /etc/prometheus glob matches nothing here and
      // check config would still say SUCCESS: count what it loaded.
      expect(output).toContain(`SUCCESS: ${ruleFiles.length} rule files found`);
    });
  });

  it('check rules accepts every rule file', () => {
    const output = runToolOrThrow(PROMTOOL, ['check', 'rules', ...ruleFiles]);
    expect(output.match(/SUCCESS/g)?.length).toBe(ruleFiles.length);
  });

  it.each(ruleTestFiles.map((file) => [basename(file), file]))(
    'test rules passes %s',
    (_name, file) => {
      const output = runToolOrThrow(PROMTOOL, ['test', 'rules', file]);
      expect(output).toContain('SUCCESS');
    },
  );

  it('test rules fails when an expectation is wrong (the runner reports failures)', () => {
    withTempDir((dir) => {
      const broken = join(dir, 'broken.test.yml');
      const original = readFileSync(join(RULE_TESTS_DIR, 'backend.test.yml'), 'utf8');
      writeFileSync(
        broken,
        original
          .replace('../rules/backend.yml', join(RULES_DIR, 'backend.yml'))
          .replace('summary: Backend backend:5000 is down', 'summary: something else'),
      );
      const run = runTool(PROMTOOL, ['test', 'rules', broken]);
      expect(run.status).not.toBe(0);
      expect(run.output).toContain('FAILED');
    });
  });
});

describeWithTools([AMTOOL], 'alertmanager.yml', () => {
  it('amtool check-config accepts it', () => {
    const output = runToolOrThrow(AMTOOL, ['check-config', ALERTMANAGER_CONFIG]);
    expect(output).toContain('SUCCESS');
  });

  it.each([
    // kube-prometheus' Watchdog route: its own receiver, never a person's.
    [{ alertname: 'Watchdog', severity: 'none' }, 'watchdog'],
    [{ alertname: 'BackendDown', severity: 'critical', job: 'backend' }, 'null'],
    [{ alertname: 'BackendHighLatencyP95', severity: 'warning', job: 'backend' }, 'null'],
  ])('routes %o to the %s receiver', (labels, receiver) => {
    const args = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
    const output = runToolOrThrow(AMTOOL, [
      'config',
      'routes',
      'test',
      `--config.file=${ALERTMANAGER_CONFIG}`,
      ...args,
    ]);
    expect(output.trim().split('\n').at(-1)).toBe(receiver);
  });

  it("the commented dead man's switch, Slack and webhook examples are valid once uncommented", () => {
    withTempDir((dir) => {
      const text = readFileSync(ALERTMANAGER_CONFIG, 'utf8');
      const receiversAt = text.indexOf('\nreceivers:');
      expect(receiversAt).toBeGreaterThan(0);
      const uncommented =
        text.slice(0, receiversAt) +
        text.slice(receiversAt).replace(/^ {2}# (?=- name:| {2})/gm, '  ');
      expect(uncommented).toContain('slack_configs:');
      expect(uncommented).toContain('webhook_configs:');
      expect(uncommented).toContain('url_file:');
      const path = join(dir, 'alertmanager.yml');
      writeFileSync(path, uncommented);
      const output = runToolOrThrow(AMTOOL, ['check-config', path]);
      // null, watchdog, dead-mans-switch, slack, webhook
      expect(output).toContain('5 receivers');
    });
  });
});
