// Polls the backend through the frontend's /api/ proxy and renders what
// status.js decides. Only DOM and network glue lives here.
import { classify, dashboardLinks, formatDatabase, formatUptime, parsePorts } from './status.js';

const POLL_INTERVAL_MS = 2000;
// Shorter than nginx's proxy_read_timeout (5 s): a hung backend shows as down
// on the page before the gateway gives up on it.
const FETCH_TIMEOUT_MS = 4000;

const LABELS = { up: 'Up', down: 'Down', degraded: 'Degraded' };
const ICONS = { up: '✓', down: '✕', degraded: '!' };

const $ = (id) => {
  const element = document.getElementById(id);
  if (!element) throw new Error(`status page: #${id} is missing`);
  return element;
};

const view = {
  card: $('state-card'),
  icon: $('state-icon'),
  announcement: $('state-announcement'),
  label: $('state-label'),
  reason: $('state-reason'),
  since: $('state-since'),
  lastCheck: $('last-check'),
  service: $('service-name'),
  version: $('backend-version'),
  commit: $('backend-commit'),
  uptime: $('backend-uptime'),
  requests: $('backend-requests'),
  database: $('backend-database'),
  notes: $('backend-notes'),
  latency: $('api-latency'),
  grafana: $('link-grafana'),
  prometheus: $('link-prometheus'),
};

let current = { state: undefined, reason: '', since: undefined };

async function check() {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), FETCH_TIMEOUT_MS);
  const started = performance.now();
  try {
    const res = await fetch('/api/status', {
      cache: 'no-store',
      headers: { Accept: 'application/json' },
      signal: controller.signal,
    });
    const type = res.headers.get('Content-Type') ?? '';
    const body = type.includes('json') ? await res.json().catch(() => undefined) : undefined;
    if (body === undefined) await res.text().catch(() => '');
    return { outcome: { ok: true, httpStatus: res.status, body }, latencyMs: since(started) };
  } catch (error) {
    const message = controller.signal.aborted
      ? `no answer within ${FETCH_TIMEOUT_MS / 1000} s`
      : error instanceof Error
        ? error.message
        : String(error);
    return { outcome: { ok: false, error: message }, latencyMs: since(started) };
  } finally {
    clearTimeout(timer);
  }
}

function since(started) {
  return performance.now() - started;
}

function render({ state, reason, details }, latencyMs, at) {
  if (state !== current.state) current = { state, reason, since: at };
  view.card.dataset.state = state;
  view.icon.textContent = ICONS[state];
  view.label.textContent = LABELS[state];
  view.reason.textContent = reason;
  view.since.textContent = `since ${clock(current.since)}`;
  view.since.dateTime = current.since.toISOString();
  view.lastCheck.textContent = clock(at);
  view.lastCheck.dateTime = at.toISOString();
  // The live region only changes when the state or its reason does, so a
  // screen reader announces transitions, not every poll.
  const announcement = `Backend is ${LABELS[state].toLowerCase()}: ${reason}`;
  if (view.announcement.textContent !== announcement) view.announcement.textContent = announcement;

  if (details) view.service.textContent = details.service;
  view.version.textContent = details?.version ?? '–';
  view.commit.textContent = details?.commit ? details.commit.slice(0, 12) : '–';
  view.uptime.textContent = formatUptime(details?.uptimeSeconds);
  view.requests.textContent =
    details?.requestsServed === undefined ? '–' : details.requestsServed.toLocaleString('en');
  view.database.textContent = formatDatabase(details?.database);
  view.notes.textContent = details?.notes === undefined ? '–' : details.notes.toLocaleString('en');
  view.latency.textContent = `${Math.round(latencyMs)} ms`;
  document.title = `${LABELS[state]} · Service status`;
}

function clock(date) {
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

async function loop() {
  const started = performance.now();
  const { outcome, latencyMs } = await check();
  render(classify(outcome), latencyMs, new Date());
  setTimeout(loop, Math.max(0, POLL_INTERVAL_MS - since(started)));
}

/** A dashboard link: its URL and port, or no link when Docker chose the port. */
function showLink(anchor, url, port) {
  const label = anchor.querySelector('.port');
  if (url) anchor.href = url;
  else anchor.removeAttribute('href');
  if (label) label.textContent = port > 0 ? `port ${port}` : 'port chosen by Docker';
}

async function showDashboards() {
  let ports = parsePorts(undefined);
  try {
    const response = await fetch('/links.json', { cache: 'no-store' });
    if (response.ok) ports = parsePorts(await response.json());
  } catch {
    // The defaults stay: the page must not depend on this file.
  }
  const links = dashboardLinks(window.location, ports);
  showLink(view.grafana, links.grafana, ports.grafana);
  showLink(view.prometheus, links.prometheus, ports.prometheus);
}

void showDashboards();
void loop();
