import { afterAll, describe, expect, it } from 'vitest';
import { closeAndCollect, preflightsFrom, report, subscribesOf, useStack } from './support/stack.js';
import { rowIds, Session, shownErrors, statuses } from './support/tabs.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * Idle check: three tabs of one session left alone for 60 s. At most 4 subscribe requests
 * reach the service (a handshake, then one long-poll per 25 s) and the CORS preflight is
 * cached (at most one for the whole tab set). The session still delivers afterwards.
 */
const stack = useStack();
let session: Session | null = null;

afterAll(async () => {
  await session?.close();
});

const IDLE_MS = 60_000;

describe('idle', () => {
  it('three idle tabs for 60 s: at most 4 subscribe requests and one preflight', async () => {
    const { service, demo, browser } = stack();
    const org = 'org-idle';
    const sub = `${org}-user`;
    const openedAt = Date.now();
    session = await Session.open(browser, { serviceOrigin: service.baseUrl });
    for (const name of ['A', 'B', 'C']) await session.openTab(name, demo.pageUrl({ service, org, sub, tab: name }));
    const tabs = session.tabs;
    await waitFor(() => statuses(tabs), (shown) => shown.every((s) => s.connection === 'connected'), 5_000);
    await sleep(openedAt + IDLE_MS - Date.now());

    // Still live after a minute of silence (this also ends the poll parked at the 60 s mark).
    await demo.commit(service, org, [{ type: 'transaction.created', row: { id: 'tx-after-idle', amount: 1, memo: 'idle' } }]);
    const shown = await waitFor(() => Promise.all(tabs.map(rowIds)), (all) => all.every((ids) => ids.includes('tx-after-idle')), 5_000);
    for (const ids of shown) expect(ids).toEqual(['tx-after-idle']);
    for (const tab of tabs) expect(await shownErrors(tab)).toEqual([]);

    const requests = (await closeAndCollect(service, session)).filter(
      (request) => request.startMs >= openedAt && request.startMs < openedAt + IDLE_MS,
    );
    const polls = subscribesOf(requests, sub);
    const preflights = preflightsFrom(requests, demo.origin);
    report('idle', {
      windowS: IDLE_MS / 1_000,
      tabs: tabs.length,
      subscribeRequests: polls.length,
      requestOffsetsS: polls.map((poll) => ((poll.startMs - openedAt) / 1_000).toFixed(1)).join('/'),
      preflights: preflights.length,
    });
    expect(polls.length).toBeLessThanOrEqual(4);
    expect(preflights.length).toBeLessThanOrEqual(1);
    expect(polls.every((poll) => poll.status === 200)).toBe(true);
  });
});
