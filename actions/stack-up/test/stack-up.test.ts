import { describe, expect, test } from 'vitest';
import type { Compose } from '../../shared/src/compose.ts';
import type { ContainerStatus } from '../../shared/src/docker.ts';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { recordingLog } from '../../shared/src/log.ts';
import type { ReportWriter } from '../../shared/src/reports.ts';
import { actionDefaults, fakeClock } from '../../shared/test/helpers.ts';
import { readInputs } from '../src/inputs.ts';
import { readStackState, saveStackState } from '../src/state.ts';
import { collectAndTearDown, logFileName } from '../src/teardown.ts';
import { notReadyMessage, readiness, waitForServices } from '../src/wait.ts';

const c = (service: string, state: string, health?: string, exitCode = 0): ContainerStatus => ({
  id: service,
  name: `p-${service}-1`,
  service,
  state,
  health,
  exitCode,
});

describe('inputs', () => {
  const context = { workspace: '/w', runId: '42', runAttempt: '2' };
  const read = async (values: Record<string, string> = {}) =>
    readInputs(objectInputSource({ ...(await actionDefaults('stack-up')), ...values }), context);
  test('action.yml defaults', async () => {
    expect(await read()).toEqual({
      composeFiles: ['/w/docker-compose.yml'],
      projectName: 'stack-42-2',
      profiles: [],
      services: [],
      build: false,
      timeoutMs: 180_000,
      waitForTargets: false,
      logLines: 20,
      reportsDir: '/w/reports',
      workingDirectory: '/w',
    });
  });
  test('values', async () => {
    expect(
      await read({
        'compose-file': 'a.yml,b.yml',
        'project-name': 'ci_1',
        profiles: 'observability',
        services: 'backend',
        'env-file': '.env.ci',
        timeout: '90s',
        'prometheus-url': 'http://127.0.0.1:9090/',
        'wait-for-targets': 'true',
      }),
    ).toMatchObject({
      composeFiles: ['/w/a.yml', '/w/b.yml'],
      projectName: 'ci_1',
      profiles: ['observability'],
      services: ['backend'],
      envFile: '/w/.env.ci',
      timeoutMs: 90_000,
      prometheusUrl: 'http://127.0.0.1:9090',
      waitForTargets: true,
    });
  });
  test.each([
    ['compose-file', ' ', 'Input "compose-file" has value "": expected at least one compose file'],
    [
      'project-name',
      'My Stack',
      'Input "project-name" has value "My Stack": expected lower-case letters, digits, - and _',
    ],
    [
      'timeout',
      'forever',
      'Input "timeout" has value "forever": expected a duration such as 90s, 5m, 1h30m',
    ],
    [
      'timeout',
      '100ms',
      'Input "timeout" has value "100ms": expected a duration such as 90s, 5m, 1h30m or a number of seconds, at least 1s',
    ],
    [
      'prometheus-url',
      'prometheus:9090',
      'Input "prometheus-url" has value "prometheus:9090": expected an http:// or https:// URL',
    ],
    [
      'wait-for-targets',
      'true',
      'Input "wait-for-targets" has value "true": expected prometheus-url to be set as well',
    ],
    [
      'wait-for-targets',
      'maybe',
      'Input "wait-for-targets" has value "maybe": expected true or false',
    ],
    ['build', '1', 'Input "build" has value "1": expected true or false'],
    [
      'log-lines',
      '-1',
      'Input "log-lines" has value "-1": expected a whole number from 0 to 10000',
    ],
  ])('%s=%j fails: %s', async (name, value, message) => {
    await expect(read({ [name]: value })).rejects.toThrow(message);
  });
});

describe('waiting for services', () => {
  test.each([
    [[], false],
    [[c('web', 'running', 'healthy'), c('worker', 'running')], true],
    [[c('web', 'running', 'starting'), c('worker', 'running')], false],
    [[c('migrate', 'exited', undefined, 0), c('web', 'running', 'healthy')], true],
  ])('readiness(%j).ready = %s', (statuses, ready) => {
    expect(readiness(statuses).ready).toBe(ready);
  });

  test('polls until healthy', async () => {
    const clock = fakeClock();
    const answers = [
      [c('web', 'running', 'starting')],
      [c('web', 'running', 'starting')],
      [c('web', 'running', 'healthy')],
    ];
    const result = await waitForServices({
      list: async () => answers.shift() ?? [],
      clock,
      deadline: clock.now() + 10_000,
      intervalMs: 1000,
    });
    expect(result.ready).toBe(true);
    expect(clock.slept).toEqual([1000, 1000]);
  });
  test('gives up at the deadline with what is pending', async () => {
    const clock = fakeClock();
    const result = await waitForServices({
      list: async () => [c('web', 'running', 'starting'), c('worker', 'running')],
      clock,
      deadline: clock.now() + 3000,
      intervalMs: 1000,
    });
    expect(result.ready).toBe(false);
    expect(result.pending.map((s) => s.service)).toEqual(['web']);
    expect(clock.slept).toEqual([1000, 1000, 1000]);
  });
  test.each([
    [c('web', 'running', 'unhealthy')],
    [c('web', 'exited', undefined, 1)],
    [c('web', 'dead')],
  ])('stops early on %j: it will not recover', async (status) => {
    const clock = fakeClock();
    const result = await waitForServices({
      list: async () => [status],
      clock,
      deadline: clock.now() + 60_000,
    });
    expect(result.ready).toBe(false);
    expect(clock.slept).toEqual([]);
  });
  test('the failure message names the services, their state and their last log lines', () => {
    expect(
      notReadyMessage(90_000, [c('web', 'running', 'unhealthy'), c('db', 'exited', undefined, 1)], {
        web: 'web-1 | listening\nweb-1 | crash\n',
      }),
    ).toBe(
      [
        'Services not ready within 90s: web (running (unhealthy)), db (exited (exit code 1))',
        '--- web: last log lines ---',
        'web-1 | listening\nweb-1 | crash',
        '--- db: last log lines ---',
        '(no log output)',
      ].join('\n'),
    );
  });
});

describe('state', () => {
  test('round trip, and post finds nothing when main saved nothing', () => {
    const saved = new Map<string, string>();
    const store = {
      save: (k: string, v: string) => saved.set(k, v),
      get: (k: string) => saved.get(k) ?? '',
    };
    expect(readStackState(store)).toBeUndefined();
    const state = {
      projectName: 'p',
      files: ['/w/c.yml'],
      projectDirectory: '/w',
      profiles: [],
      reportsDir: '/w/reports',
    };
    saveStackState(store, state);
    expect(readStackState(store)).toEqual(state);
    saved.set('stack', '{"projectName":1}');
    expect(() => readStackState(store)).toThrow('State "stack" does not describe a stack');
  });
});

describe('post: collect and tear down', () => {
  function fakes(fail: Partial<Record<'ps' | 'logs' | 'down' | 'targets', boolean>>) {
    const written = new Map<string, string>();
    const calls: string[] = [];
    const reports: ReportWriter = {
      dir: '/r',
      write: async (path, content) => {
        written.set(path, String(content));
        return `/r/${path}`;
      },
      writeJson: async (path, value) => {
        written.set(path, JSON.stringify(value));
        return `/r/${path}`;
      },
    };
    const boom = (what: string) => {
      throw new Error(`${what} broke`);
    };
    const compose = {
      ps: async () => {
        calls.push('ps');
        return fail.ps ? boom('ps') : 'NAME STATE';
      },
      containers: async () => [c('web', 'running'), c('worker', 'running'), c('web', 'exited')],
      logs: async ({ services }: { services: string[] }) => {
        calls.push(`logs ${services}`);
        return fail.logs && services[0] === 'web' ? boom('logs') : `${services} log`;
      },
      down: async () => {
        calls.push('down');
        return fail.down
          ? { exitCode: 1, stdout: '', stderr: 'network in use' }
          : { exitCode: 0, stdout: '', stderr: '' };
      },
    } as unknown as Compose;
    const prometheus = {
      targetsJson: async () => (fail.targets ? boom('prometheus') : { activeTargets: [] }),
    } as never;
    return { written, calls, reports, compose, prometheus };
  }

  test('saves ps, one log per service with containers, the targets, then tears down', async () => {
    const f = fakes({});
    const log = recordingLog();
    const result = await collectAndTearDown({
      compose: f.compose,
      reports: f.reports,
      prometheus: f.prometheus,
      log,
    });
    expect([...f.written.keys()]).toEqual([
      'ps.txt',
      'logs/web.log',
      'logs/worker.log',
      'prometheus-targets.json',
    ]);
    expect(f.calls).toEqual(['ps', 'logs web', 'logs worker', 'down']);
    expect(result.problems).toEqual([]);
    expect(log.warnings).toEqual([]);
  });

  test('every failure is a warning and `down` still runs', async () => {
    const f = fakes({ ps: true, logs: true, targets: true, down: true });
    const log = recordingLog();
    const result = await collectAndTearDown({
      compose: f.compose,
      reports: f.reports,
      prometheus: f.prometheus,
      log,
    });
    expect(f.calls.at(-1)).toBe('down');
    expect([...f.written.keys()]).toEqual(['logs/worker.log']);
    expect(log.warnings).toEqual([
      'stack-up post: could not save `ps`: ps broke',
      'stack-up post: could not save the logs of web: logs broke',
      'stack-up post: could not save the Prometheus targets: prometheus broke',
      'stack-up post: could not tear the stack down: compose down exited 1: network in use',
    ]);
    expect(result.problems).toHaveLength(4);
  });

  test.each([
    ['web', 'web.log'],
    ['a/b c', 'a_b_c.log'],
  ])('log file for %j is %j', (service, file) => {
    expect(logFileName(service)).toBe(file);
  });
});
