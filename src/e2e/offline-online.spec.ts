import { afterEach, describe, expect, it } from 'vitest';
import type { Change } from './support/demoServer.js';
import { closeAndCollect, report, subscribesOf, useStack } from './support/stack.js';
import { rows, Session, shownErrors, statuses } from './support/tabs.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * Seed scenario 7, offline/online: while the browser is offline no request goes out; back
 * online, the events published meanwhile appear within 2 s, from the cursor, or, when more
 * were published than the service kept (finance keeps 200 per org), through a reset and a
 * refetch of the source of truth.
 */
const stack = useStack();
let session: Session | null = null;

afterEach(async () => {
  await session?.close();
  session = null;
});

const OFFLINE_MS = 3_000;

describe('offline/online', () => {
  it.each([
    { case: 'a few events (continue from the cursor)', org: 'org-offline-few', whileOffline: 5 },
    { case: 'more events than the buffer keeps (reset, refetch)', org: 'org-offline-many', whileOffline: 250 },
  ])('sends nothing while offline; back online, shows $case within 2 s', async ({ case: name, org, whileOffline }) => {
    const { service, demo, browser } = stack();
    const sub = `${org}-user`;
    session = await Session.open(browser, { serviceOrigin: service.baseUrl });
    for (const tab of ['A', 'B']) await session.openTab(tab, demo.pageUrl({ service, org, sub, tab }));
    const tabs = session.tabs;
    await waitFor(() => statuses(tabs), (shown) => shown.every((s) => s.connection === 'connected'), 5_000);
    let next = 0;
    const created = (count: number, memo: string): Change[] =>
      Array.from({ length: count }, () => {
        next += 1;
        return { type: 'transaction.created', row: { id: `tx-${next}`, amount: next, memo } };
      });
    await demo.commit(service, org, created(2, 'online'));
    await waitFor(() => Promise.all(tabs.map(rows)), (all) => all.every((list) => list.length === 2), 5_000);

    await session.context.setOffline(true);
    const offline = await waitFor(() => statuses(tabs), (shown) => shown.every((s) => s.connection === 'offline'), 2_000);
    expect(offline.map((s) => s.connection)).toEqual(['offline', 'offline']);
    // The window starts once every tab says offline: a poll sent after the emulation was asked
    // for but before the page heard its 'offline' event went out while the page still believed
    // it was online (seen once in CI: the re-poll after the last online event, aborted 7 ms later).
    const offlineAt = Date.now();
    for (let sent = 0; sent < whileOffline; sent += 100) {
      await demo.commit(service, org, created(Math.min(100, whileOffline - sent), 'offline'));
    }
    await sleep(OFFLINE_MS);
    const onlineAt = Date.now();
    await session.context.setOffline(false);

    const want = demo.rows(org).map((row) => ({ id: row.id, memo: row.memo, amount: row.amount.toFixed(2) }));
    const shown = await waitFor(
      () => Promise.all(tabs.map(rows)),
      (all) => all.every((list) => JSON.stringify(list) === JSON.stringify(want)),
      5_000,
      10,
    );
    const caughtUpMs = Date.now() - onlineAt;
    for (const list of shown) expect(list).toEqual(want);
    expect(caughtUpMs).toBeLessThan(2_000);

    // Offline means silent: neither Chromium nor the service saw a request in that window.
    for (const tab of tabs) {
      expect(tab.serviceRequests.filter((request) => request.at > offlineAt && request.at < onlineAt)).toEqual([]);
      expect(await shownErrors(tab)).toEqual([]);
      expect(tab.pageErrors).toEqual([]);
    }
    expect((await statuses(tabs)).map((s) => s.connection)).toEqual(['connected', 'connected']);
    const polls = subscribesOf(await closeAndCollect(service, session), sub);
    const sentOffline = polls.filter((poll) => poll.startMs > offlineAt && poll.startMs < onlineAt);
    const firstBack = polls.find((poll) => poll.startMs >= onlineAt);
    const metrics = await service.metrics();
    const refetches = demo.requests.filter((request) => request.org === org && request.kind === 'transactions' && request.at >= onlineAt);
    report(`offline-online (${name})`, {
      eventsWhileOffline: whileOffline,
      caughtUpMs,
      firstPollAfterOnlineMs: firstBack === undefined ? 'none' : firstBack.startMs - onlineAt,
      subscribesWhileOffline: sentOffline.length,
      resets: metrics.polls['reset'],
      listRefetchesAfterOnline: refetches.length,
    });
    expect(sentOffline).toEqual([]);
    if (whileOffline > 200) expect(refetches.length).toBeGreaterThanOrEqual(tabs.length);
  });
});
