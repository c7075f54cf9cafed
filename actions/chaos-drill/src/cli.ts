/**
 * npm run drill -- <experiment.yml> [--validate] [--prometheus URL] [--frontend URL]
 *   [--backend URL] [--project NAME] [--compose-file FILE]... [--max-time-to-detect D]
 *   [--max-time-to-recover D] [--bound NAME=D]... [--reports-dir DIR] [--no-junit] [--help]
 * Runs a drill against a stack started with `docker compose up` and prints the timeline as
 * it happens. A URL given as `compose` is asked of Compose at each use (a published port 0
 * moves when the container restarts). --validate only reads and checks the experiment (and
 * the bound overrides), with no stack. Exit code: 0 passed (or valid), 1 failed, 2 bad usage
 * or input, 3 aborted, 128 + the signal's number when SIGINT/SIGTERM stopped it (after the
 * recovery).
 */

import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../../shared/src/clock.ts';
import { errorMessage } from '../../shared/src/errors.ts';
import { createExec } from '../../shared/src/exec.ts';
import { parseDuration } from '../../shared/src/inputs.ts';
import { toChaosToolkit } from './chaostoolkit.ts';
import { runDrill } from './drill.ts';
import type { Journal } from './journal.ts';
import { migrateJournal } from './journal-migrate.ts';
import { type MarkerStore, recoverLeftovers } from './markers.ts';
import { runFolder, writeDrillFiles } from './output.ts';
import { figuresTable, markdownReport, postmortem } from './report.ts';
import {
  abortOnSignals,
  type DrillSettings,
  defaultProjectName,
  loadExperiment,
  prepareDeps,
  prepareDrill,
  type Runtime,
} from './setup.ts';
import { suiteFiles, suiteReport } from './suite.ts';

export interface CliOptions extends DrillSettings {
  readonly reportsDir: string;
  readonly junit: boolean;
  /** Only read and check the experiment and the overrides; touch no stack. */
  readonly validateOnly: boolean;
  /** What to do: one drill, the suite of a folder (experimentFile is the folder), undo left faults, or render a journal. */
  readonly mode: 'drill' | 'suite' | 'recover' | 'render';
  /** --render: the journal.json to render the reports of. */
  readonly journalFile?: string;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

export const USAGE =
  'usage: npm run drill -- <experiment.yml> | --suite <dir> | --recover | --render <journal.json> [--validate] [--prometheus URL] [--frontend URL] [--backend URL] [--project NAME] [--compose-file FILE]... [--max-time-to-detect D] [--max-time-to-recover D] [--bound NAME=D]... [--reports-dir DIR] [--no-junit] [--help]';

export const HELP = `Runs a chaos experiment against a running Compose stack: checks the steady state, injects
the fault, measures detection and recovery from Prometheus, always recovers, and writes a
journal, a report, a post-mortem draft and JUnit XML.

${USAGE}

  <experiment.yml>          the experiment, e.g. observability/drills/kill-backend.yml
  --suite DIR               every experiment of DIR, one after another on one stack, and
                            one suite report (suite.md, suite.json) of faults × expectations
  --recover                 undo the faults a crashed drill left on the project (its markers
                            under <reports-dir>/.in-flight), then exit
  --render JOURNAL          write report.md, postmortem.md and chaostoolkit-journal.json
                            again from a journal.json (any schema version), next to it
  --validate                read and check the experiment (and the bounds below), then exit:
                            0 valid, 2 with the problems; no stack is needed or touched
  --prometheus URL          Prometheus (default http://localhost:9090)
  --frontend URL            the frontend, {frontend} in the experiment (default :8080)
  --backend URL             the backend, {backend} in the experiment (default :5000)
                            any of the three as "compose": asked of Compose at each use
  --project NAME            Compose project (default COMPOSE_PROJECT_NAME, else Compose's)
  --compose-file FILE       the stack's Compose file, repeatable (default docker-compose.yml)
  --max-time-to-detect D    bound of every target-down expectation, e.g. 7s
  --max-time-to-recover D   bound of the recovery, e.g. 15s
  --bound NAME=D            bound of one expectation, repeatable, e.g. alert-firing=30s
  --reports-dir DIR         where each run's folder goes (default reports/drills)
  --no-junit                no junit.xml
  --help, -h                this text

Exit code: 0 passed (or valid), 1 failed, 2 bad usage or input, 3 aborted,
130/143 stopped by SIGINT/SIGTERM (after the recovery).`;

/** True when the user asked for help: it wins over every other argument. */
export function wantsHelp(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

type UrlName = 'prometheus' | 'frontend' | 'backend';

/** What the arguments said so far; parseCliArgs turns it into the frozen options. */
interface ParsedArgs {
  experiment?: string;
  readonly urls: Partial<Record<UrlName, string>>;
  readonly files: string[];
  project?: string;
  reportsDir: string;
  junit: boolean;
  validateOnly: boolean;
  mode: CliOptions['mode'];
  journalFile?: string;
  readonly byName: Record<string, number>;
  ttd?: number;
  ttr?: number;
}

/** One option: whether it takes a value (the next argument) and what it does to the parse. */
interface Flag {
  readonly takesValue: boolean;
  readonly apply: (args: ParsedArgs, value: string, flag: string) => void;
}

function cliDuration(text: string, flag: string): number {
  const ms = parseDuration(text);
  if (ms === undefined || ms < 1)
    throw new UsageError(`${flag} "${text}": expected a duration such as 7s or 500ms`);
  return ms;
}

function setUrl(args: ParsedArgs, value: string, flag: string): void {
  const target = flag.slice(2) as UrlName;
  if (value === 'compose') delete args.urls[target];
  else if (/^https?:\/\/[^\s/]+/.test(value)) args.urls[target] = value;
  else throw new UsageError(`${flag} "${value}": expected an http:// or https:// URL, or compose`);
}

function setBound(args: ParsedArgs, value: string, flag: string): void {
  const eq = value.indexOf('=');
  if (eq <= 0)
    throw new UsageError(`--bound "${value}": expected NAME=DURATION, e.g. alert-firing=30s`);
  args.byName[value.slice(0, eq)] = cliDuration(value.slice(eq + 1), flag);
}

const withValue = (apply: Flag['apply']): Flag => ({ takesValue: true, apply });
const switchFlag = (apply: (args: ParsedArgs) => void): Flag => ({ takesValue: false, apply });

const FLAGS: Readonly<Record<string, Flag>> = {
  '--prometheus': withValue(setUrl),
  '--frontend': withValue(setUrl),
  '--backend': withValue(setUrl),
  '--project': withValue((a, v) => {
    a.project = v;
  }),
  '--compose-file': withValue((a, v) => {
    a.files.push(v);
  }),
  '--reports-dir': withValue((a, v) => {
    a.reportsDir = v;
  }),
  '--max-time-to-detect': withValue((a, v, flag) => {
    a.ttd = cliDuration(v, flag);
  }),
  '--max-time-to-recover': withValue((a, v, flag) => {
    a.ttr = cliDuration(v, flag);
  }),
  '--bound': withValue(setBound),
  '--no-junit': switchFlag((a) => {
    a.junit = false;
  }),
  '--validate': switchFlag((a) => {
    a.validateOnly = true;
  }),
  '--suite': withValue((a, v) => {
    a.mode = 'suite';
    a.experiment = v;
  }),
  '--recover': switchFlag((a) => {
    a.mode = 'recover';
  }),
  '--render': withValue((a, v) => {
    a.mode = 'render';
    a.journalFile = v;
  }),
};

/** The value after a flag: the next argument, unless it is missing or another option. */
function flagValue(argv: readonly string[], i: number, flag: string): string {
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) throw new UsageError(`${flag} needs a value`);
  return v;
}

function setExperiment(args: ParsedArgs, arg: string): void {
  if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
  if (args.experiment !== undefined) throw new UsageError(`unexpected argument ${arg}`);
  args.experiment = arg;
}

/** argv → what it says, option by option, in order. Pure. */
function scanArgs(argv: readonly string[]): ParsedArgs {
  const args: ParsedArgs = {
    urls: {
      prometheus: 'http://localhost:9090',
      frontend: 'http://localhost:8080',
      backend: 'http://localhost:5000',
    },
    files: [],
    reportsDir: 'reports/drills',
    junit: true,
    validateOnly: false,
    mode: 'drill',
    byName: {},
  };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] as string;
    const flag = FLAGS[arg];
    if (!flag) setExperiment(args, arg);
    else if (flag.takesValue) flag.apply(args, flagValue(argv, i++, arg), arg);
    else flag.apply(args, '', arg);
  }
  return args;
}

/** argv → settings; defaults are the README's stack on localhost. Pure. */
export function parseCliArgs(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): CliOptions {
  const args = scanArgs(argv);
  if (!args.experiment && args.mode === 'drill')
    throw new UsageError('which experiment? e.g. observability/drills/kill-backend.yml');
  const composeFiles = (args.files.length > 0 ? args.files : ['docker-compose.yml']).map((f) =>
    resolve(cwd, f),
  );
  return {
    experimentFile: resolve(cwd, args.experiment ?? '.'),
    mode: args.mode,
    ...(args.journalFile !== undefined ? { journalFile: resolve(cwd, args.journalFile) } : {}),
    stateDir: join(resolve(cwd, args.reportsDir), '.in-flight'),
    composeFiles,
    projectName:
      args.project ??
      defaultProjectName({ ...env, GITHUB_ACTIONS: '' }, resolve(composeFiles[0] as string, '..')),
    urls: args.urls,
    overrides: {
      ...(args.ttd !== undefined ? { timeToDetectMs: args.ttd } : {}),
      ...(args.ttr !== undefined ? { timeToRecoverMs: args.ttr } : {}),
      byName: args.byName,
    },
    reportsDir: resolve(cwd, args.reportsDir),
    junit: args.junit,
    validateOnly: args.validateOnly,
  };
}

export function exitCode(journal: Journal): number {
  return journal.verdict === 'passed' ? 0 : journal.verdict === 'failed' ? 1 : 3;
}

/** The shell's convention for a process stopped by a signal: 130 for SIGINT, 143 for SIGTERM. */
function interruptedCode(signal: unknown): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? constants.signals.SIGINT);
}

/** The CLI: returns the exit code; prints the live timeline, the figures and the file paths. */
export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  cwd = process.cwd(),
): Promise<number> {
  if (wantsHelp(argv)) {
    console.log(HELP);
    return 0;
  }
  let options: CliOptions;
  try {
    options = parseCliArgs(argv, env, cwd);
  } catch (error) {
    console.error(`error: ${errorMessage(error)}\n${USAGE}`);
    return 2;
  }
  if (options.validateOnly) return validate(options);
  if (options.mode === 'render') return render(options.journalFile as string);
  const controller = new AbortController();
  const print = (line: string) => console.log(line);
  const release = abortOnSignals(controller, print);
  const runtime = { exec: createExec(), clock: systemClock, log: print, signal: controller.signal };
  try {
    if (options.mode === 'recover') return await recover(options, runtime, print);
    if (options.mode === 'suite') return await suite(options, runtime, print, controller.signal);
    const { experiment, deps } = await prepareDrill(options, runtime);
    print(
      `chaos drill ${experiment.name}: project ${options.projectName}, Prometheus ${await deps.targets('prometheus')}`,
    );
    const journal = await runDrill(experiment, deps);
    const files = await writeDrillFiles(options.reportsDir, journal, { junit: options.junit });
    print(`\n${figuresTable(journal)}\n`);
    for (const x of journal.expectations)
      print(`${x.passed ? 'ok  ' : 'FAIL'} ${x.name}: ${x.detail}`);
    print(`\n${journal.verdict.toUpperCase()}${journal.reason ? `: ${journal.reason}` : ''}`);
    print(
      `journal    ${files.journal}\nreport     ${files.report}\npostmortem ${files.postmortem}${files.junit ? `\njunit      ${files.junit}` : ''}`,
    );
    return controller.signal.aborted
      ? interruptedCode(controller.signal.reason)
      : exitCode(journal);
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    return 2;
  } finally {
    release();
  }
}

/** --recover: undoes what crashed drills left on the project; 0 when nothing is left. */
async function recover(
  options: CliOptions,
  runtime: Runtime,
  print: (line: string) => void,
): Promise<number> {
  const deps = await prepareDeps(options, runtime);
  const done = await recoverLeftovers(deps.markers as MarkerStore, options.projectName, {
    control: deps.control,
    docker: deps.docker,
    clock: deps.clock,
    toxiproxy: deps.toxiproxy as NonNullable<typeof deps.toxiproxy>,
  });
  print(done.length === 0 ? `nothing to undo on project ${options.projectName}` : done.join('\n'));
  return 0;
}

/** --suite DIR: each experiment in turn, then suite.md and suite.json; exit 0 when all passed. */
async function suite(
  options: CliOptions,
  runtime: Runtime,
  print: (line: string) => void,
  signal: AbortSignal,
): Promise<number> {
  const files = await suiteFiles(options.experimentFile);
  const journals: Journal[] = [];
  const folders: string[] = [];
  for (const file of files) {
    if (signal.aborted) break;
    const { experiment, deps } = await prepareDrill({ ...options, experimentFile: file }, runtime);
    print(`\n=== ${experiment.name} (${journals.length + 1} of ${files.length})`);
    const journal = await runDrill(experiment, deps);
    const written = await writeDrillFiles(options.reportsDir, journal, { junit: options.junit });
    journals.push(journal);
    folders.push(runFolder(journal));
    print(
      `${journal.verdict.toUpperCase()} ${experiment.name}, score ${journal.score.percent ?? '—'} %: ${written.report}`,
    );
  }
  const report = suiteReport(journals, folders);
  const dir = resolve(options.reportsDir);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'suite.md'), report);
  await writeFile(
    join(dir, 'suite.json'),
    `${JSON.stringify({ runs: folders, verdicts: journals.map((j) => j.verdict) }, null, 2)}\n`,
  );
  print(`\n${report}\nsuite      ${join(dir, 'suite.md')}`);
  if (signal.aborted) return interruptedCode(signal.reason);
  return journals.every((j) => j.verdict === 'passed') ? 0 : 1;
}

/** --render JOURNAL: the reports again from a journal of any version, next to it. */
async function render(file: string): Promise<number> {
  try {
    const journal = migrateJournal(JSON.parse(await readFile(file, 'utf8')));
    const dir = dirname(file);
    await writeFile(join(dir, 'report.md'), markdownReport(journal));
    await writeFile(join(dir, 'postmortem.md'), postmortem(journal));
    await writeFile(
      join(dir, 'chaostoolkit-journal.json'),
      `${JSON.stringify(toChaosToolkit(journal), null, 2)}\n`,
    );
    console.log(`rendered ${join(dir, 'report.md')}, postmortem.md and chaostoolkit-journal.json`);
    return 0;
  } catch (error) {
    console.error(`error: --render ${file}: ${errorMessage(error)}`);
    return 2;
  }
}

/** --validate: 0 and a summary when the experiment (with the overrides) is valid, else 2. */
async function validate(options: CliOptions): Promise<number> {
  try {
    const e = await loadExperiment(options.experimentFile, options.overrides);
    console.log(
      `valid: ${options.experimentFile}: ${e.name}, ${e.fault.action} ${e.fault.service}, ` +
        `${e.expectations.length} expectations (${e.expectations.map((x) => x.name).join(', ')}), ` +
        `recovery ${e.recovery.action}`,
    );
    return 0;
  } catch (error) {
    console.error(`error: ${errorMessage(error)}`);
    return 2;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
