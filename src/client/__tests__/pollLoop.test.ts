import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthSource } from '../authSource.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import { OnlineSource } from '../onlineSource.js';
import { PollLoop, type LoopOutput } from '../pollLoop.js';
import { systemTimeouts } from '../timeoutProvider.js';
import type { DomainStatus } from '../types.js';
import { FakeServer, financeEvent, flush, handshake, reply } from './fakes.js';

const URL = 'http://127.0.0.1:8080/finance/realtime/subscribe';

interface Harness {
  readonly server: FakeServer;
  readonly online: OnlineSource;
  readonly outputs: LoopOutput[];
  readonly statuses: DomainStatus[];
  readonly loop: PollLoop;
}

function startLoop(
  options: { cursor?: string | null; policy?: Partial<BackoffPolicy>; random?: () => number } = {},
): Harness {
  const server = new FakeServer();
  const online = new OnlineSource({ initial: true, setup: () => undefined });
  const outputs: LoopOutput[] = [];
  const statuses: DomainStatus[] = [];
  const loop = new PollLoop({
    url: URL,
    fetch: server.fetch,
    auth: new AuthSource(() => 'token-1'),
    online,
    timers: systemTimeouts,
    policy: { ...DEFAULT_BACKOFF, ...options.policy },
    random: options.random ?? (() => 1),
    initialCursor: options.cursor ?? null,
    onOutput: (output) => outputs.push(output),
    onStatus: (status) => statuses.push(status),
  });
  return { server, online, outputs, statuses, loop };
}

/** Advances fake time and lets the loop react. */
async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await flush();
}

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

  it('backs off exponentially on network errors', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server } = harness;
    await flush();
    server.only().networkError();
    await flush();
    await advance(499);
    expect(server.pending).toHaveLength(0);
    await advance(1);
    server.only().networkError();
    await flush();
    await advance(999);
    expect(server.pending).toHaveLength(0);
    await advance(1);
    expect(server.pending).toHaveLength(1);
    expect(harness.loop.state.consecutiveFailures).toBe(2);
  });

  it('honours Retry-After on 503 and 429', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server } = harness;
    await flush();
    server.only().problem(503, 'shutting_down', { 'Retry-After': '10' });
    await flush();
    await advance(9_999);
    expect(server.pending).toHaveLength(0);
    await advance(1);
    server.only().problem(429, 'too_many_polls', { 'Retry-After': '3' });
    await flush();
    await advance(2_999);
    expect(server.pending).toHaveLength(0);
    await advance(1);
    expect(server.pending).toHaveLength(1);
  });

  it('falls back to slow invalidation polling after 5 consecutive failures, and recovers by itself', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server, outputs, statuses } = harness;
    await flush();
    for (let failure = 1; failure <= 5; failure += 1) {
      server.only().problem(500, 'internal');
      await flush();
      if (failure < 5) await advance(30_000);
    }
    expect(harness.loop.state.connection).toBe('degraded');
    expect(outputs).toEqual([{ type: 'invalidate' }]);
    // Slow polling: nothing for at least 0.8 × 30 s, then one probe.
    await advance(23_999);
    expect(server.pending).toHaveLength(0);
    await advance(12_001);
    const probe = server.only();
    expect(probe.headers['Last-Event-ID']).toBe('k1.1');
    probe.networkError();
    await flush();
    expect(outputs).toEqual([{ type: 'invalidate' }, { type: 'invalidate' }]);
    await advance(36_000);
    const event = financeEvent();
    server.only().reply(reply('k1.2', [event]));
    await flush();
    expect(harness.loop.state.connection).toBe('connected');
    expect(harness.loop.state.consecutiveFailures).toBe(0);
    expect(statuses.map((status) => status.connection)).toContain('degraded');
    expect(outputs.at(-1)).toEqual({ type: 'events', cursor: 'k1.2', events: [event] });
    expect(server.pending).toHaveLength(1);
  });

  it('answers cursor_invalid with a reset and a fresh handshake', async () => {
    harness = startLoop({ cursor: 'garbage' });
    const { server, outputs } = harness;
    await flush();
    server.only().problem(400, 'cursor_invalid');
    await flush();
    expect(outputs).toEqual([{ type: 'reset', cursor: null }]);
    expect(server.only().headers).not.toHaveProperty('Last-Event-ID');
  });

  it('treats a 400 with another code as a failure, not a reset', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server, outputs } = harness;
    await flush();
    server.only().problem(400, 'something_else');
    await flush();
    expect(outputs).toEqual([]);
    expect(harness.loop.state.consecutiveFailures).toBe(1);
  });

  it('treats a 200 that is not a subscribe reply as a failure', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server } = harness;
    await flush();
    server.only().reply({ hello: 'proxy page' } as never);
    await flush();
    expect(harness.loop.state.consecutiveFailures).toBe(1);
    expect(harness.loop.state.cursor).toBe('k1.1');
  });

  it('abandons a request that hangs past max wait plus grace', async () => {
    harness = startLoop({ cursor: 'k1.1' });
    const { server } = harness;
    await flush();
    const hung = server.only();
    await advance(34_999);
    expect(hung.aborted()).toBe(false);
    await advance(1);
    expect(hung.aborted()).toBe(true);
    expect(harness.loop.state.consecutiveFailures).toBe(1);
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

  it('survives a throwing callback: the error is reported and polling goes on', async () => {
    const server = new FakeServer();
    const errors: unknown[] = [];
    const loop = new PollLoop({
      url: URL,
      fetch: server.fetch,
      auth: new AuthSource(() => 'token-1'),
      online: new OnlineSource({ initial: true, setup: () => undefined }),
      timers: systemTimeouts,
      policy: DEFAULT_BACKOFF,
      random: () => 1,
      initialCursor: 'k1.1',
      onOutput: () => {
        throw new Error('listener bug');
      },
      onStatus: () => undefined,
      onError: (error) => errors.push(error),
    });
    await flush();
    server.only().reply(reply('k1.2', [financeEvent()]));
    await flush();
    expect(errors).toHaveLength(1);
    await advance(1_000);
    expect(server.pending).toHaveLength(1);
    loop.stop();
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
