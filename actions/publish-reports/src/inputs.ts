import { isAbsolute, resolve } from 'node:path';
import {
  getBoolean,
  getEnum,
  getInt,
  getString,
  InputError,
  type InputSource,
} from '../../shared/src/inputs.ts';

export const IF_NO_FILES = ['warn', 'error', 'ignore'] as const;

export interface Inputs {
  readonly name: string;
  /** Absolute directory. */
  readonly path: string;
  readonly retentionDays: number;
  readonly compressionLevel: number;
  readonly ifNoFilesFound: (typeof IF_NO_FILES)[number];
  readonly includeHiddenFiles: boolean;
}

// The artifact service rejects these characters in names (same list as upload-artifact).
const FORBIDDEN = /["':<>|*?\\/\r\n]/;

export function readInputs(source: InputSource, context: { workspace: string }): Inputs {
  const name = getString(source, 'name', { default: 'reports' });
  if (FORBIDDEN.test(name)) {
    throw new InputError(
      'name',
      name,
      'an artifact name without " : < > | * ? \\ / or line breaks',
    );
  }
  const path = getString(source, 'path', { default: 'reports' });
  return Object.freeze({
    name,
    path: isAbsolute(path) ? path : resolve(context.workspace, path),
    retentionDays: getInt(source, 'retention-days', { default: 0, min: 0, max: 90 }),
    compressionLevel: getInt(source, 'compression-level', { default: 6, min: 0, max: 9 }),
    ifNoFilesFound: getEnum(source, 'if-no-files-found', IF_NO_FILES, 'warn'),
    includeHiddenFiles: getBoolean(source, 'include-hidden-files', false),
  });
}
