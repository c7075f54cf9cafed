/** http-degraded: a URL gives the degraded answer (e.g. a fast JSON 503), never a hang. */
import { z } from 'zod';
import { humanDuration } from '../../../shared/src/summary.ts';
import { describeHttp } from '../http.ts';
import { describeWant, httpMatches, resolveUrl } from '../probes.ts';
import { duration, jsonFields, name, url, weight } from '../schema-parts.ts';
import { defineExpectation, fmt, timedResult } from './kind.ts';

const schema = z.strictObject({
  name,
  type: z.literal('http-degraded'),
  url,
  status: z.number().int().min(100).max(599).default(503),
  'json-code': z.string().min(1).optional(),
  json: jsonFields,
  within: duration,
  'max-response-time': duration.default(2000),
  weight,
});

export const httpDegraded = defineExpectation<z.output<typeof schema>>({
  type: 'http-degraded',
  schema,
  source: 'probe',
  weight: 1,
  async check(x, ctx) {
    const target = await resolveUrl(x.url, ctx.targets);
    const response = await ctx.http.get(target, x['max-response-time'] + 1000);
    const responseMs = response.endedAt - response.startedAt;
    const detail = `GET ${target}: ${describeHttp(response)}`;
    return httpMatches(response, x.status, x['json-code'], x.json)
      ? { at: response.endedAt, detail, responseMs }
      : { detail, responseMs };
  },
  evaluate(x, facts, experiment) {
    const seen = facts.observed[x.name];
    const slowest = Math.max(seen?.slowestMs ?? 0, facts.slowestDuringFaultMs ?? 0);
    const fast = slowest <= x['max-response-time'];
    const want = describeWant(x.status, x['json-code'], x.json);
    return timedResult(
      x,
      experiment,
      facts,
      `${x.url} answers ${want} within ${humanDuration(x.within)}, every response under ${humanDuration(x['max-response-time'])}`,
      seen?.at,
      'http-probe',
      {
        ok: fast,
        detail: `; slowest response ${fmt(slowest)}${fast ? '' : ` — over ${humanDuration(x['max-response-time'])}`}`,
      },
    );
  },
});
