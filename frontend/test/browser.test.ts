import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type BackendProcess, startBackend } from '../../test/support/backend.ts';
import { stopAll } from '../../test/support/process.ts';
import { describeWithTools, which } from '../../test/support/tools.ts';
import { type RunningNginx, startNginx } from './nginx-config.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../test-results/frontend/', import.meta.url));

// Debian's Chromium, never a downloaded one. Playwright's launch() gives every
// run a fresh temporary user-data-dir and removes it on close.
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * The page's globals, typed here because the project's TypeScript has no DOM
 * lib. Functions handed to page.evaluate run in the page and read them from
 * globalThis; the type disappears at compile time.
 */
interface PageGlobals {
  document: {
    getElementById(id: string): { textContent: string | null } | null;
    documentElement: { scrollWidth: number; clientWidth: number };
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: { violatedDirective: string; blockedURI: string }) => void,
    ): void;
  };
  __cspViolations?: string[];
}

interface ConsoleEntry {
  type: string;
  text: string;
  url: string;
}

describeWithTools(['nginx', 'chromium'], 'status page in a real browser', () => {
  let backend: BackendProcess;
  let nginx: RunningNginx;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const console: ConsoleEntry[] = [];

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    backend = await startBackend();
    // Not the defaults: the links must follow the ports .env publishes the dashboards on.
    nginx = await startNginx(
      { port: backend.port },
      { dashboardPorts: { grafana: 3300, prometheus: 9190 } },
    );
    browser = await chromium.launch({
      executablePath: which('chromium'),
      headless: true,
      args: CHROMIUM_ARGS,
    });
    // Reduced motion: no colour transition half-way through in the screenshots.
    context = await browser.newContext({
      viewport: { width: 1024, height: 720 },
      reducedMotion: 'reduce',
    });
    // Records CSP violations from inside the page (init scripts are exempt from CSP).
    await context.addInitScript(() => {
      const page = globalThis as unknown as PageGlobals;
      const seen: string[] = [];
      page.__cspViolations = seen;
      page.document.addEventListener('securitypolicyviolation', (event) => {
        seen.push(`${event.violatedDirective} ${event.blockedURI}`);
      });
    });
    page = await context.newPage();
    page.on('console', (message) =>
      console.push({ type: message.type(), text: message.text(), url: message.location().url }),
    );
    page.on('pageerror', (error) =>
      console.push({ type: 'pageerror', text: error.message, url: '' }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await nginx?.stop();
    await backend?.stop();
    await stopAll();
  });

  async function waitForState(state: 'Up' | 'Down' | 'Degraded', timeout = 10_000): Promise<void> {
    await page.waitForFunction(
      (expected) =>
        (globalThis as unknown as PageGlobals).document.getElementById('state-label')
          ?.textContent === expected,
      state,
      { timeout },
    );
  }

  const text = async (selector: string) => (await page.locator(selector).textContent()) ?? '';

  it('shows the backend up, with its version, uptime and latency', async () => {
    await page.goto(`${nginx.url}/`);
    await waitForState('Up');
    expect(await page.locator('#state-card').getAttribute('data-state')).toBe('up');
    expect(await text('#state-icon')).toBe('✓');
    expect(await text('#service-name')).toBe('backend');
    expect(await text('#backend-version')).not.toBe('–');
    expect(await text('#backend-uptime')).toMatch(/^\d+(s|m \d+s)$/);
    expect(await text('#api-latency')).toMatch(/^\d+ ms$/);
    expect(await text('#last-check')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(await page.locator('[aria-live="polite"]').textContent()).toMatch(/^Backend is up/);
    expect(await page.title()).toBe('Up · Service status');
    await page.screenshot({ path: join(SCREENSHOTS, '1-up.png'), fullPage: true });
  });

  it('links to Grafana and Prometheus on the host of the page, on the ports .env sets', async () => {
    // The links change once /links.json has answered.
    await expect
      .poll(() => page.locator('#link-grafana').getAttribute('href'), { timeout: 5000 })
      .toBe('http://127.0.0.1:3300/');
    expect(await page.locator('#link-prometheus').getAttribute('href')).toBe(
      'http://127.0.0.1:9190/',
    );
    expect(await text('#link-prometheus .port')).toBe('port 9190');
  });

  it('shows "down" and the reason within seconds of the backend stopping', async () => {
    await backend.stop();
    const started = Date.now();
    await waitForState('Down', 8000);
    expect(Date.now() - started).toBeLessThan(8000);
    expect(await page.locator('#state-card').getAttribute('data-state')).toBe('down');
    expect(await text('#state-icon')).toBe('✕');
    expect(await text('#state-reason')).toContain('not answering');
    expect(await text('#backend-version')).toBe('–');
    expect(await page.locator('[aria-live="polite"]').textContent()).toMatch(/^Backend is down/);
    await page.screenshot({ path: join(SCREENSHOTS, '2-down.png'), fullPage: true });
  });

  it('shows "up" again once a new backend listens on the same port', async () => {
    backend = await startBackend({}, backend.port);
    await waitForState('Up', 8000);
    expect(await text('#backend-uptime')).toMatch(/^\d+s$/);
    await page.screenshot({ path: join(SCREENSHOTS, '3-recovered.png'), fullPage: true });
  });

  it('broke no CSP rule and logged no error but the failed /api/ calls while down', async () => {
    const violations = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).__cspViolations,
    );
    expect(violations).toEqual([]);
    const unexpected = console.filter(
      (entry) =>
        (entry.type === 'error' || entry.type === 'pageerror') &&
        !(entry.url.endsWith('/api/status') && /status of 503/.test(entry.text)),
    );
    expect(unexpected).toEqual([]);
    expect(console.some((entry) => entry.url.endsWith('/api/status'))).toBe(true);
  });

  it('fits a 375 px wide phone without horizontal scrolling', async () => {
    await page.setViewportSize({ width: 375, height: 740 });
    await waitForState('Up');
    const overflow = await page.evaluate(() => {
      const { documentElement } = (globalThis as unknown as PageGlobals).document;
      return documentElement.scrollWidth - documentElement.clientWidth;
    });
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(SCREENSHOTS, '4-phone.png'), fullPage: true });
  });

  it('looks degraded when the backend answers but is draining (visual check)', async () => {
    // The only faked answer in this file: a draining backend is a 200 with
    // status "shutting_down" for a fraction of a second, too short to catch.
    await page.setViewportSize({ width: 1024, height: 720 });
    await page.route('**/api/status', (route) =>
      route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          service: 'backend',
          status: 'shutting_down',
          version: '1.0.0',
          commit: 'unknown',
          uptimeSeconds: 3725,
          requestsServed: 1234,
        }),
      }),
    );
    await waitForState('Degraded');
    expect(await text('#state-reason')).toContain('shutting_down');
    await page.screenshot({ path: join(SCREENSHOTS, '5-degraded.png'), fullPage: true });
    await page.unroute('**/api/status');
  });

  it('tells a reader without JavaScript where to look', async () => {
    const noJs = await browser.newContext({ javaScriptEnabled: false });
    try {
      const plain = await noJs.newPage();
      await plain.goto(`${nginx.url}/`);
      expect(await plain.locator('.notice').textContent()).toContain(
        'Live status needs JavaScript',
      );
      // The live parts would say "Checking…" for ever: hidden by noscript.css.
      expect(await plain.locator('#state-card').isVisible()).toBe(false);
      await plain.screenshot({ path: join(SCREENSHOTS, '6-no-javascript.png'), fullPage: true });
    } finally {
      await noJs.close();
    }
  });
});
