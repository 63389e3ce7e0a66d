import { loadavg } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import type { Change, Transaction } from './support/demoServer.js';
import { closeAndCollect, concurrentPolls, largestOverlapMs, report, subscribesOf, useStack } from './support/stack.js';
import { delivered, rows, Session, shownErrors, statuses, summary, summaryFetchTimes } from './support/tabs.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * Seed scenario 6, burst: 1,000 events within one second (creations and updates of the same
 * rows, in batches as a backend flushes them). Every tab ends with every row correct (the
 * latest values) and no duplicate, and the summary aggregate is refetched at most once per
 * debounce window (the service's hint: 1,200 ms for finance).
 */
const stack = useStack();
let session: Session | null = null;

afterAll(async () => {
  await session?.close();
});

const EVENTS = 1_000;
const ROWS = 400;
const BATCHES = 10;
const BATCH_EVERY_MS = 60;

/** A deterministic mix: row i is created at event i*2.5 or so, updates pick earlier rows. */
function burstChanges(): Change[][] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const changes: Change[] = [];
  let created = 0;
  for (let index = 0; index < EVENTS; index += 1) {
    const mustCreate = EVENTS - index <= ROWS - created;
    if (created === 0 || mustCreate || (created < ROWS && random() < ROWS / EVENTS)) {
      const row: Transaction = { id: `tx-${created}`, amount: created, memo: 'created' };
      created += 1;
      changes.push({ type: 'transaction.created', row });
    } else {
      const target = Math.floor(random() * created);
      const row: Transaction = { id: `tx-${target}`, amount: Math.round(random() * 100_000) / 100, memo: `update ${index}` };
      changes.push({ type: 'transaction.updated', row });
    }
  }
  const size = EVENTS / BATCHES;
  return Array.from({ length: BATCHES }, (_, batch) => changes.slice(batch * size, (batch + 1) * size));
}

describe('burst', () => {
  it(`${EVENTS} events in one second: every row correct in every tab, no duplicate, summary refetched at most once per debounce window`, async () => {
    const { service, demo, browser } = stack();
    const org = 'org-burst';
    const sub = `${org}-user`;
    session = await Session.open(browser, { serviceOrigin: service.baseUrl });
    for (const name of ['A', 'B', 'C']) await session.openTab(name, demo.pageUrl({ service, org, sub, tab: name }));
    const tabs = session.tabs;
    const connected = await waitFor(() => statuses(tabs), (shown) => shown.every((s) => s.connection === 'connected'), 5_000);
    expect(connected.map((s) => s.connection)).toEqual(['connected', 'connected', 'connected']);
    const debounceMs: number | undefined = await tabs[0]?.page.evaluate(() => window.demo?.realtime.status.domains['finance']?.config?.debounceMs);
    expect(debounceMs).toBe(1_200);
    expect(await waitFor(async () => (await service.metrics()).waiters, (waiters) => waiters === 1, 5_000)).toBe(1);

    // Warm the publish path up (another org, so the tabs see nothing): a cold first batch takes
    // a few hundred ms and would bunch the paced batches after it.
    for (let round = 0; round < 3; round += 1) {
      await service.publish(
        Array.from({ length: 100 }, (_, index) => ({ orgId: 'org-warm-up', type: 'transaction.created', entityId: `w-${index}`, payload: { id: `w-${index}` } })),
      );
    }
    const batches = burstChanges();
    const firstAt = Date.now();
    for (const [index, batch] of batches.entries()) {
      const due = firstAt + index * BATCH_EVERY_MS;
      if (Date.now() < due) await sleep(due - Date.now());
      await demo.commit(service, org, batch);
    }
    const lastAt = Date.now();
    const burstMs = lastAt - firstAt;

    const truth = demo.rows(org);
    expect(truth).toHaveLength(ROWS);
    const want = truth.map((row) => ({ id: row.id, memo: row.memo, amount: row.amount.toFixed(2) })).sort((a, b) => a.id.localeCompare(b.id));
    const shown = await waitFor(
      () => Promise.all(tabs.map(rows)),
      (all) => all.every((list) => JSON.stringify([...list].sort((a, b) => a.id.localeCompare(b.id))) === JSON.stringify(want)),
      10_000,
    );
    const settledMs = Date.now() - firstAt;
    for (const list of shown) {
      expect(new Set(list.map((row) => row.id)).size).toBe(list.length);
      expect([...list].sort((a, b) => a.id.localeCompare(b.id))).toEqual(want);
    }
    // The aggregate settles on the truth once the last debounce window has passed.
    const total = truth.reduce((sum, row) => sum + row.amount, 0).toFixed(2);
    const summaries = await waitFor(
      () => Promise.all(tabs.map(summary)),
      (all) => all.every((s) => s.count === String(ROWS) && s.total === total),
      (debounceMs ?? 1_200) + 3_000,
    );
    for (const shownSummary of summaries) expect({ count: shownSummary.count, total: shownSummary.total }).toEqual({ count: String(ROWS), total });

    const duplicates: string[] = [];
    const pageRefetches = new Map<string, number[]>();
    for (const tab of tabs) {
      pageRefetches.set(tab.name, (await summaryFetchTimes(tab)).filter((at) => at >= firstAt));
      const ids = await delivered(tab);
      if (new Set(ids).size !== ids.length) duplicates.push(tab.name);
      expect(await shownErrors(tab)).toEqual([]);
      expect(tab.pageErrors).toEqual([]);
    }
    expect(duplicates, 'tabs that were handed an event twice').toEqual([]);

    // Summary refetches per tab: never two within one debounce window as the page started them
    // (the backend sees them arrive with the network's and the machine's jitter on top).
    const debounceWindow = debounceMs ?? 1_200;
    const refetches = new Map<string, number[]>();
    for (const request of demo.requests) {
      if (request.kind !== 'summary' || request.org !== org || request.at < firstAt) continue;
      refetches.set(request.tab, [...(refetches.get(request.tab) ?? []), request.at]);
    }
    const gapsOf = (all: Map<string, number[]>) =>
      [...all.values()].flatMap((times) => times.slice(1).map((at, index) => at - (times[index] as number)));
    const gaps = gapsOf(pageRefetches);
    const serverGaps = gapsOf(refetches);
    const metrics = await service.metrics();
    const requests = await closeAndCollect(service, session);
    const polls = subscribesOf(requests, sub);
    // The burst as the service saw it: from the first publish received to the last one done.
    const publishes = requests.filter((request) => request.method === 'POST' && request.startMs >= firstAt - 2);
    const serverBurstMs = Math.max(...publishes.map((request) => request.endMs)) - Math.min(...publishes.map((request) => request.startMs));
    report('burst', {
      events: EVENTS,
      rows: ROWS,
      burstMs,
      serverBurstMs,
      allRowsCorrectAfterMs: settledMs,
      summaryRefetchesPerTab: tabs.map((tab) => (refetches.get(tab.name) ?? []).length).join('/'),
      minRefetchGapMs: gaps.length === 0 ? 'n/a' : Math.min(...gaps),
      minRefetchGapAtBackendMs: serverGaps.length === 0 ? 'n/a' : Math.min(...serverGaps),
      subscribeRequests: polls.length,
      resets: metrics.polls['reset'],
      droppedByCapacity: metrics.dropped['capacity'],
      largestLogOverlapMs: largestOverlapMs(polls),
      loadAverage1m: loadavg()[0],
    });
    for (const tab of tabs) {
      const times = refetches.get(tab.name) ?? [];
      expect(times.length, `summary refetches of tab ${tab.name}`).toBeGreaterThanOrEqual(1);
      // The burst and its tail fit in ceil(span / window) + 1 windows.
      expect(times.length, `summary refetches of tab ${tab.name}`).toBeLessThanOrEqual(Math.ceil((lastAt - firstAt) / debounceWindow) + 1);
      expect(pageRefetches.get(tab.name), `summary fetches started by tab ${tab.name}`).toHaveLength(times.length);
    }
    // A timer's few milliseconds of slack aside.
    for (const gap of gaps) expect(gap, 'ms between two summary fetches started by one tab').toBeGreaterThanOrEqual(debounceWindow - 20);
    expect(publishes).toHaveLength(BATCHES);
    expect(serverBurstMs, 'ms from the first publish received to the last one accepted').toBeLessThanOrEqual(1_000);
    expect(metrics.published).toBe(EVENTS + 300);
    expect(concurrentPolls(polls, firstAt), 'subscribe requests in flight at the same time').toEqual([]);
  });
});
