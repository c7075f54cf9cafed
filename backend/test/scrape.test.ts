import { Gauge, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createScrape } from '../src/scrape.ts';

/** A registry with one gauge whose collect() counts its calls (and can be made to fail). */
function countingRegistry(name: string) {
  const registry = new Registry();
  const state = { collects: 0, fail: false };
  new Gauge({
    name,
    help: `${name} help`,
    registers: [registry],
    collect() {
      state.collects += 1;
      if (state.fail) throw new Error(`${name} collect failed`);
      this.set(state.collects);
    },
  });
  return { registry, state };
}

function setup(maxAgeMs = 500) {
  const live = countingRegistry('live_metric');
  const slow = countingRegistry('slow_metric');
  const clock = { now: 1000 };
  const scrape = createScrape({
    live: live.registry,
    cached: { registry: slow.registry, maxAgeMs },
    now: () => clock.now,
  });
  return { scrape, live: live.state, slow: slow.state, clock };
}

describe('createScrape', () => {
  it('serves both registries in one text, with the live one fresh at every scrape', async () => {
    const { scrape, clock } = setup();
    const first = await scrape.render().then(String);
    expect(first).toContain('slow_metric 1');
    expect(first).toContain('live_metric 1');
    clock.now += 100;
    const second = await scrape.render().then(String);
    expect(second).toContain('live_metric 2');
    expect(second).toContain('slow_metric 1');
    expect(scrape.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('collects the cached registry at most once per maxAgeMs, and again once it is older', async () => {
    const { scrape, slow, clock } = setup(500);
    await scrape.render().then(String);
    clock.now += 499;
    await scrape.render().then(String);
    expect(slow.collects).toBe(1);
    clock.now += 1;
    expect(await scrape.render().then(String)).toContain('slow_metric 2');
    expect(slow.collects).toBe(2);
  });

  it('measures the age from when the cached text was rendered', async () => {
    const { scrape, slow, clock } = setup(500);
    await scrape.render().then(String); // rendered at 1000
    clock.now = 1400;
    await scrape.render().then(String);
    clock.now = 1600; // 600 ms after the rendering, 200 ms after the last scrape
    await scrape.render().then(String);
    expect(slow.collects).toBe(2);
  });

  it('shares one collection between concurrent scrapes', async () => {
    const { scrape, slow, live } = setup();
    const texts = await Promise.all([
      scrape.render().then(String),
      scrape.render().then(String),
      scrape.render().then(String),
    ]);
    expect(slow.collects).toBe(1);
    expect(live.collects).toBe(3);
    for (const text of texts) expect(text).toContain('slow_metric 1');
  });

  it('a failed collection fails that scrape and is retried by the next one', async () => {
    const { scrape, slow } = setup();
    slow.fail = true;
    await expect(scrape.render().then(String)).rejects.toThrow('slow_metric collect failed');
    slow.fail = false;
    expect(await scrape.render().then(String)).toContain('slow_metric 2');
  });

  it('without a cached registry, serves the live one alone', async () => {
    const live = countingRegistry('live_metric');
    const text = String(await createScrape({ live: live.registry }).render());
    expect(text).toBe(
      '# HELP live_metric live_metric help\n# TYPE live_metric gauge\nlive_metric 1\n',
    );
  });
});
