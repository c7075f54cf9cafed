import { isAbsolute, resolve } from 'node:path';
import {
  getBoolean,
  getDuration,
  getInt,
  getList,
  getString,
  InputError,
  type InputSource,
} from '../../shared/src/inputs.ts';

export interface Inputs {
  /** Absolute paths. */
  readonly composeFiles: readonly string[];
  readonly projectName: string;
  readonly profiles: readonly string[];
  readonly services: readonly string[];
  readonly envFile?: string;
  readonly build: boolean;
  readonly timeoutMs: number;
  readonly prometheusUrl?: string;
  readonly waitForTargets: boolean;
  readonly logLines: number;
  /** Absolute. */
  readonly reportsDir: string;
  readonly workingDirectory: string;
}

export interface JobContext {
  readonly workspace: string;
  readonly runId: string;
  readonly runAttempt: string;
}

// Compose v2's rule: lower-case letters, digits, dashes and underscores, starting with a letter or digit.
const PROJECT = /^[a-z0-9][a-z0-9_-]*$/;

export function readInputs(source: InputSource, context: JobContext): Inputs {
  const workingDirectory = resolve(
    context.workspace,
    getString(source, 'working-directory', { default: '.' }),
  );
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(workingDirectory, p));
  const files = getList(source, 'compose-file');
  if (files.length === 0) throw new InputError('compose-file', '', 'at least one compose file');
  const projectName = getString(source, 'project-name', {
    default: `stack-${context.runId || 'local'}-${context.runAttempt || '1'}`,
  });
  if (!PROJECT.test(projectName)) {
    throw new InputError(
      'project-name',
      projectName,
      'lower-case letters, digits, - and _, starting with a letter or digit',
    );
  }
  const prometheusUrl = getString(source, 'prometheus-url');
  if (prometheusUrl && !/^https?:\/\/[^\s/]+/.test(prometheusUrl)) {
    throw new InputError('prometheus-url', prometheusUrl, 'an http:// or https:// URL');
  }
  const waitForTargets = getBoolean(source, 'wait-for-targets', false);
  if (waitForTargets && !prometheusUrl) {
    throw new InputError('wait-for-targets', 'true', 'prometheus-url to be set as well');
  }
  const envFile = getString(source, 'env-file');
  return Object.freeze({
    composeFiles: Object.freeze(files.map(abs)),
    projectName,
    profiles: Object.freeze(getList(source, 'profiles')),
    services: Object.freeze(getList(source, 'services')),
    ...(envFile ? { envFile: abs(envFile) } : {}),
    build: getBoolean(source, 'build', false),
    timeoutMs: getDuration(source, 'timeout', { default: 180_000, min: 1000, max: 6 * 3_600_000 }),
    ...(prometheusUrl ? { prometheusUrl: prometheusUrl.replace(/\/+$/, '') } : {}),
    waitForTargets,
    logLines: getInt(source, 'log-lines', { default: 20, min: 0, max: 10_000 }),
    reportsDir: abs(getString(source, 'reports-dir', { default: 'reports' })),
    workingDirectory,
  });
}
