import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthSource } from '../authSource.js';
import { DEFAULT_BACKOFF } from '../backoff.js';
import { OnlineSource } from '../onlineSource.js';
import { PollLoop } from '../pollLoop.js';
import { systemTimeouts } from '../timeoutProvider.js';
import { FakeServer, financeEvent, flush, reply } from './fakes.js';
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

describe('PollLoop failures', () => {
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
});
