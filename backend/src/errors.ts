import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import type { Logger } from './logger.ts';

/** The one shape of every error this API returns. */
export interface ErrorBody {
  error: {
    status: number;
    code: string;
    message: string;
    /** Validation errors only: what is wrong with each field, by field name. */
    fields?: Record<string, string>;
  };
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string>,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

export function errorBody(
  status: number,
  code: string,
  message: string,
  fields?: Record<string, string>,
): ErrorBody {
  return { error: fields ? { status, code, message, fields } : { status, code, message } };
}

// Errors raised by body-parser carry a `type`; map them to what the client did wrong.
const BODY_PARSER_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.parse.failed': {
    status: 400,
    code: 'malformed_json',
    message: 'Request body is not valid JSON',
  },
  'entity.too.large': {
    status: 413,
    code: 'payload_too_large',
    message: 'Request body is too large',
  },
  'encoding.unsupported': {
    status: 415,
    code: 'unsupported_encoding',
    message: 'Content-Encoding is not supported',
  },
  'charset.unsupported': {
    status: 415,
    code: 'unsupported_charset',
    message: 'Charset is not supported; use utf-8',
  },
  'request.aborted': {
    status: 400,
    code: 'request_aborted',
    message: 'Request was aborted by the client',
  },
};

/** Requests that carry a body must say it is JSON. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    req.headers['transfer-encoding'] !== undefined ||
    Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is('application/json')) {
    next(new HttpError(415, 'unsupported_media_type', 'Request body must be application/json'));
    return;
  }
  next();
};

/**
 * For the routes that take a body: a JSON one, any JSON value (non-strict: `"str"`,
 * `1` and `null` are valid JSON; the route's validation says they are not an
 * object), at most `limit`. On the route, not in front of the router, so its
 * errors are counted under the route's template.
 */
export function jsonBody(limit: string): RequestHandler[] {
  return [requireJsonBody, express.json({ limit, strict: false })];
}

export function methodNotAllowed(allowed: readonly string[]): RequestHandler {
  const allow = allowed.join(', ');
  return (req, res) => {
    res.set('Allow', allow);
    res
      .status(405)
      .json(
        errorBody(
          405,
          'method_not_allowed',
          `Method ${req.method} is not allowed here; use ${allow}`,
        ),
      );
  };
}

export const notFound: RequestHandler = (req, res) => {
  res.status(404).json(errorBody(404, 'not_found', `No route for ${req.method} ${req.path}`));
};

/**
 * Last middleware: a JSON error for the client, no stack trace. A 500 is a bug:
 * logged at error with its stack. A 503 is an outage that the database's outage
 * log reports once, with its cause: each 503 only at debug.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const known = classify(err);
    if (known.status === 503) {
      logger.debug({ code: known.code, method: req.method }, 'request answered 503');
      // A client that may retry (the database is back within seconds) is told when.
      res.set('Retry-After', '1');
    } else if (known.status >= 500) {
      logger.error({ err, method: req.method, url: req.originalUrl }, 'request failed');
    }
    res.status(known.status).json(errorBody(known.status, known.code, known.message, known.fields));
  };
}

function classify(err: unknown): {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string> | undefined;
} {
  if (err instanceof HttpError)
    return { status: err.status, code: err.code, message: err.message, fields: err.fields };
  // The router could not percent-decode a path parameter (/api/notes/%ff).
  if (err instanceof URIError)
    return {
      status: 400,
      code: 'malformed_path',
      message: 'Request path has invalid percent-encoding',
    };
  const type =
    typeof err === 'object' && err !== null && 'type' in err ? String(err.type) : undefined;
  const mapped = type === undefined ? undefined : BODY_PARSER_ERRORS[type];
  if (mapped) return mapped;
  return { status: 500, code: 'internal_error', message: 'Internal server error' };
}
