import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from './support/demoServer.js';
import { sampleWaiters } from './support/sampler.js';
import { closeAndCollect, concurrentPolls, largestOverlapMs, preflightsFrom, report, subscribesOf, useStack } from './support/stack.js';
import { delivered, leaderOf, rowIds, Session, shownErrors, statuses, statusHistory, type Tab } from './support/tabs.js';
import type { LoggedRequest } from './support/financeService.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * Seed scenario 1, multi-tab leader election: three tabs of one session hold exactly one
 * long-poll between them; when the leader tab closes another takes over within 2 s, and the
 * events published during the hand-over reach every remaining tab. Run with Web Locks and
 * again with `navigator.locks` removed (the localStorage lease).
 */
const stack = useStack();
let session: Session | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

describe.each([
  { variant: 'Web Locks', removeLocks: false },
  { variant: 'localStorage lease (navigator.locks removed)', removeLocks: true },
])('multi-tab leader election with $variant', ({ variant, removeLocks }) => {
  it('one long-poll for three tabs; the leader closes, another takes over within 2 s; nothing is lost', async () => {
    const { service, demo, browser } = stack();
    const org = removeLocks ? 'org-leader-lease' : 'org-leader-locks';
    const sub = `${org}-user`;
    const startedAt = Date.now();
    session = await Session.open(browser, { serviceOrigin: service.baseUrl, removeLocks });
    for (const name of ['A', 'B', 'C']) await session.openTab(name, demo.pageUrl({ service, org, sub, tab: name }));
    const tabs = session.tabs;
    expect(await (tabs[0] as Tab).page.evaluate(() => 'locks' in navigator)).toBe(!removeLocks);

    const settled = await waitFor(
      () => statuses(tabs),
      (shown) => shown.filter((s) => s.role === 'leader').length === 1 && shown.every((s) => s.connection === 'connected'),
      5_000,
    );
    expect(settled.map((s) => s.role).sort()).toEqual(['follower', 'follower', 'leader']);
    expect(settled.every((s) => s.connection === 'connected')).toBe(true);
    expect(await waitFor(async () => (await service.metrics()).waiters, (waiters) => waiters === 1, 5_000)).toBe(1);
    const waiters = sampleWaiters(service);

    let next = 0;
    const created = (count: number, memo: string): Change[] =>
      Array.from({ length: count }, () => {
        next += 1;
        return { type: 'transaction.created', row: { id: `tx-${next}`, amount: next * 10, memo } };
      });
    await demo.commit(service, org, created(5, 'before'));
    const before = await waitFor(() => Promise.all(tabs.map(rowIds)), (all) => all.every((ids) => ids.length === 5), 5_000);
    expect(before.map((ids) => ids.length)).toEqual([5, 5, 5]);

    const leader = (await leaderOf(tabs)) as Tab;
    expect(leader).not.toBeNull();
    const survivors = tabs.filter((tab) => tab !== leader);
    const closedAt = Date.now();
    const closing = leader.page.close();
    // Published while the leader goes and another tab takes over.
    await demo.commit(service, org, created(3, 'hand-over'));
    await closing;
    await demo.commit(service, org, created(3, 'hand-over'));
    const after = await waitFor(
      () => statuses(survivors),
      (shown) => shown.filter((s) => s.role === 'leader').length === 1,
      5_000,
    );
    expect(after.filter((s) => s.role === 'leader')).toHaveLength(1);
    const newLeader = survivors[after.findIndex((s) => s.role === 'leader')] as Tab;
    const becameLeaderAt = (await statusHistory(newLeader)).find((s) => s.role === 'leader' && s.at >= closedAt)?.at ?? Number.NaN;
    const takeoverMs = becameLeaderAt - closedAt;
    expect(takeoverMs, 'ms from closing the leader to another tab showing leader').toBeLessThan(2_000);
    await sleep(300);
    await demo.commit(service, org, created(3, 'after'));

    const expected = demo.rows(org).map((row) => row.id);
    expect(expected).toHaveLength(14);
    const shown = await waitFor(
      () => Promise.all(survivors.map(rowIds)),
      (all) => all.every((ids) => ids.length === expected.length),
      5_000,
    );
    for (const ids of shown) expect([...ids].sort()).toEqual([...expected].sort());
    for (const tab of survivors) {
      const ids = await delivered(tab);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await shownErrors(tab)).toEqual([]);
      expect(tab.pageErrors).toEqual([]);
    }

    // What the server saw: one parked poll at a time, sent by the leader tab of the moment.
    const samples = await waiters.stop();
    const requests = await closeAndCollect(service, session);
    const polls = subscribesOf(requests, sub);
    const newLeaderFirstPoll = polls.find((poll) => poll.claims?.tab === newLeader.name);
    const serverTakeoverMs = (newLeaderFirstPoll?.startMs ?? Number.NaN) - closedAt;
    const overlapping = concurrentPolls(polls, closedAt);
    report(`multi-tab-leader (${variant})`, {
      takeoverMs,
      serverTakeoverMs,
      subscribeRequests: polls.length,
      maxParkedSampled: Math.max(...samples),
      waiterSamples: samples.length,
      largestLogOverlapMs: largestOverlapMs(polls),
      preflights: preflightsFrom(requests, demo.origin).filter((preflight) => preflight.startMs >= startedAt).length,
    });
    expect(Math.max(...samples), `parked polls sampled every 50 ms: ${samples.join(',')}`).toBe(1);
    expect(overlapping, 'subscribe requests in flight at the same time (ms from the close)').toEqual([]);
    // Each poll came from the leader of its moment: the old one up to the new one's first poll.
    const tabsOf = (selected: readonly LoggedRequest[]) => new Set(selected.map((poll) => poll.claims?.tab));
    const handOverAt = newLeaderFirstPoll?.startMs ?? Infinity;
    expect(tabsOf(polls.filter((poll) => poll.startMs < handOverAt)), 'tabs that polled before the hand-over').toEqual(new Set([leader.name]));
    expect(tabsOf(polls.filter((poll) => poll.startMs >= handOverAt)), 'tabs that polled from the hand-over on').toEqual(new Set([newLeader.name]));
    expect(serverTakeoverMs, 'first poll of the new leader, ms after the close').toBeLessThan(2_000);
    // Followers never sent anything (Chromium's own record of each page's requests).
    for (const tab of tabs) {
      if (tab !== leader && tab !== newLeader) expect(tab.serviceRequests, `requests of follower ${tab.name}`).toEqual([]);
    }
  });
});
