import { describe, expect, it, test } from 'vitest';
import { objectInputSource } from '../../shared/src/inputs.ts';
import { DEFAULTS, parseInputs } from '../src/inputs.ts';

const parse = (values: Record<string, string>, env: Record<string, string> = {}) =>
  parseInputs(objectInputSource(values), env);

describe('parseInputs', () => {
  it('has safe defaults: gate on HIGH,CRITICAL, pinned Trivy, mirror first', () => {
    const inputs = parse({ images: 'backend-demo:dev\nfrontend-demo:dev' });
    expect(inputs).toMatchObject({
      images: ['backend-demo:dev', 'frontend-demo:dev'],
      severities: ['CRITICAL', 'HIGH'],
      failOnFindings: true,
      reportsDir: 'security/reports',
      ignoreFile: 'security/.trivyignore.yaml',
      ignoreFileExplicit: false,
      trivyVersion: 'v0.74.0',
      downloadBase: DEFAULTS.downloadBase,
      dbRepositories: ['mirror.gcr.io/aquasec/trivy-db', 'ghcr.io/aquasecurity/trivy-db'],
      scanners: undefined,
    });
    expect(Object.isFrozen(inputs)).toBe(true);
  });

  it('takes a comma list, lower-case severities, and the download base from the env', () => {
    const inputs = parse(
      { images: 'a:1, b:2', severity: 'critical,medium', 'trivy-version': '0.74.0' },
      { TRIVY_DOWNLOAD_BASE: 'http://127.0.0.1:8080/dl/' },
    );
    expect(inputs.images).toEqual(['a:1', 'b:2']);
    expect(inputs.severities).toEqual(['CRITICAL', 'MEDIUM']);
    expect(inputs.trivyVersion).toBe('v0.74.0');
    expect(inputs.downloadBase).toBe('http://127.0.0.1:8080/dl');
  });

  it('accepts existing reports (report and reports) instead of scanning', () => {
    expect(parse({ report: 'a.json', reports: 'b.json\nc.json' }).reports).toEqual([
      { input: 'report', path: 'a.json' },
      { input: 'reports', path: 'b.json' },
      { input: 'reports', path: 'c.json' },
    ]);
  });

  it('reads code-scanning (auto by default) and github-token', () => {
    expect(parse({ images: 'a' })).toMatchObject({ codeScanning: 'auto', githubToken: undefined });
    expect(parse({ images: 'a', 'code-scanning': 'OFF', 'github-token': 't' })).toMatchObject({
      codeScanning: 'off',
      githubToken: 't',
    });
  });

  test.each([
    [
      { images: 'a', 'code-scanning': 'maybe' },
      'Input "code-scanning" has value "maybe": expected auto, on, off',
    ],
    [
      { report: 'r.json', images: 'a' },
      'Input "report" has value "r.json": expected either existing reports or images/scan-config to scan, not both',
    ],
    [
      { images: 'a', severity: 'HIGH,SEVERE' },
      'Input "severity" has value "HIGH,SEVERE": expected a comma-separated list of CRITICAL, HIGH, MEDIUM, LOW, UNKNOWN (unknown: SEVERE)',
    ],
    [{ images: 'a', severity: ',' }, 'Input "severity" has value ","'],
    [
      {},
      'Input "images" has value "": expected at least one image, scan-config: true, or existing Trivy JSON reports',
    ],
    [
      { images: 'a', reports: 'r.json' },
      'Input "reports" has value "r.json": expected either existing reports or images/scan-config',
    ],
    [
      { images: 'a', 'trivy-version': 'latest' },
      'Input "trivy-version" has value "latest": expected a pinned release such as v0.74.0',
    ],
    [{ images: 'a', 'trivy-version': 'v0.74' }, 'Input "trivy-version" has value "v0.74"'],
    [
      { images: 'a', 'trivy-sha256': 'abc' },
      'Input "trivy-sha256" has value "abc": expected a sha256 of 64 hex digits',
    ],
    [
      { images: 'a', scanners: 'vuln,sbom' },
      'Input "scanners" has value "vuln,sbom": expected a list of vuln, misconfig, secret, license',
    ],
    [
      { images: 'a', 'fail-on-findings': 'yes' },
      'Input "fail-on-findings" has value "yes": expected true or false',
    ],
    [
      { images: 'a', 'download-base': 'ftp://x' },
      'Input "download-base" has value "ftp://x": expected an http(s) URL',
    ],
  ])('%j → %s', (values, message) => {
    expect(() => parse(values as Record<string, string>)).toThrow(message);
  });
});
