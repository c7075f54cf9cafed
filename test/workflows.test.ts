/**
 * The workflows in .github/workflows, checked by the real tools (actionlint, zizmor) and
 * by what neither tool knows: our own actions' inputs and outputs, the step ids that
 * conditions read, the pins and the rules we hold every workflow to.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isMap, isScalar, parseDocument, parse as parseYaml } from 'yaml';
import { readActionMetadata } from '../actions/tools/local-runner.ts';
import { remoteActions } from '../scripts/act/local-actions.ts';
import { actionlintPath, zizmorPath } from './support/ci-tools.ts';
import { REPO_ROOT } from './support/docker.ts';
import { describeNeeding, describeWithTools } from './support/tools.ts';

const run = promisify(execFile);
const WORKFLOWS_DIR = join(REPO_ROOT, '.github', 'workflows');
const workflowFiles = readdirSync(WORKFLOWS_DIR)
  .filter((f) => /\.ya?ml$/.test(f))
  .sort();

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  uses?: string;
  'timeout-minutes'?: number;
  permissions?: Record<string, string>;
  steps?: Step[];
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string>;
  concurrency?: { group: string; 'cancel-in-progress': unknown };
  jobs: Record<string, Job>;
}

/** The step column of the "What act does with each step" table in .github/README.md. */
const actSteps = (() => {
  const readme = readFileSync(join(REPO_ROOT, '.github', 'README.md'), 'utf8');
  const table = readme.split('### What act does with each step')[1]?.split('\n\n#')[0] ?? '';
  return [...table.matchAll(/^\| [^|]+ \| `([^`]+)` \|/gm)].map((m) => m[1] as string);
})();

const workflows = workflowFiles.map((file) => ({
  file,
  text: readFileSync(join(WORKFLOWS_DIR, file), 'utf8'),
  data: parseYaml(readFileSync(join(WORKFLOWS_DIR, file), 'utf8')) as Workflow,
}));

/** Every string under a value (with: values, env, if, run...), for the expression scans. */
function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** `steps.<id>` and `steps.<id>.outputs.<name>` read anywhere in a job. */
function stepReferences(job: Job): Array<{ id: string; output?: string; where: string }> {
  const refs: Array<{ id: string; output?: string; where: string }> = [];
  for (const text of strings(job)) {
    for (const m of text.matchAll(/\bsteps\.([A-Za-z_][\w-]*)(?:\.outputs\.([A-Za-z_][\w-]*))?/g)) {
      refs.push({ id: m[1] as string, output: m[2], where: text.trim().slice(0, 120) });
    }
  }
  return refs;
}

const actionlintBin = actionlintPath();
const zizmorBin = zizmorPath();

// The npm WASM build was the fallback once; it is too old for these workflows (it knows
// no `vars` context), so without the real binary the check is skipped, not faked.
describeNeeding(
  actionlintBin
    ? undefined
    : 'actionlint is not built: .ci/install.sh builds it from .ci/go-tools.txt',
  'actionlint',
  () => {
    it(`reports nothing on any workflow (${actionlintBin})`, async () => {
      // Run from the root so it finds .github/ and reads ./actions/*/action.yml.
      const result = await run(actionlintBin as string, ['-no-color'], { cwd: REPO_ROOT }).catch(
        (error: { stdout?: string; stderr?: string; code?: number }) => error,
      );
      expect(`${result.stdout ?? ''}${result.stderr ?? ''}`).toBe('');
    });
  },
);

describe('zizmor', () => {
  describeNeeding(
    zizmorBin
      ? undefined
      : 'zizmor is not installed: bash .github/scripts/install-zizmor.sh (from PyPI)',
    'zizmor audit, offline',
    () => {
      it('finds nothing of medium severity or worse (offline)', async () => {
        const { stdout } = await run(
          zizmorBin as string,
          [
            '--offline',
            '--no-progress',
            '--strict-collection',
            '--min-severity',
            'medium',
            '--format',
            'json',
            '.github/',
          ],
          { cwd: REPO_ROOT },
        ).catch((error: { stdout?: string; stderr?: string; message: string }) => {
          // Findings exit non-zero: the JSON on stdout says which.
          if (error.stdout?.trim().startsWith('[')) return { stdout: error.stdout };
          throw new Error(`zizmor failed: ${error.stderr || error.message}`);
        });
        const findings = (
          JSON.parse(stdout) as Array<{
            ident: string;
            determinations: { severity: string };
            locations: Array<{ symbolic: { key: { Local?: { given_path: string } } } }>;
          }>
        ).map(
          (f) =>
            `${f.determinations.severity} ${f.ident} in ${f.locations[0]?.symbolic.key.Local?.given_path}`,
        );
        expect(findings).toEqual([]);
      });
    },
  );

  it('every rule switched off or ignored has its reason next to it', () => {
    const doc = parseDocument(readFileSync(join(REPO_ROOT, '.github', 'zizmor.yml'), 'utf8'));
    const rules = doc.get('rules');
    expect(isMap(rules)).toBe(true);
    if (!isMap(rules)) return;
    rules.items.forEach((pair, index) => {
      const key = isScalar(pair.key) ? pair.key : undefined;
      // The first entry's comment belongs to the map in the YAML tree.
      const reason = key?.commentBefore ?? (index === 0 ? rules.commentBefore : undefined);
      expect(reason?.trim().length ?? 0, `rule ${String(key?.value)}`).toBeGreaterThan(20);
    });
    for (const w of workflows) {
      for (const line of w.text.split('\n')) {
        const ignore = /#\s*zizmor:\s*ignore\[[^\]]+\](.*)$/.exec(line);
        if (ignore)
          expect(ignore[1]?.trim().length ?? 0, `${w.file}: ${line.trim()}`).toBeGreaterThan(10);
      }
    }
  });
});

describe('.github/README.md', () => {
  it('lists every third-party action with the commit the workflows pin', () => {
    const readme = readFileSync(join(REPO_ROOT, '.github', 'README.md'), 'utf8');
    const rows = readme.split('\n').filter((line) => /^\| [\w.-]+\/[\w./-]+ +\| v\d/.test(line));
    for (const action of remoteActions(workflows.map((w) => w.text))) {
      const row = rows.find((line) => line.startsWith(`| ${action.repository}`));
      expect(row, `${action.key}: no row in the pin table`).toBeDefined();
      expect(row, `${action.key}: the table names another commit`).toContain(`\`${action.ref}\``);
    }
  });
});

describe.each(workflows)('$file', ({ text, data }) => {
  const jobs = Object.entries(data.jobs);

  it('reads only the repository at the top (permissions: contents: read)', () => {
    expect(data.permissions).toEqual({ contents: 'read' });
  });

  it('has a concurrency group; only pull requests cancel runs in progress', () => {
    expect(data.concurrency?.group).toMatch(/\$\{\{/);
    const cancels = data.concurrency?.['cancel-in-progress'] === true;
    expect(cancels).toBe(Object.keys(data.on).includes('pull_request'));
  });

  it('gives every job a timeout (or calls a workflow whose jobs have one)', () => {
    for (const [name, job] of jobs) {
      if (job.uses) continue;
      expect(job['timeout-minutes'], `job ${name}`).toBeGreaterThan(0);
    }
  });

  it('pins third-party actions to a full commit SHA with a # vX.Y.Z comment', () => {
    const uses = [...text.matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)];
    for (const [line, ref, rest] of uses) {
      if (ref?.startsWith('./')) continue;
      expect(ref, line).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/);
      expect(rest, line).toMatch(/^\s+# v\d+\.\d+\.\d+$/);
    }
  });

  it('checks out without persisting the token', () => {
    for (const [, job] of jobs) {
      for (const step of job.steps ?? []) {
        if (step.uses?.startsWith('actions/checkout@'))
          expect(step.with?.['persist-credentials']).toBe(false);
      }
    }
  });

  it('interpolates no expression into a run: script (values go through env:)', () => {
    for (const [name, job] of jobs) {
      for (const step of job.steps ?? []) {
        if (step.run !== undefined)
          expect(step.run, `job ${name}, step ${step.id ?? step.name}`).not.toMatch(/\$\{\{/);
      }
    }
  });

  it('treats act apart only in steps that .github/README.md lists with their reason', () => {
    for (const [, job] of jobs) {
      for (const step of job.steps ?? []) {
        if (!/\benv\.ACT\b/.test(step.if ?? '')) continue;
        const label = step.name ?? step.uses?.replace(/@.*$/, '') ?? '';
        expect(actSteps, `${label}: not in the act table of .github/README.md`).toContain(label);
      }
    }
  });

  describe.each(jobs)('job %s', (_name, job) => {
    const steps = job.steps ?? [];
    const ids = new Map(steps.filter((s) => s.id).map((s) => [s.id as string, s]));

    it('calls only workflows that exist and can be called', () => {
      if (!job.uses) return;
      expect(job.uses).toMatch(/^\.\/\.github\/workflows\/[\w.-]+\.ya?ml$/);
      const called = parseYaml(readFileSync(join(REPO_ROOT, job.uses), 'utf8')) as Workflow;
      expect(Object.keys(called.on)).toContain('workflow_call');
    });

    it('uses our actions as their action.yml declares: existing, known inputs, required ones given', async () => {
      for (const step of steps) {
        const local = /^\.\/actions\/([\w-]+)$/.exec(step.uses ?? '');
        if (!local) continue;
        const dir = join(REPO_ROOT, 'actions', local[1] as string);
        expect(existsSync(join(dir, 'action.yml')), `${step.uses}: no action.yml`).toBe(true);
        const meta = await readActionMetadata(dir);
        const given = Object.keys(step.with ?? {});
        expect(
          given.filter((input) => !(input in meta.inputs)),
          `${step.uses}: inputs it does not declare`,
        ).toEqual([]);
        const missing = Object.entries(meta.inputs)
          .filter(([, spec]) => spec.required && spec.default === undefined)
          .map(([name]) => name)
          .filter((name) => !given.includes(name));
        expect(missing, `${step.uses}: required inputs not given`).toEqual([]);
      }
    });

    it('reads only steps that exist, and only outputs our actions declare', async () => {
      for (const ref of stepReferences(job)) {
        const step = ids.get(ref.id);
        expect(step, `no step has id "${ref.id}" (read in: ${ref.where})`).toBeDefined();
        const local = /^\.\/actions\/([\w-]+)$/.exec(step?.uses ?? '');
        if (!local || !ref.output) continue;
        const meta = await readActionMetadata(join(REPO_ROOT, 'actions', local[1] as string));
        expect(
          Object.keys(meta.outputs),
          `${step?.uses} has no output "${ref.output}" (read in: ${ref.where})`,
        ).toContain(ref.output);
      }
    });

    it('reads a run step output only if its script writes it', () => {
      for (const ref of stepReferences(job)) {
        const step = ids.get(ref.id);
        if (!step?.run || !ref.output) continue;
        const script = /^bash (\.github\/scripts\/[\w.-]+\.sh)/.exec(step.run.trim());
        const source = script
          ? readFileSync(join(REPO_ROOT, script[1] as string), 'utf8')
          : step.run;
        expect(source, `step ${ref.id} never writes output ${ref.output}`).toMatch(
          new RegExp(`\\b${ref.output}(=|<<)`),
        );
      }
    });
  });
});

describeWithTools(['bash', 'curl', 'jq'], '.github/scripts/smoke.sh', () => {
  let server: Server;
  let base = '';
  let targets: Array<{ labels: { job: string }; health: string }> = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (req.url === '/healthz') return json(200, { status: 'ok' });
      if (req.url === '/api/status') return json(200, { backend: 'up' });
      if (req.url?.startsWith('/api/v1/targets'))
        return json(200, { status: 'success', data: { activeTargets: targets } });
      return json(404, { error: 'not found' });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const smoke = (timeoutSeconds: number) =>
    run('bash', ['.github/scripts/smoke.sh', base, base, base, String(timeoutSeconds)], {
      cwd: REPO_ROOT,
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code: number; stdout: string }) => ({ code: error.code, stdout: error.stdout }),
    );

  it('passes when both endpoints answer 200 and every target is up', async () => {
    targets = [
      { labels: { job: 'backend' }, health: 'up' },
      { labels: { job: 'cadvisor' }, health: 'up' },
    ];
    const result = await smoke(5);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Prometheus targets up: backend=up cadvisor=up');
  });

  it('fails with an error annotation naming the targets when one stays down', async () => {
    targets = [
      { labels: { job: 'backend' }, health: 'down' },
      { labels: { job: 'cadvisor' }, health: 'up' },
    ];
    const result = await smoke(1);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/::error::Prometheus targets not all up .*backend=down/);
  });

  it('fails when Prometheus has no active target at all', async () => {
    targets = [];
    expect((await smoke(1)).code).toBe(1);
  });
});
