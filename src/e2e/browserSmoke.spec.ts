import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStub, type Stub } from './stubService.js';

/**
 * The client in real headless Chromium against a stub service (see stubService.ts): Web Locks
 * and lease election, BroadcastChannel fan-out, hand-over, preflight caching and logout, as a
 * browser does them. Run with `npm run test:browser`; needs Debian's Chromium.
 */
const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

declare global {
  interface Window {
    received: string[];
    errors: string[];
    realtime: { readonly status: { readonly role: string; readonly connection: string }; logout(): void };
  }
}

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium, or set CHROMIUM_PATH`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
});

afterAll(async () => {
  await browser?.close();
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.each([
  ['Web Locks', ''],
  ['localStorage lease', '?lease'],
])('three tabs with %s', (_name, query) => {
  let stub: Stub;
  const pages: Page[] = [];

  beforeAll(async () => {
    stub = await startStub({ distDir: fileURLToPath(new URL('../dist/client', import.meta.url)), maxWaitMs: 25_000 });
    const context = await browser.newContext();
    for (let index = 0; index < 3; index += 1) {
      const page = await context.newPage();
      await page.goto(`${stub.pageOrigin}/${query}`);
      pages.push(page);
    }
  });

  afterAll(async () => {
    await stub?.close();
  });

  const roles = () => Promise.all(pages.map((page) => page.evaluate(() => window.realtime.status.role)));
  const received = (tabs: Page[]) => Promise.all(tabs.map((page) => page.evaluate(() => window.received)));

  it('keeps one long-poll for the session, hands over without loss, caches the preflight, and goes silent on logout', async () => {
    const settled = await waitFor(roles, (value) => value.filter((role) => role === 'leader').length === 1, 5_000);
    expect(settled.filter((role) => role === 'leader')).toHaveLength(1);
    await waitFor(async () => stub.stats.parked, (parked) => parked === 1, 5_000);
    expect(stub.stats.maxParked).toBe(1);

    stub.publish(5);
    const first = await waitFor(() => received(pages), (all) => all.every((ids) => ids.length === 5), 5_000);
    expect(first.map((ids) => ids.length)).toEqual([5, 5, 5]);

    const leader = pages[settled.indexOf('leader')] as Page;
    const survivors = pages.filter((page) => page !== leader);
    const closedAt = Date.now();
    await leader.close();
    stub.publish(3); // during the hand-over
    const after = await waitFor(
      () => Promise.all(survivors.map((page) => page.evaluate(() => window.realtime.status.role))),
      (value) => value.includes('leader'),
      5_000,
    );
    expect(after.filter((role) => role === 'leader')).toHaveLength(1);
    expect(Date.now() - closedAt).toBeLessThan(2_000);
    const all = await waitFor(() => received(survivors), (ids) => ids.every((list) => list.length === 8), 5_000);
    for (const ids of all) expect(new Set(ids).size).toBe(8);
    expect(stub.stats.maxParked).toBe(1);
    expect(stub.stats.preflights).toBeLessThanOrEqual(1);
    expect([...stub.stats.authorizations]).toEqual(['Bearer stub-token']);
    expect([...stub.stats.urls]).toEqual(['/finance/realtime/subscribe']);

    const follower = survivors[after.indexOf('follower')] as Page;
    await follower.evaluate(() => window.realtime.logout());
    await waitFor(() => Promise.all(survivors.map((page) => page.evaluate(() => window.realtime.status.role))), (value) => value.every((role) => role === 'stopped'), 2_000);
    const requestsAtLogout = stub.stats.subscribes;
    stub.publish(2);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(stub.stats.subscribes).toBe(requestsAtLogout);
    expect(stub.stats.parked).toBe(0);
    for (const page of survivors) expect(await page.evaluate(() => window.errors)).toEqual([]);
  });
});

describe('one tab', () => {
  it('sends nothing while offline and catches up from its cursor at once when back online', async () => {
    const stub = await startStub({ distDir: fileURLToPath(new URL('../dist/client', import.meta.url)), maxWaitMs: 25_000 });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${stub.pageOrigin}/`);
      await waitFor(async () => stub.stats.parked, (parked) => parked === 1, 5_000);
      await context.setOffline(true);
      await waitFor(() => page.evaluate(() => window.realtime.status.connection), (state) => state === 'offline', 2_000);
      const requestsOffline = stub.stats.subscribes;
      stub.publish(4);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(stub.stats.subscribes).toBe(requestsOffline);
      const backAt = Date.now();
      await context.setOffline(false);
      const ids = await waitFor(() => page.evaluate(() => window.received), (list) => list.length === 4, 5_000);
      expect(ids).toHaveLength(4);
      expect(Date.now() - backAt).toBeLessThan(2_000);
      expect(await page.evaluate(() => window.errors)).toEqual([]);
      await context.close();
    } finally {
      await stub.close();
    }
  });

  it('does not loop tightly when the service answers empty at once (max wait 0)', async () => {
    const stub = await startStub({ distDir: fileURLToPath(new URL('../dist/client', import.meta.url)), maxWaitMs: 0 });
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${stub.pageOrigin}/`);
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      // Handshake plus fast-empty polls at about 0, 0.5–1, 1.5–3, 3.5–7, 7.5–15 s: at most 6 in 10 s.
      expect(stub.stats.subscribes).toBeLessThanOrEqual(6);
      expect(stub.stats.subscribes).toBeGreaterThanOrEqual(3);
      await context.close();
    } finally {
      await stub.close();
    }
  });
});
