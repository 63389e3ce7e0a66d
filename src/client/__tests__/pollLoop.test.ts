import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { financeEvent, flush, handshake, reply } from './fakes.js';
import { advance, startLoop, URL, type Harness } from './loopHarness.js';

let harness: Harness | undefined;

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  expect(harness?.server.authViolations ?? []).toEqual([]);
  harness?.loop.stop();
  harness = undefined;
  vi.useRealTimers();
});

describe('PollLoop', () => {
  it('handshakes without a cursor, then sends the cursor in Last-Event-ID on the same URL', async () => {
    harness = startLoop();
    const { server, outputs } = harness;
    await flush();
    const first = server.only();
    expect(first.url).toBe(URL);
    expect(first.headers['Authorization']).toBe('Bearer token-1');
    expect(first.headers).not.toHaveProperty('Last-Event-ID');
    // Any explicit cache mode makes Chromium skip its preflight cache: one OPTIONS per poll.
    expect(first.init.cache).toBeUndefined();
    expect(first.init.method).toBe('GET');

    first.reply(handshake('k1.10', 1_500));
    await flush();
    expect(outputs).toEqual([{ type: 'config', config: { maxWaitMs: 25_000, debounceMs: 1_500 } }]);
    const second = server.only();
    expect(second.url).toBe(URL);
    expect(second.headers['Last-Event-ID']).toBe('k1.10');
    expect(harness.loop.state.connection).toBe('connected');
  });

  it('delivers a batch as one output and polls again at once with the batch cursor', async () => {
    harness = startLoop({ cursor: 'k1.10' });
    const { server, outputs } = harness;
    await flush();
    const events = [financeEvent(), financeEvent(), financeEvent()];
    server.only().reply(reply('k1.13', events));
    await flush();
    expect(outputs).toEqual([{ type: 'events', cursor: 'k1.13', events }]);
    expect(server.only().headers['Last-Event-ID']).toBe('k1.13');
  });

  it('reports reset with the new cursor and continues from it', async () => {
    harness = startLoop({ cursor: 'old.5' });
    const { server, outputs } = harness;
    await flush();
    server.only().reply(reply('k2.900', [], /* reset= */ true));
    await flush();
    expect(outputs).toEqual([{ type: 'reset', cursor: 'k2.900' }]);
    expect(server.only().headers['Last-Event-ID']).toBe('k2.900');
  });

  it('does not loop tightly on resets that keep coming back at once', async () => {
    harness = startLoop({ cursor: 'old.5' });
    const { server } = harness;
    await flush();
    server.only().reply(reply('k2.900', [], /* reset= */ true));
    await flush();
    server.only().reply(reply('k3.900', [], /* reset= */ true));
    await flush();
    expect(server.pending).toHaveLength(0);
    await advance(1_000);
    expect(server.pending).toHaveLength(1);
  });

  it('waits after a fast empty answer, growing the pause with each one in a row', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server } = harness;
    await flush();
    server.only().reply(reply('k1.1'));
    await flush();
    expect(server.pending).toHaveLength(0);
    await advance(999);
    expect(server.pending).toHaveLength(0);
    await advance(1);
    server.only().reply(reply('k1.1'));
    await flush();
    await advance(1_999);
    expect(server.pending).toHaveLength(0);
    await advance(1);
    expect(server.pending).toHaveLength(1);
  });

  it('polls again at once after an empty answer that parked for long', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server } = harness;
    await flush();
    await advance(25_000);
    server.only().reply(reply('k1.1'));
    await flush();
    expect(server.pending).toHaveLength(1);
    expect(harness.loop.state.fastEmptyStreak).toBe(0);
  });

  it('sends nothing while offline, aborts the poll in flight, and catches up at once when back', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server, online } = harness;
    await flush();
    const inflight = server.only();
    online.setOnline(false);
    await flush();
    expect(inflight.aborted()).toBe(true);
    expect(harness.loop.state.connection).toBe('offline');
    await advance(120_000);
    expect(server.requests).toHaveLength(1);
    online.setOnline(true);
    await flush();
    expect(server.only().headers['Last-Event-ID']).toBe('k1.1');
    expect(harness.loop.state.consecutiveFailures).toBe(0);
  });

  it('wakes from an error backoff at once when the network comes back', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server, online } = harness;
    await flush();
    online.setOnline(false);
    await flush();
    online.setOnline(true);
    await flush();
    expect(server.requests).toHaveLength(2);
  });

  it('stop() aborts the request in flight and nothing is sent afterwards', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server, statuses } = harness;
    await flush();
    const inflight = server.only();
    harness.loop.stop();
    await flush();
    expect(inflight.aborted()).toBe(true);
    await advance(300_000);
    expect(server.requests).toHaveLength(1);
    expect(statuses.at(-1)?.connection).toBe('stopped');
    await expect(harness.loop.done).resolves.toBeUndefined();
  });

  it('stop() during a backoff pause sends nothing more', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server } = harness;
    await flush();
    server.only().networkError();
    await flush();
    harness.loop.stop();
    await advance(300_000);
    expect(server.requests).toHaveLength(1);
  });
});
