import { expect, test } from 'vitest';
import { assignKeys, identity, reportNames, scanTargetNames, slugify } from '../src/identity.ts';
import { imageName, relativeUri, repositoryPath } from '../src/uri.ts';

test.each([
  ['Dockerfile', 'Dockerfile'],
  ['svc/deploy.sh', 'svc/deploy.sh'],
  ['./svc/deploy.sh', 'svc/deploy.sh'],
  ['testchart.tar.gz:templates/pod.yaml', 'testchart.tar.gz%3Atemplates/pod.yaml'],
  ['charts/testchart.tar.gz:templates/pod.yaml', 'charts/testchart.tar.gz:templates/pod.yaml'],
  ['localhost:5000/alpine', 'localhost%3A5000/alpine'],
  ['/app/client.js', 'app/client.js'],
  ['C:\\work\\go.mod', 'C%3A/work/go.mod'],
  ['OS Packages', 'OS%20Packages'],
  ['a b/100%/#?[x]', 'a%20b/100%25/%23%3F%5Bx%5D'],
  ['pkg@1.0+build,x;y=z$&', 'pkg@1.0+build,x;y=z$&'],
  ['ünïcode/名前', '%C3%BCn%C3%AFcode/%E5%90%8D%E5%89%8D'],
])('relativeUri(%j) = %j, a relative reference', (path, uri) => {
  expect(relativeUri(path)).toBe(uri);
  // A relative reference resolves under any base, and has no scheme of its own.
  expect(new URL(uri, 'file:///root/dir/').href.startsWith('file:///root/dir/')).toBe(true);
  expect(uri).not.toMatch(/^[a-z][a-z0-9+.-]*:/i);
});

test.each([
  ['alpine:3.10', 'alpine'],
  ['localhost:53869/alpine:3.10', 'alpine'],
  ['ghcr.io/acme/api:1.2.3', 'acme/api'],
  ['ghcr.io/acme/api@sha256:abcdef0123', 'acme/api'],
  ['backend-demo:dev', 'backend-demo'],
  ['library/alpine', 'library/alpine'],
])('repositoryPath(%j) = %j', (ref, path) => {
  expect(repositoryPath(ref)).toBe(path);
});

test.each([
  [
    {
      ArtifactName: '/home/runner/work/_temp/images/backend-demo.tar',
      ArtifactType: 'container_image',
    },
    'backend-demo.tar',
  ],
  [{ ArtifactName: 'localhost:53869/alpine:3.10', ArtifactType: 'container_image' }, 'alpine'],
  [{ ArtifactName: '.', ArtifactType: 'filesystem' }, undefined],
])('imageName(%j) = %j', (report, name) => {
  expect(imageName(report)).toBe(name);
});

test.each([
  [
    { kind: 'archive' as const, path: '/home/runner/work/_temp/images/backend-demo.tar' },
    ['backend-demo'],
  ],
  [{ kind: 'archive' as const, path: 'images/frontend-demo.tar.gz' }, ['frontend-demo']],
  [
    { kind: 'image' as const, ref: 'backend-demo:dev' },
    ['backend-demo', 'backend-demo-dev', 'backend-demo:dev'],
  ],
  [{ kind: 'image' as const, ref: 'ghcr.io/acme/api' }, ['acme/api', 'ghcr.io/acme/api']],
  [{ kind: 'config' as const, dir: 'backend' }, ['config']],
])('scan target %j is named %j', (target, names) => {
  expect(scanTargetNames(target)).toEqual(names);
});

test.each([
  [
    { ArtifactName: 'testdata/fixtures/images/centos-7.tar.gz', ArtifactType: 'container_image' },
    'x/y.json',
    ['centos-7'],
  ],
  [
    { ArtifactName: 'alpine:3.10', ArtifactType: 'container_image' },
    'r.json',
    ['alpine', 'alpine-3.10', 'alpine:3.10'],
  ],
  [
    { ArtifactName: 'testdata/fixtures/repo/gomod', ArtifactType: 'repository' },
    'r.json',
    ['gomod'],
  ],
  [
    { ArtifactName: 'testdata/fixtures/sbom/license-cyclonedx.json', ArtifactType: 'cyclonedx' },
    'r.json',
    ['license-cyclonedx'],
  ],
  [{ ArtifactName: '.', ArtifactType: 'filesystem' }, 'reports/trivy-licenses.json', ['licenses']],
])('report of %j (file %s) is named %j', (report, file, names) => {
  expect(reportNames(report, file)).toEqual(names);
});

test.each([
  ['backend-demo:dev', 'backend-demo-dev'],
  ['ghcr.io/acme/API:1.2', 'ghcr.io-acme-api-1.2'],
  ['acme/api', 'acme-api'],
  ['***', 'target'],
])('slug of %s is %s', (name, slug) => {
  expect(slugify(name)).toBe(slug);
});

test('a key names the category and every file', () => {
  expect(identity('backend-demo')).toEqual({
    key: 'backend-demo',
    category: 'trivy-backend-demo',
    sarifFile: 'trivy-backend-demo.sarif',
    tableFile: 'trivy-backend-demo-report.txt',
    jsonFile: 'trivy-backend-demo.json',
  });
});

test.each([
  [
    'distinct first names',
    [['backend-demo'], ['frontend-demo'], ['config']],
    ['backend-demo', 'frontend-demo', 'config'],
  ],
  [
    'two tags of one repository',
    [
      ['api', 'api-1'],
      ['api', 'api-2'],
    ],
    ['api-1', 'api-2'],
  ],
  ['an archive and a reference', [['api'], ['api', 'api-dev']], ['api', 'api-dev']],
])('assignKeys: %s', (_label, names, keys) => {
  expect(assignKeys(names.map((n, i) => ({ name: `t${i}`, names: n })))).toEqual(keys);
});

test('assignKeys refuses the same target twice, naming both', () => {
  expect(() =>
    assignKeys([
      { name: 'a/centos-7.json', names: ['centos-7'] },
      { name: 'b/centos.json', names: ['centos-7'] },
    ]),
  ).toThrow(
    'a/centos-7.json and b/centos.json are both centos-7 (SARIF category trivy-centos-7); code scanning keeps one analysis per category, and codeql-action refuses two in one upload: give one report per target',
  );
});
