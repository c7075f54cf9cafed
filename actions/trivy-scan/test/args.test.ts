import { expect, test } from 'vitest';
import { imageScanners, type ScanArgsOptions, scanArgs, toScanTarget } from '../src/args.ts';

const base: ScanArgsOptions = {
  output: '/tmp/out.json',
  scanners: ['vuln', 'secret', 'misconfig'],
  skipDbUpdate: false,
  dbRepositories: ['mirror.gcr.io/aquasec/trivy-db', 'ghcr.io/aquasecurity/trivy-db'],
  javaDbRepositories: ['mirror.gcr.io/aquasec/trivy-java-db', 'ghcr.io/aquasecurity/trivy-java-db'],
};
const json = ['--format', 'json', '--output', '/tmp/out.json', '--exit-code', '0'];

test.each<[string, string, Partial<ScanArgsOptions>, string[]]>([
  [
    'an image: one JSON run, every severity, exit code 0, mirror first',
    'backend-demo:dev',
    {},
    [
      'image',
      ...json,
      '--scanners',
      'vuln,secret,misconfig',
      '--no-progress',
      '--db-repository',
      'mirror.gcr.io/aquasec/trivy-db,ghcr.io/aquasecurity/trivy-db',
      '--java-db-repository',
      'mirror.gcr.io/aquasec/trivy-java-db,ghcr.io/aquasecurity/trivy-java-db',
      'backend-demo:dev',
    ],
  ],
  [
    'an image offline with a cached DB and the ignore file',
    'backend-demo:dev',
    { skipDbUpdate: true, ignoreFile: '/repo/security/.trivyignore.yaml', cacheDir: '/c' },
    [
      'image',
      ...json,
      '--scanners',
      'vuln,secret,misconfig',
      '--no-progress',
      '--cache-dir',
      '/c',
      '--skip-check-update',
      '--skip-version-check',
      '--ignorefile',
      '/repo/security/.trivyignore.yaml',
      '--show-suppressed',
      '--skip-db-update',
      '--skip-java-db-update',
      'backend-demo:dev',
    ],
  ],
  [
    'a docker save archive without the vuln scanner (no DB flags at all)',
    'build/backend.tar',
    { scanners: ['misconfig', 'secret'] },
    [
      'image',
      ...json,
      '--scanners',
      'misconfig,secret',
      '--no-progress',
      '--input',
      'build/backend.tar',
    ],
  ],
])('%s', (_label, image, options, argv) => {
  expect(scanArgs(toScanTarget(image), { ...base, ...options })).toEqual(argv);
});

test('the repository config: fs with misconfig and secret, skipping dependencies and reports', () => {
  expect(
    scanArgs(
      { kind: 'config', dir: '.' },
      {
        ...base,
        scanners: ['misconfig', 'secret'],
        skipDirs: ['**/node_modules', 'security/reports'],
      },
    ),
  ).toEqual([
    'fs',
    ...json,
    '--scanners',
    'misconfig,secret',
    '--no-progress',
    '--skip-dirs',
    '**/node_modules',
    '--skip-dirs',
    'security/reports',
    '.',
  ]);
});

test.each([
  [undefined, true, ['vuln', 'secret', 'misconfig'], false],
  [undefined, false, ['secret', 'misconfig'], true],
  [['vuln'] as const, false, [], true],
  [['secret'] as const, false, ['secret'], false],
])('scanners %j with DB %s → %j (vuln skipped: %s)', (requested, db, scanners, skipped) => {
  expect(imageScanners(requested ? [...requested] : undefined, db)).toEqual({
    scanners,
    vulnSkipped: skipped,
  });
});
