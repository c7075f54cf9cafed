import { expect, test } from 'vitest';
import { parseFinishedAt, publishedUrl, serviceActionArgs } from '../src/compose-service.ts';

test.each([
  [
    ['kill', 'backend', { signal: 'SIGKILL' }],
    ['kill', '-s', 'SIGKILL', 'backend'],
  ],
  [
    ['kill', 'backend', {}],
    ['kill', '-s', 'SIGKILL', 'backend'],
  ],
  [
    ['stop', 'backend', { timeoutSeconds: 3 }],
    ['stop', '--timeout', '3', 'backend'],
  ],
  [
    ['pause', 'backend', {}],
    ['pause', 'backend'],
  ],
  [
    ['unpause', 'backend', {}],
    ['unpause', 'backend'],
  ],
  [
    ['restart', 'backend', {}],
    ['restart', 'backend'],
  ],
  [
    ['up', 'backend', {}],
    ['up', '--detach', '--no-deps', 'backend'],
  ],
] as const)('serviceActionArgs(%j) = %j', ([action, service, options], argv) => {
  expect(serviceActionArgs(action, service, options)).toEqual(argv);
});

test.each([
  ['127.0.0.1:49153\n', 'http://127.0.0.1:49153'],
  ['0.0.0.0:5000', 'http://127.0.0.1:5000'],
  ['[::]:8080', 'http://127.0.0.1:8080'],
  [':0', undefined],
  ['', undefined],
])('publishedUrl(%j) = %s', (output, url) => {
  expect(publishedUrl(output)).toBe(url);
});

test.each([
  ['2026-11-26T17:43:13.937123Z\n', '2026-11-26T17:43:13.937Z'],
  ['0001-01-01T00:00:00Z', undefined],
  ['', undefined],
])('parseFinishedAt(%j)', (text, iso) => {
  expect(parseFinishedAt(text)?.toISOString()).toBe(iso);
});
