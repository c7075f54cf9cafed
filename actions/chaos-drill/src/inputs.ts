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

export function readInputs(source: InputSource, env: NodeJS.ProcessEnv, workspace: string): Inputs {
  const workingDirectory = resolve(
    workspace,
    getString(source, 'working-directory', { default: '.' }),
  );
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(workingDirectory, p));
  const files = getList(source, 'compose-file').map(abs);
  if (files.length === 0) throw new InputError('compose-file', '', 'at least one compose file');
  const projectName =
    getString(source, 'project-name') || defaultProjectName(env, workingDirectory);
  if (!PROJECT.test(projectName)) {
    throw new InputError(
      'project-name',
      projectName,
      'lower-case letters, digits, - and _, starting with a letter or digit',
    );
  }
  const bound = (name: string) => {
    const value = getString(source, name);
    return value === ''
      ? undefined
      : getDuration(source, name, { default: 0, min: 1, max: 600_000 });
  };
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
  const rateText = getString(source, 'writer-rate');
  const writerRate = rateText === '' ? undefined : Number(rateText);
  if (
    writerRate !== undefined &&
    !(Number.isFinite(writerRate) && writerRate > 0 && writerRate <= 50)
  )
    throw new InputError('writer-rate', rateText, 'notes per second, more than 0 and at most 50');
  const ttd = bound('max-time-to-detect');
  const ttr = bound('max-time-to-recover');
  const urls: Partial<Record<TargetName, string>> = {};
  for (const target of ['prometheus', 'frontend', 'backend'] as const) {
    const value = url(source, `${target}-url`);
    if (value) urls[target] = value;
  }
  return Object.freeze({
    experiment: abs(
      getString(source, 'experiment', { default: 'observability/drills/kill-backend.yml' }),
    ),
    composeFiles: Object.freeze(files),
    projectName,
    urls: Object.freeze(urls),
    overrides: Object.freeze({
      ...(ttd !== undefined ? { timeToDetectMs: ttd } : {}),
      ...(ttr !== undefined ? { timeToRecoverMs: ttr } : {}),
      ...(writerRate !== undefined ? { writerRate } : {}),
      byName: Object.freeze(byName),
    }),
    reportsDir: abs(getString(source, 'reports-dir', { default: 'reports/drills' })),
    junit: getBoolean(source, 'junit', true),
  });
}
