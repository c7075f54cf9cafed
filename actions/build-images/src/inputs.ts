import { isAbsolute, resolve } from 'node:path';
import {
  getBoolean,
  getEnum,
  getKeyValues,
  getList,
  getString,
  InputError,
  type InputSource,
} from '../../shared/src/inputs.ts';

export const SHA_TAGS = ['short', 'full', 'none'] as const;
export const CACHE_MODES = ['auto', 'gha', 'none'] as const;

export interface Inputs {
  /** Absolute paths. */
  readonly composeFiles: readonly string[];
  readonly services: readonly string[];
  readonly buildArgs: readonly (readonly [string, string])[];
  readonly imageName: string;
  readonly tag: string;
  readonly shaTag: (typeof SHA_TAGS)[number];
  readonly cache: (typeof CACHE_MODES)[number];
  readonly workingDirectory: string;
  readonly dryRun: boolean;
}

/** What the job provides besides inputs. */
export interface JobContext {
  readonly workspace: string;
  readonly sha: string;
}

// Docker's rule for a tag: up to 128 of [A-Za-z0-9_.-], not starting with . or -.
// Docker's rule for a repository: lower-case path components separated by / . _ -.
const IMAGE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export function readInputs(source: InputSource, context: JobContext): Inputs {
  const workingDirectory = resolve(
    context.workspace,
    getString(source, 'working-directory', { default: '.' }),
  );
  const files = getList(source, 'compose-file');
  if (files.length === 0) throw new InputError('compose-file', '', 'at least one compose file');
  const imageName = getString(source, 'image-name', { default: '{service}-demo' });
  if (!IMAGE.test(imageName.replaceAll('{service}', 'x'))) {
    throw new InputError(
      'image-name',
      imageName,
      'a lower-case image name, optionally with {service}',
    );
  }
  const tag = getString(source, 'tag', { default: 'dev' });
  if (!TAG.test(tag))
    throw new InputError('tag', tag, 'a Docker tag ([A-Za-z0-9_.-], at most 128)');
  const shaTag = getEnum(source, 'sha-tag', SHA_TAGS, 'short');
  if (shaTag !== 'none' && !/^[0-9a-f]{40}$/.test(context.sha)) {
    throw new InputError('sha-tag', shaTag, 'none, because GITHUB_SHA is not a commit sha here');
  }
  return Object.freeze({
    composeFiles: Object.freeze(
      files.map((f) => (isAbsolute(f) ? f : resolve(workingDirectory, f))),
    ),
    services: Object.freeze(getList(source, 'services')),
    buildArgs: Object.freeze(getKeyValues(source, 'build-args')),
    imageName,
    tag,
    shaTag,
    cache: getEnum(source, 'cache', CACHE_MODES, 'auto'),
    workingDirectory,
    dryRun: getBoolean(source, 'dry-run', false),
  });
}
