/**
 * The delivery, end to end, with the real tools: build-images builds our images, a real OCI
 * registry (distribution, the registry behind Docker Hub) runs on loopback, publish-images
 * pushes them by id, Trivy writes their SBOMs from the registry, cosign signs and attests
 * them with a key pair made for this run, and the deploy's gate (deploy-images.sh) verifies
 * them before the stack runs from the <registry>/…@sha256: digests and passes the smoke test.
 * Then what must be refused is: an unsigned digest, a tampered image, a wrong key, a wrong
 * identity. One registry, one stack, for the whole file; everything is removed in afterAll.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { LABEL } from '../actions/shared/src/oci.ts';
import { runAction } from '../actions/tools/local-runner.ts';
import { buildStandins, docker, REPO_ROOT, testName } from './support/docker.ts';
import { stopAll } from './support/process.ts';
import {
  cosignKeyPair,
  GO_BIN,
  goTool,
  type LocalRegistry,
  startRegistry,
} from './support/registry.ts';
import { STANDIN_IMAGES, startStack, type TestStack } from './support/stack.ts';
import { describeWithTools } from './support/tools.ts';

const execFileAsync = promisify(execFile);
const PATH = `${GO_BIN}:${process.env.PATH}`;
const id = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
const REPOSITORY = `local/delivery-${id}`;
const WORKFLOW = '.github/workflows/pipeline.yml';
const REF = 'refs/heads/main';
const SERVICES = ['backend', 'frontend'] as const;

interface Published {
  image: string;
  digest: string;
  ref: string;
  tags: string[];
  id: string;
}

interface ScriptResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs one of .github/scripts with the job's environment; never throws on a non-zero exit. */
async function script(
  name: string,
  args: readonly string[],
  env: Record<string, string>,
): Promise<ScriptResult> {
  try {
    const { stdout, stderr } = await execFileAsync(
      'bash',
      [join(REPO_ROOT, '.github/scripts', name), ...args],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, PATH, ...env },
        timeout: 300_000,
        maxBuffer: 1 << 26,
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return {
      code: typeof e.code === 'number' ? e.code : -1,
      stdout: e.stdout ?? '',
      stderr: e.stderr ?? '',
    };
  }
}

function expectOk(result: ScriptResult, what: string): void {
  expect(result.code, `${what}:\n${result.stderr.slice(-2000)}`).toBe(0);
}

describeWithTools(
  ['docker', 'jq', 'curl'],
  'delivery: publish, sign, attest, verify, deploy by digest',
  () => {
    let work: string;
    let localRegistry: LocalRegistry | undefined;
    let registry: string;
    let sha: string;
    let images: Record<string, Published>;
    let identity: Record<string, string>;
    let signer: Record<string, string>;
    let otherKey: string;
    let stack: TestStack | undefined;
    let override: string;
    let deploySummary: string;

    const registryUrl = (path: string) => `http://${registry}/v2/${path}`;
    const manifestOf = async (repository: string, reference: string) => {
      const res = await fetch(
        registryUrl(`${repository.slice(registry.length + 1)}/manifests/${reference}`),
        {
          headers: {
            accept:
              'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json',
          },
        },
      );
      expect(res.status, `${repository}:${reference}`).toBe(200);
      return {
        digest: res.headers.get('docker-content-digest'),
        body: (await res.json()) as { config: { digest: string } },
      };
    };

    beforeAll(async () => {
      goTool('trivy');
      work = await mkdtemp(join(tmpdir(), 'delivery-e2e-'));
      sha = (await execFileAsync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT })).stdout.trim();

      // A real registry on a free loopback port, its storage in this run's directory.
      localRegistry = await startRegistry(join(work, 'registry'));
      registry = localRegistry.address;

      // Two key pairs: the pipeline's, and another one nobody should trust.
      const password = randomBytes(16).toString('hex');
      const pair = await cosignKeyPair(join(work, 'key'), password);
      otherKey = (await cosignKeyPair(join(work, 'other'), password)).publicKey;
      const publicKey = pair.publicKey;
      identity = {
        EXPECTED_REPOSITORY: REPOSITORY,
        EXPECTED_REF: REF,
        EXPECTED_WORKFLOW: WORKFLOW,
        SERVER_URL: 'https://github.com',
        COSIGN_PUBLIC_KEY: publicKey,
      };
      signer = {
        ...identity,
        COSIGN_KEY: pair.key,
        COSIGN_PASSWORD: password,
      };

      // The job's environment, as GitHub gives it on a push to main.
      const job = {
        GITHUB_SHA: sha,
        GITHUB_REF: REF,
        GITHUB_REPOSITORY: REPOSITORY,
        GITHUB_EVENT_NAME: 'push',
        GITHUB_WORKFLOW_REF: `${REPOSITORY}/${WORKFLOW}@${REF}`,
        GITHUB_RUN_ID: '1',
        GITHUB_RUN_ATTEMPT: '1',
      };
      await buildStandins('node', 'nginx', 'prometheus', 'alertmanager', 'cadvisor', 'postgres');
      const built = await runAction({
        action: 'build-images',
        inputs: {
          'image-name': `delivery-${id}-{service}`,
          'sha-tag': 'none',
          cache: 'none',
          'build-args': `NODE_IMAGE=${STANDIN_IMAGES.NODE_IMAGE}\nNGINX_IMAGE=${STANDIN_IMAGES.NGINX_IMAGE}`,
        },
        env: job,
      });
      expect(built.exitCode, built.stderr.slice(-3000) + built.stdout.slice(-3000)).toBe(0);

      const published = await runAction({
        action: 'publish-images',
        inputs: { images: built.outputs.images ?? '', registry },
        env: job,
      });
      expect(published.exitCode, published.stdout.slice(-3000)).toBe(0);
      images = JSON.parse(published.outputs.images ?? '{}');
      const provenanceDir = join(work, 'provenance');
      await mkdir(provenanceDir);
      // The local runner removes its RUNNER_TEMP: make the predicate again, the same way.
      const dry = await runAction({
        action: 'publish-images',
        inputs: { images: built.outputs.images ?? '', registry, 'dry-run': 'true' },
        env: { ...job, RUNNER_TEMP: provenanceDir },
      });
      expect(dry.exitCode).toBe(0);

      // The evidence, as the publish job makes it under act: SBOM, signature, attestations.
      for (const service of SERVICES) {
        const sbom = join(work, `${service}.cdx.json`);
        const made = await script('sbom.sh', [images[service]?.ref ?? '', sbom], {
          TRIVY: join(GO_BIN, 'trivy'),
        });
        expectOk(made, `sbom.sh ${service}`);
        const provenance = join(provenanceDir, 'publish-images', `${service}.provenance.json`);
        expectOk(
          await script('sign-image.sh', [images[service]?.ref ?? '', sbom, provenance], signer),
          `sign ${service}`,
        );
      }

      // The deploy's gate, then the stack from the digests.
      override = join(work, 'deploy.compose.yml');
      deploySummary = join(work, 'deploy-summary.md');
      const gate = await script('deploy-images.sh', [JSON.stringify(images), override], {
        ...identity,
        GITHUB_STEP_SUMMARY: deploySummary,
      });
      expectOk(gate, 'deploy-images.sh');
      stack = await startStack({ overrides: [override], build: false });
    }, 1_500_000);

    afterAll(async () => {
      await stack?.down();
      await localRegistry?.stop();
      await stopAll();
      // Every tag and every pulled digest of this run's images (repo:tag, repo@sha256:…).
      const refs = await docker([
        'images',
        '--digests',
        '--format',
        '{{.Repository}}:{{.Tag}} {{.Repository}}@{{.Digest}}',
      ]).catch(() => '');
      const ours = refs
        .split(/\s+/)
        .filter((ref) => !ref.endsWith(':<none>') && !ref.endsWith('@<none>'))
        .filter((ref) => ref.startsWith(`${registry}/`) || ref.startsWith(`delivery-${id}-`));
      if (ours.length > 0) await docker(['rmi', '-f', ...new Set(ours)]).catch(() => '');
      if (work) await rm(work, { recursive: true, force: true });
    });

    test('publishes each image under sha-<short> and main, both the one digest, the build image itself', async () => {
      for (const service of SERVICES) {
        const published = images[service];
        expect(published?.image).toBe(`${registry}/${REPOSITORY}/${service}`);
        expect(published?.tags).toEqual([`sha-${sha.slice(0, 7)}`, 'main']);
        for (const tag of published?.tags ?? []) {
          const manifest = await manifestOf(published?.image ?? '', tag);
          expect(manifest.digest).toBe(published?.digest);
          // The registry's image config is the build's: same id, so the scanned image.
          expect(manifest.body.config.digest).toBe(published?.id);
        }
      }
    });

    test('the pushed images carry every OCI label, for this commit', async () => {
      for (const service of SERVICES) {
        const published = images[service] as Published;
        const config = await fetch(registryUrl(`${REPOSITORY}/${service}/blobs/${published.id}`));
        const labels = ((await config.json()) as { config: { Labels: Record<string, string> } })
          .config.Labels;
        expect(labels).toMatchObject({
          [LABEL.revision]: sha,
          [LABEL.source]: `https://github.com/${REPOSITORY}`,
          [LABEL.licenses]: 'MIT',
          [LABEL.version]: `sha-${sha.slice(0, 7)}`,
        });
        expect(Date.parse(labels[LABEL.created] ?? '')).toBeGreaterThan(Date.now() - 3_600_000);
      }
    });

    test('verifies signature, provenance and SBOM attestation; the summary counts the packages', async () => {
      for (const service of SERVICES) {
        const verified = await script('verify-image.sh', [images[service]?.ref ?? ''], identity);
        expectOk(verified, `verify ${service}`);
        expect(verified.stdout).toMatch(
          /mode=key signature=verified provenance=verified sbom=verified sbom-packages=\d+/,
        );
      }
      const summary = await readFile(deploySummary, 'utf8');
      const backendRow = summary.split('\n').find((line) => line.startsWith('| backend |')) ?? '';
      expect(backendRow).toContain(images.backend?.digest);
      expect(backendRow).toContain('main');
      // The backend's SBOM lists its npm packages (express, prom-client, pg…).
      expect(Number(/\| (\d+) \|/.exec(backendRow)?.[1])).toBeGreaterThan(20);
    });

    test('runs the stack from the registry digests, and the smoke test passes', async () => {
      const containers = await stack?.containers();
      for (const service of SERVICES) {
        const container = containers?.find((c) => c.service === service);
        expect(
          await docker(['inspect', '--format', '{{.Config.Image}}', container?.name ?? '']),
        ).toBe(images[service]?.ref);
      }
      const smoke = await script(
        'smoke.sh',
        [
          (await stack?.url('backend', 5000)) ?? '',
          (await stack?.url('frontend', 8080)) ?? '',
          (await stack?.url('prometheus', 9090)) ?? '',
          '60',
        ],
        {},
      );
      expectOk(smoke, 'smoke.sh');
      expect(smoke.stdout).toContain('ok  Prometheus targets up');
    });

    /** The gate on a set of images: its result, and whether it wrote an override. */
    async function gate(set: Record<string, Published>, env: Record<string, string>) {
      const out = join(work, `${testName('refused')}.yml`);
      const result = await script('deploy-images.sh', [JSON.stringify(set), out], env);
      return { ...result, wroteOverride: existsSync(out) };
    }

    test('an unsigned digest is refused, and deploy refuses it', async () => {
      // Someone pushes another image over :main; its digest has no signature.
      const image = images.frontend as Published;
      await docker(['tag', STANDIN_IMAGES.CADVISOR_IMAGE, `${image.image}:main`]);
      const pushed = await docker(['push', `${image.image}:main`]);
      const digest = /digest: (sha256:[0-9a-f]{64})/.exec(pushed)?.[1] ?? '';
      const unsigned = `${image.image}@${digest}`;
      const verified = await script('verify-image.sh', [unsigned], identity);
      expect(verified.code).toBe(1);
      expect(verified.stderr).toContain(`${unsigned}: no signature by this key`);
      const refused = await gate({ frontend: { ...image, digest, ref: unsigned } }, identity);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('refused to deploy');
      expect(refused.wroteOverride).toBe(false);
    });

    test('a tampered image is refused: its bytes in the registry no longer hash to the signed digest', async () => {
      // An image of its own (no engine has its manifest cached), pushed and signed, then its
      // manifest altered in the registry's storage, as a compromised registry would serve it.
      const image = `${registry}/${REPOSITORY}/tampered`;
      const context = join(work, 'tampered');
      await mkdir(context);
      await writeFile(
        join(context, 'Dockerfile'),
        `FROM ${STANDIN_IMAGES.NGINX_IMAGE}\nLABEL test.run="${id}"\n`,
      );
      await docker(['build', '-q', '-t', `${image}:x`, context]);
      const digest =
        /digest: (sha256:[0-9a-f]{64})/.exec(await docker(['push', `${image}:x`]))?.[1] ?? '';
      const ref = `${image}@${digest}`;
      const sbom = join(work, 'tampered.cdx.json');
      expectOk(await script('sbom.sh', [ref, sbom], { TRIVY: join(GO_BIN, 'trivy') }), 'sbom');
      const provenance = join(work, 'provenance/publish-images/frontend.provenance.json');
      expectOk(await script('sign-image.sh', [ref, sbom, provenance], signer), 'sign tampered');
      const imageId = await docker(['image', 'inspect', '--format', '{{.Id}}', `${image}:x`]);
      // Signed and untouched, it verifies.
      expectOk(await script('verify-image.sh', [ref], identity), 'verify before tampering');

      const blob = join(
        localRegistry?.storage ?? '',
        'docker/registry/v2/blobs/sha256',
        digest.slice(7, 9),
        digest.slice(7),
        'data',
      );
      const manifest = JSON.parse(await readFile(blob, 'utf8'));
      manifest.annotations = { 'tampered-by': 'the test' };
      await writeFile(blob, JSON.stringify(manifest));
      await docker(['rmi', '-f', `${image}:x`]);
      // The signature is over the digest, which still verifies; the bytes do not hash to it.
      const refused = await gate(
        { tampered: { image, digest, ref, tags: ['x'], id: imageId } },
        identity,
      );
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain(`${ref}: the pull by digest failed`);
      expect(refused.wroteOverride).toBe(false);
    });

    test.each([
      ['another key', { COSIGN_PUBLIC_KEY: 'other' }, 'no signature by this key'],
      ['another ref', { EXPECTED_REF: 'refs/heads/not-main' }, 'missing or incorrect annotation'],
      [
        'another repository',
        { EXPECTED_REPOSITORY: 'someone/else' },
        'missing or incorrect annotation',
      ],
      [
        'another workflow',
        { EXPECTED_WORKFLOW: '.github/workflows/other.yml' },
        'missing or incorrect annotation',
      ],
    ])(
      'a wrong identity (%s) is refused, and deploy refuses that digest',
      async (_, change, message) => {
        const env: Record<string, string> = { ...identity, ...change };
        if (env.COSIGN_PUBLIC_KEY === 'other') env.COSIGN_PUBLIC_KEY = otherKey;
        const ref = images.backend?.ref ?? '';
        const verified = await script('verify-image.sh', [ref], env);
        expect(verified.code).toBe(1);
        expect(verified.stderr).toContain(message);
        const refused = await gate({ backend: images.backend as Published }, env);
        expect(refused.code).toBe(1);
        expect(refused.wroteOverride).toBe(false);
        expect(await readFile(deploySummary, 'utf8')).toContain('| backend |');
      },
    );

    test('a provenance that names another build is refused, though key and signature are right', async () => {
      // Signed as this build, but its provenance says another ref built it.
      const image = `${registry}/${REPOSITORY}/otherbuild`;
      await docker(['tag', STANDIN_IMAGES.PROMETHEUS_IMAGE, `${image}:x`]);
      const digest =
        /digest: (sha256:[0-9a-f]{64})/.exec(await docker(['push', `${image}:x`]))?.[1] ?? '';
      const ref = `${image}@${digest}`;
      const predicate = JSON.parse(
        await readFile(join(work, 'provenance/publish-images/frontend.provenance.json'), 'utf8'),
      );
      predicate.buildDefinition.externalParameters.workflow.ref = 'refs/heads/evil';
      const forged = join(work, 'forged.provenance.json');
      await writeFile(forged, JSON.stringify(predicate));
      const sbom = join(work, 'otherbuild.cdx.json');
      expectOk(
        await script('sbom.sh', [ref, sbom], { TRIVY: join(GO_BIN, 'trivy') }),
        'sbom otherbuild',
      );
      expectOk(await script('sign-image.sh', [ref, sbom, forged], signer), 'sign otherbuild');
      const verified = await script('verify-image.sh', [ref], identity);
      expect(verified.code).toBe(1);
      expect(verified.stderr).toContain('the provenance names another build');
      expect(verified.stderr).toContain('refs/heads/evil');
    });
  },
);
