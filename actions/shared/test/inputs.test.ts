import { describe, expect, test } from 'vitest';
import {
  envInputSource,
  getBoolean,
  getDuration,
  getEnum,
  getInt,
  getKeyValues,
  getList,
  getString,
  inputEnvName,
  objectInputSource,
  parseDuration,
} from '../src/inputs.ts';

const src = (value: string) => objectInputSource({ x: value });

describe('input sources', () => {
  test.each([
    ['compose-file', 'INPUT_COMPOSE-FILE'],
    ['build args', 'INPUT_BUILD_ARGS'],
    ['Timeout', 'INPUT_TIMEOUT'],
  ])('%s is read from %s, as the runner sets it', (name, env) => {
    expect(inputEnvName(name)).toBe(env);
    expect(envInputSource({ [env]: 'v' }).get(name)).toBe('v');
  });
});

describe('getBoolean', () => {
  test.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['FALSE', false],
    ['', false],
    ['  true  ', true],
  ])('%j → %s', (value, expected) => {
    expect(getBoolean(src(value), 'x')).toBe(expected);
  });
  test.each(['yes', '1', 'on', 'tru'])('%j fails naming input, value and expectation', (value) => {
    expect(() => getBoolean(src(value), 'x')).toThrow(
      `Input "x" has value "${value}": expected true or false`,
    );
  });
});

describe('getList', () => {
  test.each([
    ['', []],
    ['a', ['a']],
    ['a,b', ['a', 'b']],
    [' a , b ,, c ', ['a', 'b', 'c']],
    ['a\nb\n\nc', ['a', 'b', 'c']],
    ['a, b\nc', ['a', 'b', 'c']],
  ])('%j → %j', (value, expected) => {
    expect(getList(src(value), 'x')).toEqual(expected);
  });
});

describe('getKeyValues', () => {
  test.each([
    ['', []],
    ['A=1', [['A', '1']]],
    [
      'A=1\nB=x=y\n# comment\n\nC=',
      [
        ['A', '1'],
        ['B', 'x=y'],
        ['C', ''],
      ],
    ],
    ['NODE_IMAGE=local/standin/node:latest', [['NODE_IMAGE', 'local/standin/node:latest']]],
  ])('%j → %j', (value, expected) => {
    expect(getKeyValues(src(value), 'x')).toEqual(expected);
  });
  test.each(['NOEQUALS', '=value', '1A=b', 'A B=c'])('%j fails', (value) => {
    expect(() => getKeyValues(src(value), 'x')).toThrow(
      /Input "x" has value ".*": expected one KEY=VALUE per line/,
    );
  });
});

describe('getInt', () => {
  test.each([
    ['', 7],
    ['0', 0],
    ['90', 90],
    [' 5 ', 5],
  ])('%j → %d', (value, expected) => {
    expect(getInt(src(value), 'x', { default: 7, min: 0, max: 90 })).toBe(expected);
  });
  test.each([
    ['abc', 'a whole number from 0 to 90'],
    ['1.5', 'a whole number from 0 to 90'],
    ['91', 'a whole number from 0 to 90'],
    ['-1', 'a whole number from 0 to 90'],
  ])('%j fails: %s', (value, expectation) => {
    expect(() => getInt(src(value), 'x', { default: 7, min: 0, max: 90 })).toThrow(
      `Input "x" has value "${value}": expected ${expectation}`,
    );
  });
});

describe('getEnum', () => {
  test('default and accepted values', () => {
    expect(getEnum(src(''), 'x', ['warn', 'error'], 'warn')).toBe('warn');
    expect(getEnum(src('error'), 'x', ['warn', 'error'], 'warn')).toBe('error');
  });
  test('anything else fails listing the choices', () => {
    expect(() => getEnum(src('fail'), 'x', ['warn', 'error', 'ignore'], 'warn')).toThrow(
      'Input "x" has value "fail": expected one of warn, error, ignore',
    );
  });
});

describe('durations', () => {
  test.each([
    ['90', 90_000],
    ['1.5', 1500],
    ['90s', 90_000],
    ['500ms', 500],
    ['5m', 300_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['2h', 7_200_000],
  ])('%j → %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });
  test.each(['', 'abc', '5 minutes', '-5s', '5d', 'm5'])('%j is not a duration', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  test('getDuration names the input and enforces bounds', () => {
    expect(getDuration(src(''), 'timeout', { default: 1000 })).toBe(1000);
    expect(() =>
      getDuration(objectInputSource({ timeout: 'soon' }), 'timeout', { default: 1 }),
    ).toThrow(
      'Input "timeout" has value "soon": expected a duration such as 90s, 5m, 1h30m or a number of seconds',
    );
    expect(() =>
      getDuration(objectInputSource({ timeout: '500ms' }), 'timeout', { default: 1, min: 1000 }),
    ).toThrow(/at least 1s/);
  });
});

test('getString: required and default', () => {
  expect(getString(src(''), 'x', { default: 'd' })).toBe('d');
  expect(getString(src('  v '), 'x')).toBe('v');
  expect(() => getString(src(''), 'x', { required: true })).toThrow(
    'Input "x" has value "": expected a value (this input is required)',
  );
});
