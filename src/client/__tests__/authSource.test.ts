import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthSource } from '../authSource.js';
import { DEFAULT_BACKOFF } from '../backoff.js';
import { OnlineSource } from '../onlineSource.js';
import { PollLoop } from '../pollLoop.js';
import { systemTimeouts } from '../timeoutProvider.js';
import type { TokenSource } from '../types.js';
import { FakeServer, financeEvent, flush, reply } from './fakes.js';

describe('AuthSource', () => {
  it('returns a Bearer header for a token and nothing for an empty one', async () => {
    expect(await new AuthSource(() => 'abc').header()).toEqual({ value: 'Bearer abc', token: 'abc' });
    for (const empty of ['', '   ', null, undefined]) {
      const auth = new AuthSource(() => empty);
      expect(await auth.header()).toBeNull();
      expect(auth.paused).toBe('no-token');
    }
  });

  it('asks for a forced refresh once when the plain call has no token', async () => {
    const getToken = vi.fn<TokenSource>(({ forceRefresh }) => (forceRefresh ? 'fresh' : null));
    const auth = new AuthSource(getToken);
    expect(await auth.header()).toEqual({ value: 'Bearer fresh', token: 'fresh' });
    expect(getToken.mock.calls.map(([options]) => options.forceRefresh)).toEqual([false, true]);
  });

  it('treats a throwing token callback as no token', async () => {
    const auth = new AuthSource(() => {
      throw new Error('storage blocked');
    });
    expect(await auth.header()).toBeNull();
    expect(auth.paused).toBe('no-token');
  });

  it('refreshes once per rejection episode, then pauses', async () => {
    let token = 'old';
    const getToken = vi.fn<TokenSource>(({ forceRefresh }) => {
      if (forceRefresh) token = `${token}+`;
      return token;
    });
    const auth = new AuthSource(getToken);
    await auth.header();
    expect(await auth.rejected('old')).toBe(true);
    expect(await auth.header()).toEqual({ value: 'Bearer old+', token: 'old+' });
    expect(await auth.rejected('old+')).toBe(false);
    expect(auth.paused).toBe('rejected');
    expect(getToken.mock.calls.filter(([options]) => options.forceRefresh)).toHaveLength(1);
    expect(await auth.header()).toBeNull();
  });

  it('may refresh again after a request was accepted in between', async () => {
    let generation = 0;
    const auth = new AuthSource(({ forceRefresh }) => {
      if (forceRefresh) generation += 1;
      return `t${generation}`;
    });
    await auth.header();
    expect(await auth.rejected('t0')).toBe(true);
    await auth.header();
    auth.succeeded();
    expect(await auth.rejected('t1')).toBe(true);
    expect(auth.paused).toBeNull();
  });

  it('shares one refresh between loops rejected at the same time', async () => {
    let token = 'old';
    const getToken = vi.fn<TokenSource>(async ({ forceRefresh }) => {
      await Promise.resolve();
      if (forceRefresh) token = 'new';
      return token;
    });
    const auth = new AuthSource(getToken);
    await auth.header();
    const results = await Promise.all([auth.rejected('old'), auth.rejected('old')]);
    expect(results).toEqual([true, true]);
    expect(getToken.mock.calls.filter(([options]) => options.forceRefresh)).toHaveLength(1);
    expect(auth.paused).toBeNull();
  });

  it('resume() leaves the pause and tells listeners', async () => {
    const auth = new AuthSource(() => null);
    const reasons: Array<string | null> = [];
    auth.onPauseChange((reason) => reasons.push(reason));
    await auth.header();
    auth.resume();
    expect(reasons).toEqual(['no-token', null]);
    expect(auth.paused).toBeNull();
  });
});

describe('PollLoop with auth', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function start(getToken: TokenSource) {
    const server = new FakeServer();
    const auth = new AuthSource(getToken);
    const loop = new PollLoop({
      url: 'http://127.0.0.1:1/finance/realtime/subscribe',
      fetch: server.fetch,
      auth,
      online: new OnlineSource({ initial: true, setup: () => undefined }),
      timers: systemTimeouts,
      policy: DEFAULT_BACKOFF,
      random: () => 1,
      initialCursor: 'k1.1',
      onOutput: () => undefined,
      onStatus: () => undefined,
    });
    return { server, auth, loop };
  }

  it('on 401 refreshes the token once and retries at once with the new one, keeping the cursor', async () => {
    let token = 'expired';
    const { server, loop } = start(({ forceRefresh }) => {
      if (forceRefresh) token = 'fresh';
      return token;
    });
    await flush();
    server.only().problem(401, 'token_expired', { 'WWW-Authenticate': 'Bearer error="invalid_token"' });
    await flush();
    const retry = server.only();
    expect(retry.headers['Authorization']).toBe('Bearer fresh');
    expect(retry.headers['Last-Event-ID']).toBe('k1.1');
    retry.reply(reply('k1.2', [financeEvent()]));
    await flush();
    expect(loop.state.connection).toBe('connected');
    loop.stop();
  });

  it('pauses after a second 401 and reports paused-for-auth, sending nothing more until resumed', async () => {
    const { server, auth, loop } = start(() => 'bad');
    await flush();
    server.only().problem(401, 'token_invalid');
    await flush();
    server.only().problem(401, 'token_invalid');
    await flush();
    expect(loop.state.connection).toBe('paused-for-auth');
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.requests).toHaveLength(2);
    auth.resume();
    await flush();
    expect(server.requests).toHaveLength(3);
    loop.stop();
  });

  it('never sends a request without a token, let alone an empty Authorization header', async () => {
    const { server, loop } = start(() => '');
    await flush();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(server.requests).toHaveLength(0);
    expect(loop.state.connection).toBe('paused-for-auth');
    loop.stop();
  });
});
