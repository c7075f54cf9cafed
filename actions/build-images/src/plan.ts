import type { ComposeBuildSpec } from '../../shared/src/compose-file.ts';
import { dockerfilePath } from '../../shared/src/compose-file.ts';

/** Pure planning: which services, which tags, which builder, which exact argv. */

export type Builder = 'buildx' | 'buildkit';

export interface BuilderChoice {
  readonly builder: Builder;
  /** Use the GitHub Actions cache (type=gha); only with buildx. */
  readonly gha: boolean;
  /** Why, for the log. */
  readonly reason: string;
}

export interface Environment {
  readonly buildx: boolean;
  /** ACTIONS_CACHE_URL (or ACTIONS_RESULTS_URL) and ACTIONS_RUNTIME_TOKEN are set. */
  readonly cacheService: boolean;
  /** The current buildx builder's driver (`docker`, `docker-container`...), when known. */
  readonly driver?: string;
}

export function chooseBuilder(cache: 'auto' | 'gha' | 'none', env: Environment): BuilderChoice {
  if (!env.buildx) {
    if (cache === 'gha')
      throw new Error('Input "cache" is "gha" but docker buildx is not installed');
    return {
      builder: 'buildkit',
      gha: false,
      reason: 'buildx is not installed: DOCKER_BUILDKIT=1 docker build',
    };
  }
  if (cache === 'none') return { builder: 'buildx', gha: false, reason: 'buildx, cache disabled' };
  if (!env.cacheService) {
    if (cache === 'gha') {
      throw new Error(
        'Input "cache" is "gha" but ACTIONS_CACHE_URL/ACTIONS_RUNTIME_TOKEN are not set (not on a GitHub runner?)',
      );
    }
    return {
      builder: 'buildx',
      gha: false,
      reason: 'buildx, no GitHub cache service in this environment',
    };
  }
  // The default builder's `docker` driver cannot export a cache; docker/setup-buildx-action
  // creates a docker-container builder that can.
  if (env.driver === 'docker') {
    if (cache === 'gha') {
      throw new Error(
        'Input "cache" is "gha" but the buildx builder uses the docker driver, which cannot export a cache (add docker/setup-buildx-action before this step)',
      );
    }
    return {
      builder: 'buildx',
      gha: false,
      reason:
        'buildx, no cache: the docker driver cannot export one (use docker/setup-buildx-action)',
    };
  }
  return { builder: 'buildx', gha: true, reason: 'buildx with the GitHub Actions cache' };
}

/** Selected services in the order given, or every buildable one; unknown names fail. */
export function selectServices(
  specs: readonly ComposeBuildSpec[],
  wanted: readonly string[],
): ComposeBuildSpec[] {
  if (specs.length === 0) throw new Error('No service in the compose file(s) has a build section');
  if (wanted.length === 0) return [...specs];
  const byName = new Map(specs.map((s) => [s.service, s]));
  const unknown = wanted.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `Input "services" has value "${wanted.join(',')}": ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a service with a build section (buildable: ${specs.map((s) => s.service).join(', ')})`,
    );
  }
  return wanted.map((name) => byName.get(name) as ComposeBuildSpec);
}

export function imageTags(options: {
  service: string;
  imageName: string;
  tag: string;
  shaTag: 'short' | 'full' | 'none';
  sha: string;
}): { image: string; tags: string[] } {
  const image = options.imageName.replaceAll('{service}', options.service);
  const tags = [`${image}:${options.tag}`];
  if (options.shaTag === 'short') tags.push(`${image}:${options.sha.slice(0, 7)}`);
  if (options.shaTag === 'full') tags.push(`${image}:${options.sha}`);
  return { image, tags: [...new Set(tags)] };
}

export interface BuildRequest {
  readonly spec: ComposeBuildSpec;
  readonly tags: readonly string[];
  /** From the build-args input; override the compose file's args of the same name. */
  readonly extraArgs: readonly (readonly [string, string])[];
  readonly choice: BuilderChoice;
  readonly iidFile: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface BuildCommand {
  readonly command: 'docker';
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The exact `docker (buildx) build` call for one service. */
export function buildCommand(request: BuildRequest): BuildCommand {
  const { spec, choice } = request;
  const args = choice.builder === 'buildx' ? ['buildx', 'build'] : ['build'];
  args.push('--file', dockerfilePath(spec));
  for (const tag of request.tags) args.push('--tag', tag);
  const buildArgs = new Map<string, string>(Object.entries(spec.args));
  for (const [key, value] of request.extraArgs) buildArgs.set(key, value);
  for (const [key, value] of buildArgs) args.push('--build-arg', `${key}=${value}`);
  if (spec.target) args.push('--target', spec.target);
  for (const [key, value] of Object.entries(request.labels ?? {}))
    args.push('--label', `${key}=${value}`);
  args.push('--iidfile', request.iidFile);
  if (choice.builder === 'buildx') {
    if (choice.gha) {
      args.push('--cache-from', `type=gha,scope=${spec.service}`);
      args.push('--cache-to', `type=gha,mode=max,scope=${spec.service}`);
    }
    // buildx's docker-container driver keeps results in its cache; --load puts them in the engine.
    args.push('--load');
  }
  args.push(spec.context);
  return {
    command: 'docker',
    args,
    env: choice.builder === 'buildkit' ? { DOCKER_BUILDKIT: '1' } : {},
  };
}
