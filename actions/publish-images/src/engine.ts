import { type Exec, execChecked } from '../../shared/src/exec.ts';

/** What publishing needs from the Docker engine, behind an interface for the tests. */
export interface ImageInfo {
  readonly id: string;
  /** <repository>@sha256:… for every push (or pull) the engine has recorded. */
  readonly repoDigests: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export interface Engine {
  /** undefined when the engine has no such image. */
  inspect(image: string): Promise<ImageInfo | undefined>;
  tag(image: string, target: string): Promise<void>;
  /** Pushes one tag and resolves with the manifest digest the registry stored. */
  push(target: string): Promise<string>;
}

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/**
 * The digest in `docker push` output: its last line is `<tag>: digest: sha256:… size: N`
 * (every engine since 1.10, with the classic or the containerd image store).
 */
export function parsePushDigest(output: string, tag: string): string | undefined {
  const escaped = tag.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`^${escaped}: digest: (sha256:[0-9a-f]{64}) size: \\d+$`, 'm').exec(
    output,
  );
  return match?.[1];
}

export function createEngine(exec: Exec): Engine {
  return {
    async inspect(image) {
      const result = await exec('docker', ['image', 'inspect', '--format', '{{json .}}', image], {
        silent: true,
      });
      if (result.exitCode !== 0) return undefined;
      const info = JSON.parse(result.stdout) as {
        Id: string;
        RepoDigests?: string[] | null;
        Config?: { Labels?: Record<string, string> | null };
      };
      return {
        id: info.Id,
        repoDigests: info.RepoDigests ?? [],
        labels: info.Config?.Labels ?? {},
      };
    },
    async tag(image, target) {
      await execChecked(exec, 'docker', ['tag', image, target], { silent: true });
    },
    async push(target) {
      const { stdout } = await execChecked(exec, 'docker', ['push', target]);
      const tag = target.slice(target.lastIndexOf(':') + 1);
      const digest = parsePushDigest(stdout, tag);
      if (!digest || !DIGEST.test(digest)) {
        throw new Error(`docker push ${target} printed no digest line ("${tag}: digest: …")`);
      }
      return digest;
    },
  };
}
