import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchChromium } from './chromium.js';
import { startDemoServer, type DemoServer } from './demoServer.js';
import { startFinanceService, type FinanceService, type LoggedRequest } from './financeService.js';
import type { Session } from './tabs.js';
import { overlaps, waitFor } from './wait.js';

/** What a scenario runs against: the real finance service, the demo page's origin, Chromium. */
export interface Stack {
  readonly service: FinanceService;
  readonly demo: DemoServer;
  readonly browser: Browser;
}

/**
 * Starts a fresh stack before the file's tests and stops it after them, so the service's
 * metrics and access log belong to this scenario alone. Returns a getter for the tests.
 */
export function useStack(options: { readonly maxWait?: string } = {}): () => Stack {
  let stack: Stack | null = null;
  let startError: unknown = null;
  let demo: DemoServer | null = null;
  let service: FinanceService | null = null;
  let browser: Browser | null = null;
  beforeAll(async () => {
    // A failed start is kept and thrown by every test (below), so each one fails with the
    // reason, e.g. "Chromium not found": nothing is ever reported as skipped.
    try {
      demo = await startDemoServer();
      const corsOrigin = demo.origin;
      const [serviceResult, browserResult] = await Promise.allSettled([
        startFinanceService({ corsOrigin, ...(options.maxWait === undefined ? {} : { maxWait: options.maxWait }) }),
        launchChromium(),
      ]);
      if (serviceResult.status === 'fulfilled') service = serviceResult.value;
      if (browserResult.status === 'fulfilled') browser = browserResult.value;
      if (browserResult.status === 'rejected') throw browserResult.reason;
      if (serviceResult.status === 'rejected') throw serviceResult.reason;
      stack = { service: serviceResult.value, demo, browser: browserResult.value };
    } catch (error) {
      startError = error;
    }
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await service?.stop();
    await demo?.close();
  }, 30_000);
  return () => {
    if (startError !== null) throw startError;
    if (stack === null) throw new Error('the stack did not start');
    return stack;
  };
}

/**
 * How far the access log's end of a request may trail its real end. The log stamps a request
 * when it writes the line, a little after the response went out (or after the service noticed
 * an aborted poll), so the next poll of the same loop can appear to start a few milliseconds
 * before the previous one "ended". A second real long-poll would be parked for seconds, far
 * beyond this, so the tolerance hides only the log's own lag.
 */
export const LOG_SKEW_MS = 50;

/** Returns the pairs of polls in flight at the same time beyond the log's own lag, described. */
export function concurrentPolls(polls: readonly LoggedRequest[], originMs: number): string[] {
  const describe = (poll: LoggedRequest) => `${poll.claims?.tab ?? '?'}@${poll.startMs - originMs}..${poll.endMs - originMs}ms`;
  return overlaps(polls)
    .filter(({ overlapMs }) => overlapMs > LOG_SKEW_MS)
    .map(({ first, second, overlapMs }) => `${describe(first)} & ${describe(second)} overlap ${overlapMs} ms`);
}

/** The largest overlap of two polls in the log (0 when none), within the log's lag or not. */
export function largestOverlapMs(polls: readonly LoggedRequest[]): number {
  return Math.max(0, ...overlaps(polls).map(({ overlapMs }) => overlapMs));
}

/**
 * Closes the session's tabs, waits until the service has no parked poll left (so every request
 * they sent has ended and is logged), and returns the access log up to the closing: requests
 * started while the tabs were closing one by one (a hand-over to a tab about to go) are the
 * closing's, not the scenario's.
 */
export async function closeAndCollect(service: FinanceService, session: Session): Promise<LoggedRequest[]> {
  const closingAt = Date.now();
  await session.close();
  await waitFor(async () => (await service.metrics()).waiters, (waiters) => waiters === 0, 5_000);
  return (await service.requests()).filter((request) => request.startMs < closingAt);
}

/** Subscribe requests (not preflights) a session's tokens carried, oldest first. */
export function subscribesOf(requests: readonly LoggedRequest[], sub: string): LoggedRequest[] {
  return requests
    .filter((request) => request.method === 'GET' && request.path === '/finance/realtime/subscribe' && request.claims?.sub === sub)
    .sort((a, b) => a.startMs - b.startMs);
}

/** Preflights the service answered for the page origin, oldest first. */
export function preflightsFrom(requests: readonly LoggedRequest[], origin: string): LoggedRequest[] {
  return requests
    .filter((request) => request.method === 'OPTIONS' && request.origin === origin)
    .sort((a, b) => a.startMs - b.startMs);
}

/** Prints a scenario's measured figures where CI shows them (one line, greppable). */
export function report(scenario: string, figures: Readonly<Record<string, unknown>>): void {
  const text = Object.entries(figures)
    .map(([key, value]) => `${key}=${typeof value === 'number' ? Math.round(value * 10) / 10 : String(value)}`)
    .join(' ');
  console.log(`[e2e] ${scenario}: ${text}`);
}
