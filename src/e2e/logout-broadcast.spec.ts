import { afterEach, describe, expect, it } from 'vitest';
import { closeAndCollect, preflightsFrom, report, subscribesOf, useStack } from './support/stack.js';
import { leaderOf, rowIds, Session, shownErrors, statuses, type Tab } from './support/tabs.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * Seed scenario 4, logout broadcast: after a logout in one tab every tab stops at once, the
 * server sees no further request from any of them, and no error shows. The logout comes from
 * the page's button (the client's `logout()`) or from app code posting the seed's message.
 */
const stack = useStack();
let session: Session | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

/** How long the test watches for requests after the logout. */
const WATCH_MS = 3_000;

describe('logout broadcast', () => {
  it.each([
    { how: 'the Log out button of a follower tab', org: 'org-logout-button' },
    { how: "app code posting {type:'logout'} on auth-control", org: 'org-logout-message' },
  ])('after a logout by $how, no tab sends anything and no error shows', async ({ how, org }) => {
    const { service, demo, browser } = stack();
    const sub = `${org}-user`;
    session = await Session.open(browser, { serviceOrigin: service.baseUrl });
    for (const name of ['A', 'B', 'C']) await session.openTab(name, demo.pageUrl({ service, org, sub, tab: name }));
    const tabs = session.tabs;
    await waitFor(() => statuses(tabs), (shown) => shown.every((s) => s.connection === 'connected'), 5_000);
    await demo.commit(service, org, [{ type: 'transaction.created', row: { id: 'tx-1', amount: 1, memo: 'before' } }]);
    await waitFor(() => Promise.all(tabs.map(rowIds)), (all) => all.every((ids) => ids.length === 1), 5_000);
    expect(await waitFor(async () => (await service.metrics()).waiters, (waiters) => waiters === 1, 5_000)).toBe(1);

    const leader = (await leaderOf(tabs)) as Tab;
    const actor = tabs.find((tab) => tab !== leader) as Tab;
    let logoutAt: number;
    if (how.startsWith('the Log out button')) {
      logoutAt = await actor.page.evaluate(() => {
        const at = Date.now();
        document.getElementById('logout')?.click();
        return at;
      });
    } else {
      logoutAt = await actor.page.evaluate(() => {
        const at = Date.now();
        const channel = new BroadcastChannel('auth-control');
        channel.postMessage({ type: 'logout', id: crypto.randomUUID(), ts: at });
        channel.close();
        return at;
      });
    }
    const stopped = await waitFor(() => statuses(tabs), (shown) => shown.every((s) => s.role === 'stopped'), 2_000);
    expect(stopped.map((s) => s.connection)).toEqual(['stopped', 'stopped', 'stopped']);
    const stoppedAfterMs = Date.now() - logoutAt;

    // Events keep coming after the logout: nobody may fetch them.
    await demo.commit(service, org, [{ type: 'transaction.created', row: { id: 'tx-2', amount: 2, memo: 'after' } }]);
    await sleep(WATCH_MS);

    const metrics = await service.metrics();
    for (const tab of tabs) {
      expect(tab.serviceRequests.filter((request) => request.at >= logoutAt)).toEqual([]);
      expect(await rowIds(tab)).toEqual(['tx-1']);
      expect(await shownErrors(tab)).toEqual([]);
      expect(tab.pageErrors).toEqual([]);
      expect(tab.consoleErrors).toEqual([]);
    }
    const requests = (await closeAndCollect(service, session)).filter((request) => request.startMs >= logoutAt);
    const polls = subscribesOf(requests, sub);
    const preflights = preflightsFrom(requests, demo.origin);
    report(`logout-broadcast (${how})`, {
      stoppedWithinMs: stoppedAfterMs,
      subscribesAfterLogout: polls.length,
      preflightsAfterLogout: preflights.length,
      browserRequestsAfterLogout: tabs.flatMap((tab) => tab.serviceRequests.filter((r) => r.at >= logoutAt)).length,
      parkedAfterLogout: metrics.waiters,
    });
    expect(polls).toEqual([]);
    expect(preflights).toEqual([]);
    expect(metrics.waiters, 'polls parked after the logout').toBe(0);
  });
});
