/**
 * The bundled actions against the real Docker engine, through the local runner:
 * build-images builds real images; stack-up brings a stack up, waits for health and for a
 * real Prometheus's targets, and its post step saves the reports and tears everything down.
 * Everything created here has a unique name and is removed in afterAll, pass or fail.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort, waitForHttp } from '../../../test/support/net.ts';
import { type RunningProcess, startProcess, stopAll } from '../../../test/support/process.ts';
import { describeWithTools, which } from '../../../test/support/tools.ts';
import { REPO_ROOT, runAction } from '../local-runner.ts';

const FIXTURE = join(REPO_ROOT, 'actions/tools/test/fixtures/stack/compose.yml');
const id = `${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const IMAGE_NAME = `actions-e2e-${id}-{service}`;
const WEB_IMAGE = `actions-e2e-${id}-web:dev`;
const projects: string[] = [];
const images: string[] = [];
let reportsRoot: string;

function docker(args: string[]): string {
  return execFileSync('docker', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** The Compose stack-up should pick: v2 when the docker CLI has the plugin (DOCKER_CONFIG too). */
function expectedCompose(): string {
  try {
    docker(['compose', 'version']);
    return 'v2';
  } catch {
    return 'v1';
  }
}

/** Containers, networks and volumes labelled with a compose project. */
function leftovers(project: string): string {
  const label = `label=com.docker.compose.project=${project}`;
  return [
    docker(['ps', '-aq', '--filter', label]),
    docker(['network', 'ls', '-q', '--filter', label]),
    docker(['volume', 'ls', '-q', '--filter', label]),
  ]
    .join('')
    .trim();
}

describeWithTools(['docker'], 'actions against the Docker engine', () => {
  beforeAll(async () => {
    execFileSync('bash', [join(REPO_ROOT, 'scripts/standins/build.sh'), 'node'], {
      stdio: 'inherit',
    });
    reportsRoot = await mkdtemp(join(tmpdir(), 'actions-e2e-'));
  });

  afterAll(async () => {
    await stopAll();
    // The Compose the actions chose: v2 when the plugin runs, else v1.
    const v2 = spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0;
    const compose = v2 ? ['docker', 'compose'] : ['docker-compose'];
    for (const project of projects) {
      try {
        execFileSync(
          compose[0] as string,
          [
            ...compose.slice(1),
            '-f',
            FIXTURE,
            '-p',
            project,
            '--profile',
            'broken',
            'down',
            '-v',
            '--remove-orphans',
            '-t',
            '1',
          ],
          {
            stdio: 'ignore',
            env: { ...process.env, WEB_IMAGE },
          },
        );
      } catch {
        // already gone
      }
    }
    for (const image of images) {
      try {
        docker(['rmi', '-f', image]);
      } catch {
        // already gone
      }
    }
    await rm(reportsRoot, { recursive: true, force: true });
  });

  test('build-images builds and tags the fixture image with BuildKit', async () => {
    const result = await runAction({
      action: 'build-images',
      inputs: {
        'compose-file': FIXTURE,
        'image-name': IMAGE_NAME,
        'build-args': 'NODE_IMAGE=local/standin/node:latest',
      },
      // The engine's own 20.10 client does BuildKit without buildx; the newer one falls back.
      env: existsSync('/usr/bin/docker') ? { PATH: `/usr/bin:${process.env.PATH}` } : {},
    });
    const built = JSON.parse(result.outputs.images ?? '{}') as Record<
      string,
      { image: string; tags: string[]; id: string; size: number }
    >;
    for (const entry of Object.values(built)) images.push(...entry.tags);
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const sha = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    }).trim();
    expect(built.web?.tags).toEqual([WEB_IMAGE, WEB_IMAGE.replace(':dev', `:${sha.slice(0, 7)}`)]);
    expect(built.web?.id).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(built.web?.size).toBeGreaterThan(1_000_000);
    expect(docker(['image', 'inspect', '--format', '{{.Id}}', WEB_IMAGE]).trim()).toBe(
      built.web?.id,
    );
    expect(
      docker([
        'image',
        'inspect',
        '--format',
        '{{index .Config.Labels "org.opencontainers.image.revision"}}',
        WEB_IMAGE,
      ]).trim(),
    ).toBe(sha);
    expect(result.summary).toMatch(
      /\| web \| `actions-e2e-.*-web:dev`<br>`.*` \| \d+\.\d MiB \| .* \|/,
    );
  });

  test('stack-up waits for health and Prometheus targets; post saves reports and tears down', async () => {
    const webPort = await freePort();
    const promPort = await freePort();
    const promDir = join(reportsRoot, 'prometheus');
    await rm(promDir, { recursive: true, force: true });
    await writeFile(
      join(reportsRoot, 'prometheus.yml'),
      `global: {scrape_interval: 1s}\nscrape_configs:\n  - job_name: fixture-web\n    static_configs: [{targets: ['127.0.0.1:${webPort}']}]\n`,
    );
    let prometheus: RunningProcess | undefined;
    if (which('prometheus')) {
      prometheus = startProcess('prometheus', [
        `--config.file=${join(reportsRoot, 'prometheus.yml')}`,
        `--storage.tsdb.path=${promDir}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ]);
      await waitForHttp(`http://127.0.0.1:${promPort}/-/ready`, 15_000);
    }
    const project = `actions-e2e-${id}-up`;
    projects.push(project);
    const reportsDir = join(reportsRoot, 'up');
    const result = await runAction({
      action: 'stack-up',
      inputs: {
        'compose-file': FIXTURE,
        'project-name': project,
        timeout: '120s',
        'reports-dir': reportsDir,
        ...(prometheus
          ? { 'prometheus-url': `http://127.0.0.1:${promPort}`, 'wait-for-targets': 'true' }
          : {}),
      },
      env: { WEB_IMAGE, WEB_PORT: String(webPort) },
    });
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs['project-name']).toBe(project);
    expect(result.outputs['compose-version']).toBe(expectedCompose());
    const services = JSON.parse(result.outputs.services ?? '[]') as {
      service: string;
      state: string;
      health: string;
    }[];
    expect(services.map((s) => [s.service, s.state, s.health]).sort()).toEqual([
      ['web', 'running', 'healthy'],
      ['worker', 'running', ''],
    ]);
    expect(result.state.stack).toContain(project);
    // post: reports saved, stack gone
    expect(result.post?.exitCode).toBe(0);
    expect(result.warnings).toEqual([]);
    expect(await readFile(join(reportsDir, 'stack/ps.txt'), 'utf8')).toContain('web');
    expect(await readFile(join(reportsDir, 'stack/logs/web.log'), 'utf8')).toContain(
      'web: listening on 8080',
    );
    expect(await readFile(join(reportsDir, 'stack/logs/worker.log'), 'utf8')).toContain(
      'worker started',
    );
    if (prometheus) {
      const targets = JSON.parse(
        await readFile(join(reportsDir, 'stack/prometheus-targets.json'), 'utf8'),
      );
      expect(targets.activeTargets[0].health).toBe('up');
    }
    expect(leftovers(project)).toBe('');
    await prometheus?.stop();
  });

  test('stack-up fails naming the unhealthy service with its last log lines; post still tears down', async () => {
    const project = `actions-e2e-${id}-broken`;
    projects.push(project);
    const reportsDir = join(reportsRoot, 'broken');
    const result = await runAction({
      action: 'stack-up',
      inputs: {
        'compose-file': FIXTURE,
        'project-name': project,
        profiles: 'broken',
        timeout: '60s',
        'log-lines': '5',
        'reports-dir': reportsDir,
      },
      env: { WEB_IMAGE, WEB_PORT: String(await freePort()) },
    });
    expect(result.exitCode).toBe(1);
    expect(result.outputs['compose-version']).toBe(expectedCompose());
    const error = result.errors.join('\n');
    expect(error).toMatch(/Services not ready within 60s: broken \(running \(unhealthy\)\)/);
    expect(error).toContain('--- broken: last log lines ---');
    expect(error).toContain('broken: starting, will never be healthy');
    expect(result.post?.exitCode).toBe(0);
    expect(await readFile(join(reportsDir, 'stack/logs/broken.log'), 'utf8')).toContain(
      'will never be healthy',
    );
    expect(leftovers(project)).toBe('');
  });
});
