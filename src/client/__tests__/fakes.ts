import type { StorageEvents, StorageLike } from '../leaseElector.js';
import type { SubscribeReply, RealtimeEvent } from '../types.js';
import type { LockManagerLike } from '../webLockElector.js';

/** One request the fake server holds until the test answers it. */
export interface HeldRequest {
  readonly url: string;
  readonly init: RequestInit;
  readonly headers: Readonly<Record<string, string>>;
  readonly signal: AbortSignal | undefined;
  readonly aborted: () => boolean;
  reply(body: SubscribeReply, status?: number, headers?: Record<string, string>): void;
  problem(status: number, code: string, headers?: Record<string, string>): void;
  networkError(): void;
}

/**
 * A fetch that parks every request until the test answers it, and records them all. Aborts
 * reject with an AbortError, as the real fetch does.
 */
export class FakeServer {
  readonly requests: HeldRequest[] = [];
  readonly pending: HeldRequest[] = [];
  /** Requests that went out without a proper `Authorization: Bearer <token>` header. */
  readonly authViolations: string[] = [];

  readonly fetch = (url: string, init: RequestInit): Promise<Response> => {
    const headers = { ...(init.headers as Record<string, string>) };
    const signal = init.signal ?? undefined;
    const authorization = headers['Authorization'];
    if (authorization === undefined || !/^Bearer \S+$/.test(authorization)) {
      this.authViolations.push(String(authorization));
    }
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const settle = (action: () => void) => {
        if (settled) return;
        settled = true;
        const index = this.pending.indexOf(request);
        if (index >= 0) this.pending.splice(index, 1);
        action();
      };
      const request: HeldRequest = {
        url,
        init,
        headers,
        signal,
        aborted: () => signal?.aborted ?? false,
        reply: (body, status = 200, extra = {}) =>
          settle(() => resolve(fakeResponse(status, body, { 'Content-Type': 'application/json', ...extra }))),
        problem: (status, code, extra = {}) =>
          settle(() =>
            resolve(
              fakeResponse(
                status,
                { type: `about:blank#${code}`, title: code, status, code },
                { 'Content-Type': 'application/problem+json', ...extra },
              ),
            ),
          ),
        networkError: () => settle(() => reject(new TypeError('Failed to fetch'))),
      };
      if (signal?.aborted) {
        reject(new DOMException('aborted', 'AbortError'));
        return;
      }
      signal?.addEventListener('abort', () => settle(() => reject(new DOMException('aborted', 'AbortError'))));
      this.requests.push(request);
      this.pending.push(request);
    });
  };

  /** The one request waiting for an answer; fails the test when there are none or several. */
  only(): HeldRequest {
    if (this.pending.length !== 1) throw new Error(`expected 1 pending request, found ${this.pending.length}`);
    return this.pending[0] as HeldRequest;
  }
}

/** A Response with only what the client reads, settling in microtasks (no stream machinery). */
function fakeResponse(status: number, body: unknown, headers: Record<string, string>): Response {
  const text = JSON.stringify(body);
  const fake = {
    status,
    ok: status >= 200 && status < 300,
    headers: new Headers(headers),
    json: async () => JSON.parse(text) as unknown,
    text: async () => text,
  };
  return fake as unknown as Response;
}

/** Lets every pending promise chain run (the fake timers leave microtasks alone). */
export async function flush(rounds = 20): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await Promise.resolve();
}

let eventCounter = 0;

/** Returns an event of the finance domain with a fresh id (or the given one). */
export function financeEvent(overrides: Partial<RealtimeEvent> = {}): RealtimeEvent {
  eventCounter += 1;
  const entityId = overrides.entityId ?? `tx-${eventCounter}`;
  return {
    eventId: `e-${eventCounter}`,
    type: 'transaction.updated',
    orgId: 'org-1',
    entityId,
    propertyId: null,
    ts: 1_764_240_000_000 + eventCounter,
    payload: { id: entityId, amount: eventCounter },
    ...overrides,
  };
}

export function handshake(cursor: string, debounceMs = 1_000): SubscribeReply {
  return { cursor, events: [], reset: false, config: { maxWaitMs: 25_000, debounceMs } };
}

export function reply(cursor: string, events: RealtimeEvent[] = [], reset = false): SubscribeReply {
  return { cursor, events, reset };
}

/** Web Locks for several fake tabs: exclusive, FIFO per name, honouring `signal`. */
export class FakeLocks {
  readonly #holders = new Map<string, symbol>();
  readonly #queues = new Map<string, Array<{ grant: () => void; id: symbol }>>();

  /** Returns the `navigator.locks` of one tab. */
  manager(): LockManagerLike {
    return {
      request: (name, options, callback) =>
        new Promise<unknown>((resolve, reject) => {
          const id = Symbol('lock');
          const grant = () => {
            this.#holders.set(name, id);
            Promise.resolve()
              .then(() => callback({ name }))
              .then(resolve, reject)
              .finally(() => this.#release(name, id));
          };
          const queue = this.#queues.get(name) ?? [];
          this.#queues.set(name, queue);
          options.signal?.addEventListener('abort', () => {
            const index = queue.findIndex((entry) => entry.id === id);
            if (index >= 0) {
              queue.splice(index, 1);
              reject(new DOMException('aborted', 'AbortError'));
            }
          });
          if (this.#holders.has(name)) queue.push({ grant, id });
          else grant();
        }),
    };
  }

  isHeld(name: string): boolean {
    return this.#holders.has(name);
  }

  waiting(name: string): number {
    return this.#queues.get(name)?.length ?? 0;
  }

  #release(name: string, id: symbol): void {
    if (this.#holders.get(name) !== id) return;
    this.#holders.delete(name);
    this.#queues.get(name)?.shift()?.grant();
  }
}

/** One origin's localStorage shared by fake tabs, with `storage` events to the other tabs. */
export class SharedStorage {
  readonly #items = new Map<string, string>();
  readonly #tabs = new Set<{ storage: StorageLike; listeners: Set<(key: string | null) => void> }>();
  writes = 0;

  /** Returns one tab's view: its `localStorage` and its `storage` events. */
  tab(): { readonly storage: StorageLike; readonly storageEvents: StorageEvents } {
    const listeners = new Set<(key: string | null) => void>();
    const entry = {
      listeners,
      storage: {
        getItem: (key: string) => this.#items.get(key) ?? null,
        setItem: (key: string, value: string) => {
          this.writes += 1;
          this.#items.set(key, value);
          this.#emit(entry, key);
        },
        removeItem: (key: string) => {
          this.#items.delete(key);
          this.#emit(entry, key);
        },
      },
    };
    this.#tabs.add(entry);
    return {
      storage: entry.storage,
      storageEvents: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
  }

  get(key: string): string | null {
    return this.#items.get(key) ?? null;
  }

  #emit(source: { listeners: Set<(key: string | null) => void> }, key: string): void {
    for (const tab of this.#tabs) {
      if (tab === source) continue;
      for (const listener of [...tab.listeners]) queueMicrotask(() => listener(key));
    }
  }
}
