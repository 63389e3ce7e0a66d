import { QueryClient, QueryObserver } from '@tanstack/query-core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bindList, connectQueryAdapter, type QueryAdapterOptions } from '../queryAdapter.js';
import type { RealtimeListener, RealtimeNotification, RealtimeStatus } from '../types.js';
import { financeEvent, flush } from './fakes.js';

interface Tx {
  readonly id: string;
  readonly amount: number;
  readonly memo?: string;
}

/** Stands in for a RealtimeClient: the adapter only subscribes and reads the status. */
class FakeRealtime {
  readonly listeners = new Set<RealtimeListener>();
  status: RealtimeStatus = { role: 'leader', connection: 'connected', domains: {} };
  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(notification: RealtimeNotification): void {
    for (const listener of this.listeners) listener(notification);
  }
}

const LIST = ['finance', 'transactions'] as const;
const SUMMARY = ['finance', 'summary'] as const;

let queryClient: QueryClient;
let realtime: FakeRealtime;
let disconnect: () => void = () => undefined;

function connect(overrides: Partial<QueryAdapterOptions> = {}): void {
  disconnect = connectQueryAdapter({
    client: realtime,
    queryClient,
    domain: 'finance',
    lists: [bindList<Tx>({ queryKey: LIST })],
    aggregates: [{ queryKey: SUMMARY, types: ['transaction.created', 'transaction.updated', 'transaction.deleted'] }],
    ...overrides,
  });
}

function tx(id: string, amount: number, type = 'transaction.updated') {
  return financeEvent({ type, entityId: id, payload: { id, amount } });
}

beforeEach(() => {
  vi.useFakeTimers();
  queryClient = new QueryClient();
  realtime = new FakeRealtime();
});

afterEach(() => {
  disconnect();
  queryClient.clear();
  vi.useRealTimers();
});

describe('connectQueryAdapter lists', () => {
  it('patches rows by id, inserts new ones first and removes deleted ones, in one batch', () => {
    queryClient.setQueryData<Tx[]>([...LIST, { page: 1 }], [
      { id: 'a', amount: 1, memo: 'rent' },
      { id: 'b', amount: 2 },
    ]);
    connect();
    realtime.emit({
      type: 'events',
      domain: 'finance',
      cursor: 'k1.3',
      events: [tx('a', 10), tx('c', 3, 'transaction.created'), tx('b', 0, 'transaction.deleted')],
    });
    expect(queryClient.getQueryData([...LIST, { page: 1 }])).toEqual([
      { id: 'c', amount: 3 },
      { id: 'a', amount: 10, memo: 'rent' },
    ]);
  });

  it('leaves the cached array untouched when no event concerns it', () => {
    const rows: Tx[] = [{ id: 'a', amount: 1 }];
    queryClient.setQueryData<Tx[]>([...LIST], rows);
    connect({ lists: [bindList<Tx>({ queryKey: LIST, types: ['transaction.updated'] })] });
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('z', 1, 'balance.changed')] });
    realtime.emit({ type: 'events', domain: 'tasks', cursor: 'k', events: [tx('a', 99)] });
    expect(queryClient.getQueryData([...LIST])).toBe(rows);
  });

  it('does not create a cache entry for a list that was never fetched', () => {
    connect();
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('a', 1)] });
    expect(queryClient.getQueryData([...LIST])).toBeUndefined();
  });

  it('supports paged envelopes through a lens and ordered updates within a batch', () => {
    type Page = { readonly items: Tx[]; readonly total: number };
    queryClient.setQueryData<Page>([...LIST], { items: [{ id: 'a', amount: 1 }], total: 1 });
    connect({
      lists: [
        bindList<Tx, Page>({
          queryKey: LIST,
          insertAt: 'end',
          rows: { get: (page) => page.items, set: (page, items) => ({ ...page, items }) },
        }),
      ],
    });
    realtime.emit({
      type: 'events',
      domain: 'finance',
      cursor: 'k',
      events: [tx('n', 1, 'transaction.created'), tx('n', 5), tx('a', 0, 'transaction.deleted')],
    });
    expect(queryClient.getQueryData([...LIST])).toEqual({ items: [{ id: 'n', amount: 5 }], total: 1 });
  });
  it('keeps filtered lists consistent: rows leave lists they no longer match and join the ones they do', () => {
    type Filter = { readonly min: number };
    const bigKey = [...LIST, { min: 10 }];
    const allKey = [...LIST, { min: 0 }];
    queryClient.setQueryData<Tx[]>(bigKey, [{ id: 'a', amount: 50 }]);
    queryClient.setQueryData<Tx[]>(allKey, [{ id: 'a', amount: 50 }, { id: 'b', amount: 1 }]);
    connect({
      lists: [
        bindList<Tx>({
          queryKey: LIST,
          matches: (row, queryKey) => row.amount >= ((queryKey[2] as Filter | undefined)?.min ?? 0),
        }),
      ],
    });
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('a', 5), tx('b', 20)] });
    expect(queryClient.getQueryData(bigKey)).toEqual([{ id: 'b', amount: 20 }]);
    expect(queryClient.getQueryData(allKey)).toEqual([
      { id: 'a', amount: 5 },
      { id: 'b', amount: 20 },
    ]);
  });
});

describe('connectQueryAdapter aggregates', () => {
  it('refetches an aggregate at most once per debounce window during a burst of 1,000 events', async () => {
    let fetches = 0;
    const observer = new QueryObserver(queryClient, {
      queryKey: [...SUMMARY],
      queryFn: async () => ({ fetches: ++fetches }),
    });
    const unsubscribeObserver = observer.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    expect(fetches).toBe(1);
    realtime.status = {
      role: 'leader',
      connection: 'connected',
      domains: {
        finance: { connection: 'connected', cursor: 'k', consecutiveFailures: 0, config: { maxWaitMs: 25_000, debounceMs: 1_200 } },
      },
    };
    connect();
    // 1,000 events over one second, in batches of 50 every 50 ms.
    for (let batch = 0; batch < 20; batch += 1) {
      const events = Array.from({ length: 50 }, (_, index) => tx(`t${batch}-${index}`, index));
      realtime.emit({ type: 'events', domain: 'finance', cursor: `k${batch}`, events });
      await vi.advanceTimersByTimeAsync(50);
    }
    // First window (from t=0) closes at 1,200 ms: one refetch; the events after it were already in.
    await vi.advanceTimersByTimeAsync(200);
    await flush();
    expect(fetches).toBe(2);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetches).toBe(2);
    unsubscribeObserver();
  });

  it('uses the debounce hint from a config notification, and an explicit override above all', () => {
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    connect();
    realtime.emit({ type: 'config', domain: 'finance', config: { maxWaitMs: 25_000, debounceMs: 2_500 } });
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('a', 1)] });
    vi.advanceTimersByTime(2_499);
    expect(invalidate).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(invalidate).toHaveBeenCalledTimes(1);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: SUMMARY });
    disconnect();

    invalidate.mockClear();
    connect({ debounceMs: 100 });
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('a', 2)] });
    vi.advanceTimersByTime(100);
    expect(invalidate).toHaveBeenCalledTimes(1);
  });

  it('ignores events of types the aggregate does not depend on', () => {
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    connect();
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('a', 1, 'balance.changed')] });
    vi.advanceTimersByTime(10_000);
    expect(invalidate).not.toHaveBeenCalled();
  });

  it('invalidates lists and aggregates at once on reset and on degraded-mode ticks, aggregates once per window', () => {
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    connect();
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('a', 1)] });
    realtime.emit({ type: 'reset', domain: 'finance', cursor: 'k9' });
    expect(invalidate.mock.calls.map(([filters]) => filters?.queryKey)).toEqual([LIST, SUMMARY]);
    vi.advanceTimersByTime(10_000);
    expect(invalidate).toHaveBeenCalledTimes(2);
    realtime.emit({ type: 'invalidate', domain: 'finance' });
    expect(invalidate).toHaveBeenCalledTimes(4);
  });

  it('keeps aggregates to one refetch per window when a reset follows a debounced refetch', () => {
    // The burst browser scenario showed resets mid-burst (a leader that falls behind the
    // 200-event buffer); one right after a debounced refetch used to refetch the aggregate
    // again at once, two refetches within one window.
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    connect({ debounceMs: 1_200 });
    const keys = () => invalidate.mock.calls.map(([filters]) => filters?.queryKey);
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k1', events: [tx('a', 1)] });
    vi.advanceTimersByTime(1_200);
    expect(keys()).toEqual([SUMMARY]);
    vi.advanceTimersByTime(300);
    realtime.emit({ type: 'reset', domain: 'finance', cursor: 'k9' });
    expect(keys()).toEqual([SUMMARY, LIST]); // the list at once, the aggregate not yet
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k10', events: [tx('b', 2)] });
    vi.advanceTimersByTime(899);
    expect(keys()).toEqual([SUMMARY, LIST]);
    vi.advanceTimersByTime(1); // one window after the last refetch, covering the later events too
    expect(keys()).toEqual([SUMMARY, LIST, SUMMARY]);
    vi.advanceTimersByTime(10_000);
    expect(keys()).toEqual([SUMMARY, LIST, SUMMARY]);
  });

  it('brings a trailing aggregate refetch forward to the end of the window on reset', () => {
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    connect({ debounceMs: 1_000 });
    const keys = () => invalidate.mock.calls.map(([filters]) => filters?.queryKey);
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k1', events: [tx('a', 1)] });
    vi.advanceTimersByTime(1_000);
    vi.advanceTimersByTime(600);
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k2', events: [tx('a', 2)] }); // trails to 2,600
    realtime.emit({ type: 'reset', domain: 'finance', cursor: 'k9' }); // allowed from 2,000
    vi.advanceTimersByTime(399);
    expect(keys()).toEqual([SUMMARY, LIST]);
    vi.advanceTimersByTime(1);
    expect(keys()).toEqual([SUMMARY, LIST, SUMMARY]);
    vi.advanceTimersByTime(10_000);
    expect(keys()).toHaveLength(3);
  });

  it('disconnect stops listening and cancels a pending invalidation', () => {
    const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
    connect();
    realtime.emit({ type: 'events', domain: 'finance', cursor: 'k', events: [tx('a', 1)] });
    disconnect();
    vi.advanceTimersByTime(10_000);
    expect(invalidate).not.toHaveBeenCalled();
    expect(realtime.listeners.size).toBe(0);
  });
});
