import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { financeEvent, flush, handshake, reply } from './fakes.js';
import { electionGroup, subscribeUrl } from '../realtimeClient.js';
import { advance, BASE, Browser } from './tabsHarness.js';

let browser: Browser;

beforeEach(() => {
  vi.useFakeTimers();
  browser = new Browser();
});

afterEach(() => {
  for (const tab of browser.tabs) tab.client.stop();
  expect(browser.server.authViolations).toEqual([]);
  vi.useRealTimers();
});

describe.each([
  ['Web Locks', false],
  ['localStorage lease', true],
])('leader election with %s', (_name, lease) => {
  it('three tabs hold exactly one long-poll, and every event reaches every tab once', async () => {
    const tabs = [browser.open({ lease }), browser.open({ lease }), browser.open({ lease })];
    await advance(100);
    expect(browser.leaders()).toHaveLength(1);
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    const events = [financeEvent(), financeEvent()];
    browser.server.only().reply(reply('k1.2', events));
    await flush(50);
    for (const tab of tabs) expect(tab.events()).toEqual(events);
    expect(browser.server.pending).toHaveLength(1);
    expect(tabs.map((tab) => tab.client.status.domains['finance']?.cursor)).toEqual(['k1.2', 'k1.2', 'k1.2']);
  });

  it('a new leader continues from the last cursor the old one broadcast: the hand-over loses nothing', async () => {
    browser.open({ lease });
    await advance(100);
    browser.open({ lease });
    browser.open({ lease });
    await advance(100);
    const [oldLeader] = browser.leaders();
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    const before = financeEvent();
    browser.server.only().reply(reply('k1.1', [before]));
    await flush(50);
    const inflight = browser.server.only();
    oldLeader!.client.stop();
    await flush(50);
    expect(inflight.aborted()).toBe(true);
    await advance(100);
    const survivors = browser.tabs.filter((tab) => tab !== oldLeader);
    expect(browser.leaders()).toHaveLength(1);
    const takeover = browser.server.only();
    expect(takeover.headers['Last-Event-ID']).toBe('k1.1');
    // Published during the hand-over: the new leader's first poll returns them.
    const during = [financeEvent(), financeEvent()];
    takeover.reply(reply('k1.3', during));
    await flush(50);
    for (const tab of survivors) {
      expect(tab.events()).toEqual([before, ...during]);
      // The old leader's own stop is not the session's state: no follower ever shows it.
      expect(tab.ofType('status').map(({ status }) => status.connection)).not.toContain('stopped');
    }
  });
});

describe('RealtimeClient', () => {
  it('dedupes an event that reaches a follower twice', async () => {
    const leader = browser.open();
    await advance(10);
    const follower = browser.open();
    await advance(10);
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    const event = financeEvent();
    browser.server.only().reply(reply('k1.1', [event]));
    await flush(50);
    // The same batch again, as a second leader (another page's election group) would send it.
    browser.channels('finance-events').postMessage({ kind: 'events', cursor: 'k1.1', events: [event] });
    await flush(50);
    expect(follower.events()).toEqual([event]);
    expect(leader.events()).toEqual([event]);
  });

  it('tells listeners about reset and the handshake config in every tab', async () => {
    const leader = browser.open();
    await advance(10);
    const follower = browser.open();
    await advance(10);
    browser.server.only().reply(handshake('k1.0', 1_500));
    await flush(50);
    browser.server.only().reply(reply('k2.7', [], /* reset= */ true));
    await flush(50);
    for (const tab of [leader, follower]) {
      expect(tab.ofType('reset')).toEqual([{ type: 'reset', domain: 'finance', cursor: 'k2.7' }]);
      expect(tab.ofType('config').at(-1)?.config.debounceMs).toBe(1_500);
    }
  });

  it('followers mirror the leader connection state, and know when they are offline themselves', async () => {
    browser.open();
    await advance(10);
    const follower = browser.open();
    await advance(10);
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    expect(follower.client.status).toMatchObject({ role: 'follower', connection: 'connected' });
    follower.online.setOnline(false);
    expect(follower.client.status.connection).toBe('offline');
    follower.online.setOnline(true);
    expect(follower.client.status.connection).toBe('connected');
  });

  it('a tab that joins an idle session learns the leader status and cursor (hello)', async () => {
    browser.open();
    await advance(10);
    browser.server.only().reply(handshake('k1.4', 1_300));
    await flush(50);
    const late = browser.open();
    await flush(50);
    expect(late.client.status.domains['finance']).toMatchObject({ connection: 'connected', cursor: 'k1.4' });
    expect(late.ofType('config').at(-1)?.config.debounceMs).toBe(1_300);
  });

  it('degraded mode shows in every tab, followers get the invalidation ticks, and it recovers', async () => {
    browser.open();
    await advance(10);
    const follower = browser.open();
    await advance(10);
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    for (let failure = 0; failure < 5; failure += 1) {
      browser.server.only().networkError();
      await advance(30_000);
    }
    expect(follower.client.status.connection).toBe('degraded');
    expect(follower.ofType('invalidate').length).toBeGreaterThanOrEqual(1);
    await advance(36_000);
    browser.server.only().reply(reply('k1.0'));
    await flush(50);
    expect(follower.client.status.connection).toBe('connected');
  });

  it('sends nothing while the browser is offline and catches up at once when it is back', async () => {
    const tabs = [browser.open(), browser.open()];
    await advance(10);
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    const inflight = browser.server.only();
    for (const tab of tabs) tab.online.setOnline(false);
    await flush(50);
    expect(inflight.aborted()).toBe(true);
    const sent = browser.server.requests.length;
    await advance(300_000);
    expect(browser.server.requests).toHaveLength(sent);
    expect(tabs.map((tab) => tab.client.status.connection)).toEqual(['offline', 'offline']);
    for (const tab of tabs) tab.online.setOnline(true);
    await flush(50);
    const catchUp = browser.server.only();
    expect(catchUp.headers['Last-Event-ID']).toBe('k1.0');
    const missed = [financeEvent(), financeEvent()];
    catchUp.reply(reply('k1.2', missed));
    await flush(50);
    for (const tab of tabs) expect(tab.events()).toEqual(missed);
  });

  it('one leader serves several domains: one loop per domain, one leader tab', async () => {
    const options = { domain: ['tasks', 'finance'] } as const;
    const tabs = [browser.open(options), browser.open(options), browser.open(options)];
    await advance(10);
    expect(browser.leaders()).toHaveLength(1);
    const urls = browser.server.pending.map((request) => request.url).sort();
    expect(urls).toEqual([`${BASE}/finance/realtime/subscribe`, `${BASE}/tasks/realtime/subscribe`]);
    expect(browser.locks.isHeld('finance+tasks-leader')).toBe(true);
    const tasksEvent = financeEvent({ type: 'task.updated' });
    browser.server.pending.find((request) => request.url.includes('/tasks/'))!.reply(reply('t1.1', [tasksEvent]));
    await flush(50);
    for (const tab of tabs) {
      expect(tab.ofType('events')).toEqual([{ type: 'events', domain: 'tasks', cursor: 't1.1', events: [tasksEvent] }]);
    }
  });

  it('several domains share auth: a 401 on both costs one token refresh', async () => {
    let token = 'old';
    const getToken = vi.fn(({ forceRefresh }: { forceRefresh: boolean }) => {
      if (forceRefresh) token = 'new';
      return token;
    });
    browser.open({ domain: ['finance', 'tasks'], getToken });
    await advance(10);
    for (const request of [...browser.server.pending]) request.problem(401, 'token_expired');
    await flush(50);
    expect(getToken.mock.calls.filter(([options]) => options.forceRefresh)).toHaveLength(1);
    expect(browser.server.pending.map((request) => request.headers['Authorization'])).toEqual([
      'Bearer new',
      'Bearer new',
    ]);
  });

  it('paused-for-auth shows in every tab, and resume() in a follower restarts the leader', async () => {
    let valid = false;
    const getToken = () => (valid ? 'good' : 'bad');
    browser.open({ getToken });
    await advance(10);
    const follower = browser.open({ getToken });
    await advance(10);
    browser.server.only().problem(401, 'token_invalid');
    await flush(50);
    browser.server.only().problem(401, 'token_invalid');
    await flush(50);
    expect(follower.client.status.connection).toBe('paused-for-auth');
    const sent = browser.server.requests.length;
    await advance(600_000);
    expect(browser.server.requests).toHaveLength(sent);
    valid = true;
    follower.client.resume();
    await flush(50);
    expect(browser.server.only().headers['Authorization']).toBe('Bearer good');
  });

  it('stop() removes every timer and channel it made', async () => {
    const tab = browser.open({ lease: true });
    await advance(100);
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    tab.client.stop();
    await flush(50);
    expect(vi.getTimerCount()).toBe(0);
    expect(browser.channels.openPorts()).toBe(0);
    expect(browser.storage.get('finance-leader-lease')).toBeNull();
  });

  it('rejects a domain without a base URL before opening anything', () => {
    expect(() =>
      browser.open({ domain: ['finance', 'tasks'], baseUrl: { finance: BASE } }),
    ).toThrow(/no baseUrl for domain tasks/);
    expect(browser.channels.openPorts()).toBe(0);
  });

  it('builds the constant subscribe URL and names election groups by sorted domains', () => {
    expect(subscribeUrl('http://h:1/api/', 'finance')).toBe('http://h:1/api/finance/realtime/subscribe');
    expect(subscribeUrl({ tasks: 'http://t' }, 'tasks')).toBe('http://t/tasks/realtime/subscribe');
    expect(electionGroup(['tasks', 'finance', 'tasks'])).toBe('finance+tasks');
  });
});
