import { z } from 'zod';
import {
  getBoolean,
  getList,
  getString,
  InputError,
  type InputSource,
} from '../../shared/src/inputs.ts';

/** One built image, as build-images' `images` output describes it. */
export interface BuiltImage {
  readonly service: string;
  /** sha256:…, the image the build made (and the scan and the stack used). */
  readonly id: string;
}

export interface Inputs {
  readonly images: readonly BuiltImage[];
  /** host[:port] */
  readonly registry: string;
  /** owner/repo */
  readonly repository: string;
  /** .github/workflows/<file>, for a runner without GITHUB_WORKFLOW_REF; '' when not given. */
  readonly workflow: string;
  readonly dryRun: boolean;
}

/** What the job provides besides inputs. */
export interface JobContext {
  /** GITHUB_REPOSITORY */
  readonly repository: string;
}

// build-images' output: {"backend":{"image":"backend-demo","tags":[…],"id":"sha256:…","size":1}}
const IMAGES = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/),
  z.object({ id: z.string().regex(/^sha256:[0-9a-f]{64}$/) }).passthrough(),
);
// A registry host: a DNS name or an IP, with an optional port (ghcr.io, 127.0.0.1:5000).
const REGISTRY = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;
const REPOSITORY = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;

function shortValue(value: string): string {
  return value.length > 60 ? `${value.slice(0, 60)}…` : value;
}

function readImages(source: InputSource): BuiltImage[] {
  const raw = getString(source, 'images', { required: true });
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    throw new InputError('images', shortValue(raw), "JSON, build-images' images output");
  }
  const parsed = IMAGES.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.join('.') || '(top)';
    throw new InputError(
      'images',
      shortValue(raw),
      `a map of service to {"id":"sha256:<64 hex>",…} (at ${where}: ${issue?.message})`,
    );
  }
  const images = Object.entries(parsed.data).map(([service, { id }]) => ({ service, id }));
  if (images.length === 0) throw new InputError('images', raw, 'at least one image');
  return images;
}

export function readInputs(source: InputSource, context: JobContext): Inputs {
  const all = readImages(source);
  const services = getList(source, 'services');
  const unknown = services.filter((s) => !all.some((i) => i.service === s));
  if (unknown.length > 0) {
    throw new InputError(
      'services',
      services.join(','),
      `services of the images input (${all.map((i) => i.service).join(', ')})`,
    );
  }
  const registry = getString(source, 'registry', { default: 'ghcr.io' });
  if (!REGISTRY.test(registry)) {
    throw new InputError('registry', registry, 'a lower-case registry host[:port], e.g. ghcr.io');
  }
  const repository = getString(source, 'repository', { default: context.repository });
  if (!REPOSITORY.test(repository)) {
    throw new InputError('repository', repository, 'owner/name (GITHUB_REPOSITORY)');
  }
  const workflow = getString(source, 'workflow');
  if (workflow && !/^\.github\/workflows\/[\w.-]+\.ya?ml$/.test(workflow)) {
    throw new InputError('workflow', workflow, 'a workflow file, .github/workflows/<name>.yml');
  }
  return Object.freeze({
    images: Object.freeze(
      services.length > 0 ? all.filter((i) => services.includes(i.service)) : all,
    ),
    registry,
    repository,
    workflow,
    dryRun: getBoolean(source, 'dry-run', false),
  });
}
