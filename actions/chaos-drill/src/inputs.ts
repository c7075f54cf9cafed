import { isAbsolute, resolve } from 'node:path';
import {
  getBoolean,
  getDuration,
  getKeyValues,
  getList,
  getString,
  InputError,
  type InputSource,
  parseDuration,
} from '../../shared/src/inputs.ts';
import type { BoundOverrides } from './experiment.ts';
import type { TargetName } from './probes.ts';
import { defaultProjectName } from './setup.ts';

export interface Inputs {
  /** Absolute. */
  readonly experiment: string;
  readonly composeFiles: readonly string[];
  readonly projectName: string;
  readonly urls: Readonly<Partial<Record<TargetName, string>>>;
  readonly overrides: BoundOverrides;
  /** Absolute. */
  readonly reportsDir: string;
  readonly junit: boolean;
}

const PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

function url(source: InputSource, name: string): string | undefined {
  const value = getString(source, name);
  if (value === '') return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(value))
    throw new InputError(
      name,
      value,
      'an http:// or https:// URL, or empty for the published port',
    );
  return value.replace(/\/+$/, '');
}

function projectName(
  source: InputSource,
  env: NodeJS.ProcessEnv,
  workingDirectory: string,
): string {
  const name = getString(source, 'project-name') || defaultProjectName(env, workingDirectory);
  if (!PROJECT.test(name)) {
    throw new InputError(
      'project-name',
      name,
      'lower-case letters, digits, - and _, starting with a letter or digit',
    );
  }
  return name;
}

/** A bound input (max-time-to-detect, max-time-to-recover): undefined when empty. */
function bound(source: InputSource, name: string): number | undefined {
  return getString(source, name) === ''
    ? undefined
    : getDuration(source, name, { default: 0, min: 1, max: 600_000 });
}

/** bounds: expectation-name=duration lines → ms by name. */
function boundsByName(source: InputSource): Readonly<Record<string, number>> {
  const byName: Record<string, number> = {};
  for (const [key, value] of getKeyValues(source, 'bounds')) {
    const ms = parseDuration(value);
    if (ms === undefined || ms < 1)
      throw new InputError(
        'bounds',
        `${key}=${value}`,
        'expectation-name=duration, e.g. alert-firing=30s',
      );
    byName[key] = ms;
  }
  return Object.freeze(byName);
}

function writerRate(source: InputSource): number | undefined {
  const text = getString(source, 'writer-rate');
  if (text === '') return undefined;
  const rate = Number(text);
  if (!(Number.isFinite(rate) && rate > 0 && rate <= 50))
    throw new InputError('writer-rate', text, 'notes per second, more than 0 and at most 50');
  return rate;
}

function targetUrls(source: InputSource): Readonly<Partial<Record<TargetName, string>>> {
  const urls: Partial<Record<TargetName, string>> = {};
  for (const target of ['prometheus', 'frontend', 'backend'] as const) {
    const value = url(source, `${target}-url`);
    if (value) urls[target] = value;
  }
  return Object.freeze(urls);
}

function overrides(source: InputSource): BoundOverrides {
  const byName = boundsByName(source);
  const rate = writerRate(source);
  const ttd = bound(source, 'max-time-to-detect');
  const ttr = bound(source, 'max-time-to-recover');
  return Object.freeze({
    ...(ttd !== undefined ? { timeToDetectMs: ttd } : {}),
    ...(ttr !== undefined ? { timeToRecoverMs: ttr } : {}),
    ...(rate !== undefined ? { writerRate: rate } : {}),
    byName,
  });
}

export function readInputs(source: InputSource, env: NodeJS.ProcessEnv, workspace: string): Inputs {
  const workingDirectory = resolve(
    workspace,
    getString(source, 'working-directory', { default: '.' }),
  );
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(workingDirectory, p));
  const files = getList(source, 'compose-file').map(abs);
  if (files.length === 0) throw new InputError('compose-file', '', 'at least one compose file');
  const project = projectName(source, env, workingDirectory);
  const bounds = overrides(source);
  return Object.freeze({
    experiment: abs(
      getString(source, 'experiment', { default: 'observability/drills/kill-backend.yml' }),
    ),
    composeFiles: Object.freeze(files),
    projectName: project,
    urls: targetUrls(source),
    overrides: bounds,
    reportsDir: abs(getString(source, 'reports-dir', { default: 'reports/drills' })),
    junit: getBoolean(source, 'junit', true),
  });
}
