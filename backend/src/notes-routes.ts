import { type NextFunction, type Request, type Response, Router } from 'express';
import { isUnavailable } from './database-errors.ts';
import { HttpError, jsonBody, methodNotAllowed } from './errors.ts';
import {
  fieldErrors,
  fingerprint,
  isValidIdempotencyKey,
  LIMIT_MAX,
  type NotesRepository,
  noteInput,
  parseId,
  parseLimit,
} from './notes.ts';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
/** Set on a POST answered from an earlier request with the same Idempotency-Key. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * /api/notes. Status codes a writer can rely on:
 * - POST 201 with the note; a retry with the same Idempotency-Key and body gets
 *   201 with the same note and `Idempotent-Replayed: true` (never a duplicate);
 *   the same key with another body gets 422 `idempotency_key_reused`.
 * - 400 `validation_failed` with `fields`, 400 `invalid_id`, 404 `not_found`.
 * - 503 `database_unavailable` (with Retry-After) while Postgres is unreachable,
 *   503 `database_not_configured` when the backend runs without DATABASE_URL.
 * Each call is one transaction, answered only after it committed.
 */
export function createNotesRouter(
  notes: NotesRepository | undefined,
  options: { bodyLimit: string },
): Router {
  const router = Router();
  if (notes === undefined) {
    // Declared routes, so these 503s are counted under their templates too.
    for (const path of ['/', '/:id']) router.route(path).all(notConfigured);
    return router;
  }

  router
    .route('/')
    .get(
      handle(async (req, res) => {
        const limit = parseLimit(req.query.limit);
        const before = req.query.before === undefined ? undefined : parseId(req.query.before);
        const fields: Record<string, string> = {};
        if (limit === undefined) fields.limit = `must be an integer from 1 to ${LIMIT_MAX}`;
        if (before === undefined && req.query.before !== undefined)
          fields.before = 'must be a note id (a positive integer)';
        if (limit === undefined || Object.keys(fields).length > 0)
          throw new HttpError(400, 'validation_failed', 'Invalid query parameters', fields);
        // One more than asked tells whether there is a next page.
        const page = await notes.list({ limit: limit + 1, before });
        const items = page.slice(0, limit);
        const last = items.at(-1);
        res.json({
          notes: items,
          nextBefore: page.length > limit && last ? last.id : null,
        });
      }),
    )
    .post(
      ...jsonBody(options.bodyLimit),
      handle(async (req, res) => {
        const key = req.get(IDEMPOTENCY_HEADER);
        if (key !== undefined && !isValidIdempotencyKey(key)) {
          throw new HttpError(400, 'validation_failed', 'Invalid Idempotency-Key header', {
            [IDEMPOTENCY_HEADER]: 'must be 1 to 255 printable ASCII characters',
          });
        }
        const parsed = noteInput.safeParse(req.body);
        if (!parsed.success) {
          throw new HttpError(
            400,
            'validation_failed',
            'Request body is not a valid note',
            fieldErrors(parsed.error),
          );
        }
        const result = await notes.create(
          parsed.data.text,
          key === undefined ? undefined : { key, fingerprint: fingerprint(parsed.data) },
        );
        if (result.kind === 'key_reused') {
          throw new HttpError(
            422,
            'idempotency_key_reused',
            'This Idempotency-Key was already used with a different request body',
          );
        }
        if (result.kind === 'replayed') res.set(REPLAYED_HEADER, 'true');
        res.status(201).location(`/api/notes/${result.note.id}`).json(result.note);
      }),
    )
    .all(methodNotAllowed(['GET', 'HEAD', 'POST']));

  router
    .route('/:id')
    .get(
      handle(async (req, res) => {
        const note = await notes.get(requireId(req.params.id));
        if (!note) throw noteNotFound();
        res.json(note);
      }),
    )
    .delete(
      handle(async (req, res) => {
        if (!(await notes.remove(requireId(req.params.id)))) throw noteNotFound();
        res.status(204).end();
      }),
    )
    .all(methodNotAllowed(['GET', 'HEAD', 'DELETE']));

  return router;
}

function requireId(value: unknown): number {
  const id = parseId(value);
  if (id === undefined)
    throw new HttpError(400, 'invalid_id', 'Note ids are positive integers', {
      id: 'must be a positive integer',
    });
  return id;
}

function notConfigured(): never {
  throw new HttpError(
    503,
    'database_not_configured',
    'Notes need a database; this backend runs without DATABASE_URL',
  );
}

function noteNotFound(): HttpError {
  return new HttpError(404, 'not_found', 'No note with this id');
}

/** An async handler whose database outages become 503s; other errors go to the error handler. */
function handle(
  body: (req: Request, res: Response) => Promise<void>,
): (req: Request, res: Response, next: NextFunction) => Promise<void> {
  return async (req, res, next) => {
    try {
      await body(req, res);
    } catch (error) {
      next(
        isUnavailable(error)
          ? new HttpError(503, 'database_unavailable', 'The database is not reachable; retry later')
          : error,
      );
    }
  };
}
