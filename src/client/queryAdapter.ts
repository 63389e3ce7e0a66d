import type { QueryClient, QueryKey } from '@tanstack/query-core';
import type { RealtimeClient } from './realtimeClient.js';
import { systemTimeouts, type TimeoutProvider } from './timeoutProvider.js';
import type { RealtimeEvent, RealtimeNotification } from './types.js';

/** What an event does to a row of a cached list. */
export type RowChange = 'upsert' | 'remove' | 'ignore';

/** How one family of cached lists (all queries under `queryKey`) follows events. */
export interface ListBinding<TRow, TData = TRow[]> {
  /** Prefix of the list queries to patch, e.g. `['finance', 'transactions']`. */
  readonly queryKey: QueryKey;
  /** Event types that touch these lists; default: every event of the domain. */
  readonly types?: readonly string[];
  /** Default: a type ending in `.deleted` removes the row, anything else upserts it. */
  readonly changeOf?: (event: RealtimeEvent) => RowChange;
  /** Default: `event.payload` merged over the current row (or the payload alone for a new row). */
  readonly toRow?: (event: RealtimeEvent, current: TRow | undefined) => TRow | null;
  /** Where new rows go; default `'start'` (newest first). */
  readonly insertAt?: 'start' | 'end';
  /** Lens for cached data that is not a plain array of rows (pages, envelopes). */
  readonly rows?: {
    get(data: TData): readonly TRow[];
    set(data: TData, rows: TRow[]): TData;
  };
  /** Default: `String(row.id)`; must match the events' `entityId`. */
  readonly rowId?: (row: TRow) => string;
  /**
   * Whether a row belongs in the list cached under `queryKey` (a filter such as
   * `{ status: 'open' }` in the key): a patched row that no longer matches leaves that list,
   * a new row joins only the lists it matches. Default: every row belongs everywhere.
   */
  readonly matches?: (row: TRow, queryKey: QueryKey) => boolean;
}

/** A list binding with its row type erased, as `bindList` returns it. */
export interface BoundList {
  readonly queryKey: QueryKey;
  /** Returns the data with `events` applied, or the same reference when nothing changed. */
  apply(data: unknown, events: readonly RealtimeEvent[], queryKey: QueryKey): unknown;
}

/** An expensive query (totals, charts) refetched at most once per debounce window. */
export interface AggregateBinding {
  readonly queryKey: QueryKey;
  /** Event types that change the aggregate; default: every event of the domain. */
  readonly types?: readonly string[];
}

export interface QueryAdapterOptions {
  readonly client: Pick<RealtimeClient, 'subscribe' | 'status'>;
  readonly queryClient: Pick<QueryClient, 'getQueriesData' | 'setQueryData' | 'invalidateQueries'>;
  readonly domain: string;
  readonly lists?: readonly BoundList[];
  readonly aggregates?: readonly AggregateBinding[];
  /** Overrides the server's `config.debounceMs` hint. */
  readonly debounceMs?: number;
  readonly timers?: TimeoutProvider;
}

/** Used until the server's handshake hint arrives (the finance seed's lower bound). */
const FALLBACK_DEBOUNCE_MS = 1_000;

/** Returns a type-erased binding that patches rows of cached lists by id. */
export function bindList<TRow, TData = TRow[]>(binding: ListBinding<TRow, TData>): BoundList {
  const changeOf = binding.changeOf ?? defaultChangeOf;
  const toRow = binding.toRow ?? ((event, current) => ({ ...current, ...event.payload }) as TRow);
  const rowId = binding.rowId ?? ((row: TRow) => String((row as { id?: unknown }).id));
  const lens = binding.rows ?? {
    get: (data: TData) => data as unknown as readonly TRow[],
    set: (_data: TData, rows: TRow[]) => rows as unknown as TData,
  };
  const types = binding.types === undefined ? null : new Set(binding.types);
  return {
    queryKey: binding.queryKey,
    apply(data, events, queryKey) {
      const relevant = events.filter((event) => types === null || types.has(event.type));
      if (relevant.length === 0) return data;
      const current = lens.get(data as TData);
      if (!Array.isArray(current)) return data;
      const matches = binding.matches;
      const belongs = matches === undefined ? null : (row: TRow) => matches(row, queryKey);
      const patched = patchRows(current as readonly TRow[], relevant, { changeOf, toRow, rowId, belongs }, binding.insertAt);
      return patched === null ? data : lens.set(data as TData, patched);
    },
  };
}

function defaultChangeOf(event: RealtimeEvent): RowChange {
  return event.type.endsWith('.deleted') ? 'remove' : 'upsert';
}

/** Returns `rows` with every event applied in order, or `null` when nothing changed. */
function patchRows<TRow>(
  rows: readonly TRow[],
  events: readonly RealtimeEvent[],
  rules: {
    changeOf: (event: RealtimeEvent) => RowChange;
    toRow: (event: RealtimeEvent, current: TRow | undefined) => TRow | null;
    rowId: (row: TRow) => string;
    belongs: ((row: TRow) => boolean) | null;
  },
  insertAt: 'start' | 'end' = 'start',
): TRow[] | null {
  const existing: Array<TRow | undefined> = rows.slice();
  const positions = new Map<string, number>();
  existing.forEach((row, index) => positions.set(rules.rowId(row as TRow), index));
  const inserted = new Map<string, TRow | undefined>();
  let changed = false;
  for (const event of events) {
    const change = rules.changeOf(event);
    if (change === 'ignore') continue;
    const id = event.entityId;
    const position = positions.get(id);
    const current = position !== undefined ? existing[position] : inserted.get(id);
    let next = change === 'remove' ? undefined : rules.toRow(event, current);
    if (next === null) continue;
    if (next !== undefined && rules.belongs !== null && !rules.belongs(next)) next = undefined;
    if (next === undefined && current === undefined) continue;
    changed = true;
    if (position !== undefined) existing[position] = next;
    else inserted.set(id, next);
  }
  if (!changed) return null;
  const kept = existing.filter((row): row is TRow => row !== undefined);
  const added = [...inserted.values()].filter((row): row is TRow => row !== undefined);
  return insertAt === 'start' ? [...added.reverse(), ...kept] : [...kept, ...added];
}

/**
 * Keeps TanStack Query caches in step with a domain's events: rows of cached lists are
 * patched by id in one pass per batch; aggregates are invalidated at most once per debounce
 * window (the server's `debounceMs` hint); a reset or a degraded-mode tick invalidates the
 * lists at once and the aggregates as soon as their window allows. Returns the disconnect
 * function.
 */
export function connectQueryAdapter(options: QueryAdapterOptions): () => void {
  const { client, queryClient, domain } = options;
  const timers = options.timers ?? systemTimeouts;
  const lists = options.lists ?? [];
  const aggregates = options.aggregates ?? [];
  let hintMs = client.status.domains[domain]?.config?.debounceMs ?? null;
  const due = new Set<AggregateBinding>();
  let cancelTimer: (() => void) | null = null;
  let timerDueAt = 0;
  /** When aggregates were last invalidated: the next time may be one window later at the earliest. */
  let lastFlushAt: number | null = null;
  const windowMs = () => options.debounceMs ?? hintMs ?? FALLBACK_DEBOUNCE_MS;

  const flushAggregates = () => {
    cancelTimer?.();
    cancelTimer = null;
    lastFlushAt = timers.now();
    const keys = [...due].map((aggregate) => aggregate.queryKey);
    due.clear();
    for (const queryKey of keys) void queryClient.invalidateQueries({ queryKey });
  };

  /**
   * Schedules the invalidation of the due aggregates. After events it trails by one window,
   * so a burst costs one refetch; `urgent` (a reset, a degraded tick) means as soon as one
   * window has passed since the last refetch, which may be at once. Either way aggregates are
   * refetched at most once per window, whatever mix of events and resets arrives.
   */
  const scheduleAggregates = (urgent: boolean) => {
    if (due.size === 0) return;
    const now = timers.now();
    const delayMs = urgent ? Math.max(0, lastFlushAt === null ? 0 : lastFlushAt + windowMs() - now) : windowMs();
    if (cancelTimer !== null && timerDueAt <= now + delayMs) return;
    cancelTimer?.();
    cancelTimer = null;
    if (delayMs === 0) {
      flushAggregates();
      return;
    }
    timerDueAt = now + delayMs;
    cancelTimer = timers.setTimeout(flushAggregates, delayMs);
  };

  const onEvents = (events: readonly RealtimeEvent[]) => {
    for (const list of lists) {
      for (const [queryKey, data] of queryClient.getQueriesData<unknown>({ queryKey: list.queryKey })) {
        if (data === undefined) continue;
        const next = list.apply(data, events, queryKey);
        if (next !== data) queryClient.setQueryData(queryKey, next);
      }
    }
    for (const aggregate of aggregates) {
      const types = aggregate.types;
      if (types === undefined || events.some((event) => types.includes(event.type))) due.add(aggregate);
    }
    scheduleAggregates(/* urgent= */ false);
  };

  /** Continuity is lost (reset) or not trusted (degraded): lists at once, aggregates as soon as allowed. */
  const invalidateAll = () => {
    for (const { queryKey } of lists) void queryClient.invalidateQueries({ queryKey });
    for (const aggregate of aggregates) due.add(aggregate);
    scheduleAggregates(/* urgent= */ true);
  };

  const unsubscribe = client.subscribe((notification: RealtimeNotification) => {
    if (notification.type === 'logout' || notification.type === 'status') return;
    if (notification.domain !== domain) return;
    switch (notification.type) {
      case 'events':
        onEvents(notification.events);
        break;
      case 'reset':
      case 'invalidate':
        invalidateAll();
        break;
      case 'config':
        hintMs = notification.config.debounceMs;
        break;
    }
  });

  return () => {
    unsubscribe();
    cancelTimer?.();
    cancelTimer = null;
    due.clear();
  };
}
