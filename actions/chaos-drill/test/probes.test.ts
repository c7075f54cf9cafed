import { expect, test } from 'vitest';
import { compare, fillUrl } from '../src/probes.ts';

test.each([
  [1, '==', 1, 0, true],
  [0.98, '==', 1, 0.05, true],
  [0.9, '==', 1, 0.05, false],
  [0, '!=', 1, 0, true],
  [5, '<', 5, 0, false],
  [5, '<=', 5, 0, true],
  [6, '>', 5, 0, true],
  [4.99, '>=', 5, 0.01, true],
  [Number.NaN, '==', 1, 0, false],
] as const)('compare(%d %s %d ± %d) = %s', (value, op, expected, tolerance, result) => {
  expect(compare(value, op, expected, tolerance)).toBe(result);
});

test('fillUrl fills a placeholder', () => {
  expect(fillUrl('{frontend}/api/status', 'http://127.0.0.1:8080/')).toBe(
    'http://127.0.0.1:8080/api/status',
  );
});
