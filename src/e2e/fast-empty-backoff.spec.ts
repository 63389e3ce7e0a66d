import { afterAll, describe, expect, it } from 'vitest';
import { closeAndCollect, report, subscribesOf, useStack } from './support/stack.js';
import { Session, shownErrors, statuses } from './support/tabs.js';
import { sleep, waitFor } from './support/wait.js';

/**
 * Seed scenario 5, fast-empty backoff: the service answers every poll at once and empty
 * (`realtime.poll.max-wait=0s`, as a misbehaving proxy would). A session must stay under 10
 * requests a minute, not spin. Measured over a full minute: the client's backoff is steepest
 * in its first minute (every later minute sends fewer), so a shorter window scaled up would
 * overstate the rate and a longer one is not needed.
 */
const stack = useStack({ maxWait: '0s' });
let session: Session | null = null;

afterAll(async () => {
  await session?.close();
});

const WINDOW_MS = 60_000;

describe('fast-empty backoff', () => {
  it('stays under 10 subscribe requests per minute per session when every answer is empty and instant', async () => {
    const { service, demo, browser } = stack();
    const org = 'org-fast-empty';
    const sub = `${org}-user`;
    const openedAt = Date.now();
    session = await Session.open(browser, { serviceOrigin: service.baseUrl });
    for (const name of ['A', 'B']) await session.openTab(name, demo.pageUrl({ service, org, sub, tab: name }));
    await waitFor(() => statuses(session?.tabs ?? []), (shown) => shown.every((s) => s.connection === 'connected'), 5_000);
    await sleep(openedAt + WINDOW_MS - Date.now());
    const shown = await statuses(session.tabs);
    expect(shown.map((s) => s.connection)).toEqual(['connected', 'connected']);
    for (const tab of session.tabs) expect(await shownErrors(tab)).toEqual([]);

    const requests = await closeAndCollect(service, session);
    const polls = subscribesOf(requests, sub).filter((poll) => poll.startMs < openedAt + WINDOW_MS);
    const offsets = polls.map((poll) => ((poll.startMs - openedAt) / 1_000).toFixed(1));
    report('fast-empty-backoff', {
      windowS: WINDOW_MS / 1_000,
      subscribeRequests: polls.length,
      requestOffsetsS: offsets.join('/'),
      durationsMs: polls.map((poll) => poll.endMs - poll.startMs).join('/'),
    });
    // Really fast and empty: the service parked none of the polls (the handshake, on a cold
    // JVM, may take longer; it answers at once by design anyway).
    const slow = polls.filter((poll) => poll.status !== 200 || (poll.lastEventId !== null && poll.endMs - poll.startMs >= 1_500));
    expect(slow, 'polls that were not fast, empty 200s').toEqual([]);
    expect(polls.length, 'subscribe requests in the first minute').toBeLessThan(10);
    expect(polls.length, 'subscribe requests in the first minute (alive, not given up)').toBeGreaterThanOrEqual(3);
    const gaps = polls.slice(1).map((poll, index) => poll.startMs - (polls[index] as { startMs: number }).startMs);
    // After the handshake and the first poll, each pause is at least half a second and growing.
    for (const gap of gaps.slice(1)) expect(gap, `gaps between polls: ${gaps.join('/')} ms`).toBeGreaterThanOrEqual(500);
  });
});
