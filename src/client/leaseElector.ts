import type { TimeoutProvider } from './timeoutProvider.js';
import type { Elector } from './types.js';

/** The part of `localStorage` the elector uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** Subscribes to changes of storage keys made by other tabs (`storage` events). */
export type StorageEvents = (listener: (key: string | null) => void) => () => void;

export interface LeaseElectorOptions {
  /** The localStorage key, `<domain>-leader-lease` for the seed's consoles. */
  readonly key: string;
  readonly tabId: string;
  readonly storage: StorageLike;
  readonly timers: TimeoutProvider;
  /** How long a lease lives without renewal. */
  readonly leaseMs?: number;
  /** How often the leader renews and followers look for an expired lease. */
  readonly heartbeatMs?: number;
  /** Pause between writing a claim and reading it back to see who won a race. */
  readonly settleMs?: number;
  readonly storageEvents?: StorageEvents;
}

/** What the lease key holds. */
export interface Lease {
  readonly owner: string;
  readonly expiresAt: number;
}

/**
 * Leader election with a localStorage lease, for browsers without Web Locks. The leader
 * renews `{owner, expiresAt}` every heartbeat; a follower claims the key once it is absent or
 * expired, waits `settleMs`, and becomes leader only if its claim is still there (localStorage
 * has no compare-and-set, so the last writer of a race wins and the others read that back).
 * A leader that finds another owner steps down. `dispose()` removes the lease, and other tabs
 * see that at once through the `storage` event, so a closed leader is replaced at once; a
 * crashed one within `leaseMs + heartbeatMs + settleMs`.
 */
export class LeaseElector implements Elector {
  readonly #key: string;
  readonly #tabId: string;
  readonly #storage: StorageLike;
  readonly #timers: TimeoutProvider;
  readonly #leaseMs: number;
  readonly #heartbeatMs: number;
  readonly #settleMs: number;
  readonly #storageEvents: StorageEvents | undefined;
  #onChange: (leader: boolean) => void = () => undefined;
  #leader = false;
  #claiming = false;
  #cancelTimer: () => void = () => undefined;
  #unsubscribeStorage: () => void = () => undefined;
  #started = false;
  #disposed = false;

  constructor(options: LeaseElectorOptions) {
    this.#key = options.key;
    this.#tabId = options.tabId;
    this.#storage = options.storage;
    this.#timers = options.timers;
    this.#leaseMs = options.leaseMs ?? 2_000;
    this.#heartbeatMs = options.heartbeatMs ?? 500;
    this.#settleMs = options.settleMs ?? 50;
    this.#storageEvents = options.storageEvents;
  }

  start(onChange: (leader: boolean) => void): void {
    if (this.#started || this.#disposed) return;
    this.#started = true;
    this.#onChange = onChange;
    this.#unsubscribeStorage =
      this.#storageEvents?.((key) => {
        if (key === null || key === this.#key) this.#tick();
      }) ?? (() => undefined);
    this.#tick();
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#cancelTimer();
    this.#unsubscribeStorage();
    if (this.#readLease()?.owner === this.#tabId) this.#storage.removeItem(this.#key);
    this.#leader = false;
  }

  #tick(): void {
    if (this.#disposed || this.#claiming) return;
    this.#cancelTimer();
    const now = this.#timers.now();
    const lease = this.#readLease();
    if (this.#leader) {
      if (lease !== null && lease.owner !== this.#tabId && lease.expiresAt > now) {
        this.#setLeader(false);
      } else {
        this.#writeLease(now);
      }
    } else if (lease === null || lease.expiresAt <= now || lease.owner === this.#tabId) {
      this.#claim(now);
      return;
    }
    this.#schedule(this.#heartbeatMs);
  }

  #claim(now: number): void {
    this.#claiming = true;
    this.#writeLease(now);
    this.#cancelTimer = this.#timers.setTimeout(() => {
      this.#claiming = false;
      if (this.#disposed) return;
      if (this.#readLease()?.owner === this.#tabId) {
        this.#writeLease(this.#timers.now());
        this.#setLeader(true);
      }
      this.#schedule(this.#heartbeatMs);
    }, this.#settleMs);
  }

  #schedule(delayMs: number): void {
    this.#cancelTimer();
    this.#cancelTimer = this.#timers.setTimeout(() => this.#tick(), delayMs);
  }

  #setLeader(leader: boolean): void {
    if (leader === this.#leader) return;
    this.#leader = leader;
    this.#onChange(leader);
  }

  #readLease(): Lease | null {
    let raw: string | null;
    try {
      raw = this.#storage.getItem(this.#key);
    } catch {
      return null;
    }
    return parseLease(raw);
  }

  #writeLease(now: number): void {
    const lease: Lease = { owner: this.#tabId, expiresAt: now + this.#leaseMs };
    try {
      this.#storage.setItem(this.#key, JSON.stringify(lease));
    } catch {
      // Storage full or blocked: the lease then simply expires and another tab takes over.
    }
  }
}

/** Returns the lease stored under the key, or `null` when absent or not a lease. */
export function parseLease(raw: string | null): Lease | null {
  if (raw === null) return null;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return null;
    const { owner, expiresAt } = value as { owner?: unknown; expiresAt?: unknown };
    return typeof owner === 'string' && typeof expiresAt === 'number' ? { owner, expiresAt } : null;
  } catch {
    return null;
  }
}

/** The browser's `storage` events on `window`; a no-op outside a browser. */
export const windowStorageEvents: StorageEvents = (listener) => {
  const target = (globalThis as { window?: EventTarget }).window;
  if (target === undefined || typeof target.addEventListener !== 'function') return () => undefined;
  const onStorage = (event: Event) => listener((event as StorageEvent).key);
  target.addEventListener('storage', onStorage);
  return () => target.removeEventListener('storage', onStorage);
};
