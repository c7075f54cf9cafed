import { describe, expect, test } from 'vitest';
import { parseAnnotations, parseFileCommands, parsePathFile } from '../file-commands.ts';
import { shouldRunPost } from '../local-runner.ts';

describe('file commands (GITHUB_OUTPUT, GITHUB_STATE, GITHUB_ENV)', () => {
  test.each([
    ['', {}],
    ['a=1\n', { a: '1' }],
    ['a=x=y\n', { a: 'x=y' }],
    ['a=1\na=2\n', { a: '2' }],
    ['json<<ghadelimiter_1\n{"a":1}\nghadelimiter_1\n', { json: '{"a":1}' }],
    ['tags<<EOF\nx:dev\nx:abc\nEOF\nnext=1\n', { tags: 'x:dev\nx:abc', next: '1' }],
    ['empty<<EOF\nEOF\n', { empty: '' }],
    ['crlf=1\r\nb<<D\r\nl1\r\nD\r\n', { crlf: '1', b: 'l1' }],
    ['eq<<D\na=b\nD\n', { eq: 'a=b' }],
  ])('%j', (content, expected) => {
    expect(parseFileCommands(content)).toEqual(expected);
  });
  test('a missing closing delimiter is an error', () => {
    expect(() => parseFileCommands('a<<EOF\nline\n')).toThrow("Matching delimiter not found 'EOF'");
  });
  test('GITHUB_PATH is one directory per line', () => {
    expect(parsePathFile('/a\n\n/b\n')).toEqual(['/a', '/b']);
  });
});

test('annotations are decoded from workflow commands', () => {
  expect(
    parseAnnotations(
      'plain\n::error::Input "x" failed%0Aline 2\n::warning file=a.ts,line=1::careful\n::notice::n\n::debug::d\n',
    ),
  ).toEqual([
    { level: 'error', message: 'Input "x" failed\nline 2' },
    { level: 'warning', message: 'careful' },
    { level: 'notice', message: 'n' },
  ]);
});

test.each([
  [undefined, true, true],
  [undefined, false, false],
  ['success()', false, false],
  ['always()', false, true],
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a GitHub expression, not a template
  ['${{ always() }}', false, true],
  ['failure()', false, true],
  ['failure()', true, false],
  ['!cancelled()', false, true],
])('post-if %s with main succeeded=%s runs post: %s', (postIf, succeeded, runs) => {
  expect(shouldRunPost(postIf, succeeded)).toBe(runs);
});
