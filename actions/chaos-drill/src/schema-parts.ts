/** zod pieces shared by the experiment, the fault drivers and the expectation kinds. */
import { z } from 'zod';
import { parseDuration } from '../../shared/src/inputs.ts';

export const duration = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const ms = parseDuration(String(value));
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'expected a duration such as 500ms, 7s, 1m or a number of seconds',
    });
    return z.NEVER;
  }
  return ms;
});

export const name = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and -');

export const serviceName = z.string().regex(/^[a-zA-Z0-9._-]+$/, 'expected a Compose service name');

export const url = z
  .string()
  .regex(
    /^(\{(frontend|backend|prometheus)\}|https?:\/\/[^\s/]+)\S*$/,
    'expected an http(s) URL, or one starting with {frontend}, {backend} or {prometheus}',
  );

/** Top-level fields a JSON body must have, e.g. { database: down } of /api/status. */
export const jsonFields = z
  .record(z.string().min(1), z.union([z.string(), z.number(), z.boolean(), z.null()]))
  .optional();

/** A byte size: 64m, 512k, 1g or a number of bytes. */
export const bytes = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const m = /^(\d+(?:\.\d+)?)\s*([kmg]?)b?$/i.exec(String(value).trim());
  if (!m) {
    ctx.addIssue({ code: 'custom', message: 'expected a size such as 64m, 512k or 1g' });
    return z.NEVER;
  }
  const unit = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase()] ?? 1;
  return Math.round(Number(m[1]) * unit);
});

/** How much an expectation counts in the resilience score (Litmus' probe weight, krkn-style). */
export const weight = z.number().int().min(0).max(10).optional();
