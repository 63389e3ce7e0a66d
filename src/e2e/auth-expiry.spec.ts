import { afterAll, describe, expect, it } from 'vitest';
import { closeAndCollect, report, subscribesOf, useStack } from './support/stack.js';
import { delivered, rowIds, Session, shownErrors, statuses, statusHistory } from './support/tabs.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * Seed scenario 3, auth expiry: the session's first token expires a few seconds in, while
 * events keep coming. The expired token costs at most one 401; the client asks for a fresh
 * token once, continues from its cursor, and no event is lost.
 */
const stack = useStack();
let session: Session | null = null;

afterAll(async () => {
  await session?.close();
});

/** The first token of each tab lives this long (JWT `exp` has one-second resolution). */
const FIRST_TOKEN_SECONDS = 5;
const PUBLISH_FOR_MS = 9_000;
const PACE_MS = 150;

describe('auth expiry', () => {
  it('a token expiring mid-session costs at most one 401; the client refreshes and loses nothing', async () => {
    const { service, demo, browser } = stack();
    const org = 'org-expiry';
    const sub = `${org}-user`;
    session = await Session.open(browser, { serviceOrigin: service.baseUrl });
    const ttls = [FIRST_TOKEN_SECONDS, 3_600];
    for (const name of ['A', 'B']) await session.openTab(name, demo.pageUrl({ service, org, sub, tab: name, ttls }));
    const tabs = session.tabs;
    await waitFor(() => statuses(tabs), (shown) => shown.every((s) => s.connection === 'connected'), 5_000);
    const firstEventAt = Date.now();

    // Events all along, before, across and after the token's expiry.
    let count = 0;
    while (Date.now() - firstEventAt < PUBLISH_FOR_MS) {
      await demo.commit(service, org, [{ type: 'transaction.created', row: { id: `tx-${count}`, amount: count, memo: 'expiry' } }]);
      count += 1;
      await sleep(PACE_MS);
    }
    const expected = demo.rows(org).map((row) => row.id).sort();
    const shown = await waitFor(() => Promise.all(tabs.map(rowIds)), (all) => all.every((ids) => ids.length === count), 5_000);
    for (const ids of shown) expect([...ids].sort()).toEqual(expected);

    for (const tab of tabs) {
      expect((await statusHistory(tab)).map((s) => s.connection)).not.toContain('paused-for-auth');
      const ids = await delivered(tab);
      expect(new Set(ids).size).toBe(ids.length);
      expect(await shownErrors(tab)).toEqual([]);
      expect(tab.pageErrors).toEqual([]);
    }
    expect((await statuses(tabs)).every((s) => s.connection === 'connected')).toBe(true);

    const tokenRequests = demo.requests.filter((request) => request.kind === 'token' && request.org === org);
    const polls = subscribesOf(await closeAndCollect(service, session), sub);
    const rejected = polls.filter((poll) => poll.status === 401);
    const firstRejected = rejected[0];
    const retry = firstRejected === undefined ? undefined : polls.find((poll) => poll.startMs >= firstRejected.endMs);
    report('auth-expiry', {
      events: count,
      subscribeRequests: polls.length,
      unauthorized: rejected.length,
      tokenRequests: tokenRequests.map((request) => `${request.tab}@${request.at - firstEventAt}ms`).join('/'),
      polls: polls.map((poll) => `${poll.claims?.tab}:${poll.status}@${poll.startMs - firstEventAt}`).slice(0, 6).join('/'),
      retryAfter401Ms: retry === undefined || firstRejected === undefined ? 'none' : retry.startMs - firstRejected.endMs,
    });
    // The expiry really happened mid-session (one 401, for a token past its exp, while events
    // were flowing), and only once.
    expect(rejected).toHaveLength(1);
    expect(firstRejected?.startMs, 'the 401 came after the first event was published').toBeGreaterThan(firstEventAt);
    expect((firstRejected?.claims?.exp ?? Infinity) * 1_000).toBeLessThanOrEqual(firstRejected?.startMs ?? 0);
    expect(retry?.status).toBe(200);
    expect(retry?.claims?.jti).not.toBe(firstRejected?.claims?.jti);
    expect(polls.filter((poll) => poll.status !== 200 && poll.status !== 401)).toEqual([]);
    // One token to start with and one refresh, asked by the leader tab only.
    expect(tokenRequests).toHaveLength(2);
  });
});
