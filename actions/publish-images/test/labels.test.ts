import { expect, test } from 'vitest';
import { LABEL } from '../../shared/src/oci.ts';
import { labelProblems } from '../src/labels.ts';

const SHA = 'abcdef0123456789abcdef0123456789abcdef01';
const COMPLETE = {
  [LABEL.source]: 'https://github.com/o/r',
  [LABEL.revision]: SHA,
  [LABEL.created]: '2026-12-01T10:00:00.000Z',
  [LABEL.licenses]: 'MIT',
  [LABEL.version]: 'sha-abcdef0',
};

test.each([
  ['every label, this commit', COMPLETE, []],
  [
    'no labels at all (docker inspect says null)',
    null,
    Object.values(LABEL).map((l) => `no ${l} label`),
  ],
  ['no licenses', { ...COMPLETE, [LABEL.licenses]: '' }, [`no ${LABEL.licenses} label`]],
  [
    'another commit',
    { ...COMPLETE, [LABEL.revision]: 'f'.repeat(40) },
    [`${LABEL.revision} is ${'f'.repeat(40)}, not this commit ${SHA}`],
  ],
])('%s', (_, labels, problems) => {
  expect(labelProblems(labels, SHA)).toEqual(problems);
});
