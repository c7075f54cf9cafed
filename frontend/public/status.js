// The status page's logic, kept free of the DOM and the network so it is
// tested with a plain table (frontend/test/status.test.ts) and runs unchanged
// in the browser as an ES module.

/** @typedef {'up' | 'down' | 'degraded'} BackendState */

// What the gateway (nginx) answers when it could not reach the backend at all.
const GATEWAY_STATUSES = new Set([502, 503, 504]);

/**
 * Turns the outcome of one `GET /api/status` into what the page shows.
 *
 * @param {{ ok: true, httpStatus: number, body: unknown } | { ok: false, error: string }} outcome
 *   `ok: true` when an HTTP response arrived (any status; `body` is the parsed
 *   JSON or undefined), `ok: false` when the request failed or timed out.
 * @returns {{ state: BackendState, reason: string, details: StatusDetails | undefined }}
 */
export function classify(outcome) {
  if (!outcome.ok) return down(outcome.error || 'request failed');
  const { httpStatus, body } = outcome;
  const apiError = errorOf(body);
  const unreachable = downReason(httpStatus, body, apiError);
  if (unreachable) return down(unreachable);
  const details = detailsOf(body);
  if (httpStatus < 200 || httpStatus > 299) {
    return { state: 'degraded', reason: httpReason(httpStatus, apiError, details), details };
  }
  return judgeDetails(details);
}

/** @returns {{ state: BackendState, reason: string, details: undefined }} */
function down(reason) {
  return { state: 'down', reason, details: undefined };
}

/**
 * Why no answer of the backend's arrived: the frontend says it is unavailable, or the
 * gateway answered with its own error page. Undefined when the backend answered.
 */
function downReason(httpStatus, body, apiError) {
  if (apiError?.code === 'backend_unavailable') return apiError.message || 'backend unavailable';
  if (GATEWAY_STATUSES.has(httpStatus) && !isRecord(body)) {
    return `gateway answered HTTP ${httpStatus}`;
  }
  return undefined;
}

/** "HTTP 500: why", with the API's error message or the reported status when there is one. */
function httpReason(httpStatus, apiError, details) {
  const why = apiError?.message || (details?.status ? `status ${details.status}` : '');
  return why ? `HTTP ${httpStatus}: ${why}` : `HTTP ${httpStatus}`;
}

/**
 * A 2xx answer, judged by what the backend reports.
 *
 * @param {StatusDetails | undefined} details
 * @returns {{ state: BackendState, reason: string, details: StatusDetails | undefined }}
 */
function judgeDetails(details) {
  if (details === undefined) {
    return { state: 'degraded', reason: 'unexpected response body', details: undefined };
  }
  if (details.status !== 'ok') {
    return { state: 'degraded', reason: `backend reports "${details.status}"`, details };
  }
  // The backend answers, but without its database it cannot serve notes.
  if (details.database === 'down') {
    return { state: 'degraded', reason: 'backend is up but its database is down', details };
  }
  return { state: 'up', reason: 'backend answered and reports ok', details };
}

/**
 * @typedef {{ service: string, status: string, version: string | undefined,
 *   commit: string | undefined, uptimeSeconds: number | undefined,
 *   requestsServed: number | undefined,
 *   database: 'up' | 'down' | 'not_configured' | undefined,
 *   notes: number | undefined }} StatusDetails
 */

const DATABASE_STATES = new Set(['up', 'down', 'not_configured']);

/** @returns {StatusDetails | undefined} */
function detailsOf(body) {
  if (!isRecord(body) || typeof body.status !== 'string') return undefined;
  return {
    service: typeof body.service === 'string' ? body.service : 'unknown',
    status: body.status,
    version: typeof body.version === 'string' ? body.version : undefined,
    commit: typeof body.commit === 'string' ? body.commit : undefined,
    uptimeSeconds: finite(body.uptimeSeconds),
    requestsServed: finite(body.requestsServed),
    database: DATABASE_STATES.has(body.database) ? body.database : undefined,
    notes: finite(body.notes),
  };
}

function errorOf(body) {
  if (!isRecord(body) || !isRecord(body.error)) return undefined;
  const { code, message } = body.error;
  return {
    code: typeof code === 'string' ? code : undefined,
    message: typeof message === 'string' ? message : undefined,
  };
}

function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function finite(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** 93784 → "1d 2h 3m"; 42.7 → "42s"; undefined → "–". */
export function formatUptime(seconds) {
  if (seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '–';
  const s = Math.floor(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h ${minutes}m`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  if (minutes > 0) return `${minutes}m ${s % 60}s`;
  return `${s}s`;
}

/** 'up' → "Up"; 'not_configured' → "Not configured"; undefined → "–". */
export function formatDatabase(state) {
  if (state === undefined) return '–';
  const text = state.replace('_', ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The ports the dashboards are published on when /links.json says nothing usable. */
export const DEFAULT_PORTS = Object.freeze({ grafana: 3000, prometheus: 9090 });

/**
 * The host ports in /links.json (the compose file's GRAFANA_PORT and PROMETHEUS_PORT, which
 * nginx renders into it): a port from 1 to 65535, or 0 when Docker picks one at random and
 * the page cannot know it. Anything else falls back to the default for that dashboard.
 */
export function parsePorts(json) {
  const port = (value, fallback) => {
    const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
    return Number.isInteger(n) && n >= 0 && n <= 65535 ? n : fallback;
  };
  const given = json && typeof json === 'object' ? json : {};
  return {
    grafana: port(given.grafana, DEFAULT_PORTS.grafana),
    prometheus: port(given.prometheus, DEFAULT_PORTS.prometheus),
  };
}

/** Links to the dashboards on the host name the page was loaded from; undefined for port 0. */
export function dashboardLinks(location, ports = DEFAULT_PORTS) {
  const protocol = location.protocol === 'https:' ? 'https:' : 'http:';
  const host = location.hostname.includes(':') ? `[${location.hostname}]` : location.hostname;
  const link = (port) => (port > 0 ? `${protocol}//${host}:${port}/` : undefined);
  return { grafana: link(ports.grafana), prometheus: link(ports.prometheus) };
}
