/** no-acknowledged-write-lost / no-duplicate-write: the writer's read-back after the recovery. */
import { z } from 'zod';
import { name, weight } from '../schema-parts.ts';
import type { WritesSummary } from '../writer.ts';
import { countResult, defineExpectation, type ExperimentShape } from './kind.ts';

const needsWriter = (x: { type: string }, e: ExperimentShape) =>
  e.workload?.writer === undefined
    ? { path: 'type', message: `${x.type} needs a writer: add workload.writer` }
    : undefined;

function writesResult(
  x: { name: string; type: 'no-acknowledged-write-lost' | 'no-duplicate-write' },
  writes: WritesSummary | undefined,
) {
  const lost = x.type === 'no-acknowledged-write-lost';
  const description = lost
    ? 'every acknowledged note (201 + id) is readable with its text after the recovery'
    : 'no note was stored twice (retries reuse their Idempotency-Key)';
  if (!writes)
    return countResult(
      x,
      description,
      null,
      'none',
      false,
      'not measured: the writer did not run or its notes were not read back',
    );
  const measured = lost ? writes.lost : writes.duplicated;
  const complete = writes.verified || measured > 0;
  const examples = lost
    ? writes.lostWrites.slice(0, 3).map((w) => `${w.key}: ${w.reason}`)
    : writes.duplicatedWrites.slice(0, 3).map((d) => `"${d.text}" stored as ${d.ids.join(', ')}`);
  return countResult(
    x,
    description,
    measured,
    'read-back',
    measured === 0 && writes.verified,
    `${measured} ${lost ? 'lost' : 'duplicated'} of ${writes.acknowledged} acknowledged (${writes.attempted} notes, ${writes.requests} requests, ${writes.replayed} acknowledged by a replay)${complete ? '' : `; read-back incomplete: ${writes.problems.join('; ')}`}${examples.length > 0 ? `: ${examples.join('; ')}` : ''}`,
  );
}

const lostSchema = z.strictObject({ name, type: z.literal('no-acknowledged-write-lost'), weight });
const duplicateSchema = z.strictObject({ name, type: z.literal('no-duplicate-write'), weight });

export const noWriteLost = defineExpectation<z.output<typeof lostSchema>>({
  type: 'no-acknowledged-write-lost',
  schema: lostSchema,
  source: 'probe',
  weight: 2,
  needs: ['notes'],
  refine: needsWriter,
  evaluate: (x, facts) => writesResult(x, facts.writes),
});

export const noDuplicateWrite = defineExpectation<z.output<typeof duplicateSchema>>({
  type: 'no-duplicate-write',
  schema: duplicateSchema,
  source: 'probe',
  weight: 2,
  needs: ['notes'],
  refine: needsWriter,
  evaluate: (x, facts) => writesResult(x, facts.writes),
});
