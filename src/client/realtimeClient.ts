import { AuthControl, randomId } from './authControl.js';
import { AuthSource } from './authSource.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from './backoff.js';
import { broadcastChannels, ChannelBus } from './channelBus.js';
import { DomainLink } from './domainLink.js';
import { LeaseElector, windowStorageEvents, type StorageEvents, type StorageLike } from './leaseElector.js';
import { OnlineSource } from './onlineSource.js';
import { PollLoop } from './pollLoop.js';
import { systemTimeouts, type TimeoutProvider } from './timeoutProvider.js';
import {
  worstConnection,
  type ChannelFactory,
  type Elector,
  type FetchLike,
  type RealtimeListener,
  type RealtimeNotification,
  type RealtimeStatus,
  type Role,
  type TokenSource,
} from './types.js';
import { findLockManager, WebLockElector, type LockManagerLike } from './webLockElector.js';

export interface RealtimeClientOptions {
  /**
   * The domain to follow, or several. One client follows all of a page's domains, so the
   * page has one leader tab running one loop per domain.
   */
  readonly domain: string | readonly string[];
  /** Where the services live (`{baseUrl}/{domain}/realtime/subscribe`); one per domain allowed. */
  readonly baseUrl: string | Readonly<Record<string, string>>;
  readonly getToken: TokenSource;
  readonly fetch?: FetchLike;
  readonly timers?: TimeoutProvider;
  readonly random?: () => number;
  /** Opens broadcast channels; real `BroadcastChannel` by default. */
  readonly channels?: ChannelFactory;
  /** Web Locks; `null` forces the localStorage lease. Default: `navigator.locks` if present. */
  readonly locks?: LockManagerLike | null;
  /** Lease storage when Web Locks are missing. Default: `localStorage` if present. */
  readonly storage?: StorageLike | null;
  readonly storageEvents?: StorageEvents;
  readonly lease?: { readonly leaseMs?: number; readonly heartbeatMs?: number; readonly settleMs?: number };
  /** Shared online state; default: `navigator.onLine` and `online`/`offline` events. */
  readonly online?: OnlineSource;
  readonly backoff?: Partial<BackoffPolicy>;
  /** How many recent event ids each domain remembers for dedupe. */
  readonly dedupeCapacity?: number;
  /** Identifies this tab in the lease; random by default. */
  readonly tabId?: string;
  readonly createId?: () => string;
  /** Stop (releasing leadership at once) on `pagehide`. Default `true` in a browser. */
  readonly stopOnPageHide?: boolean;
}

export interface RealtimeClient {
  readonly domains: readonly string[];
  readonly tabId: string;
  /** The current snapshot; a new object whenever something in it changes. */
  readonly status: RealtimeStatus;
  /** Calls `listener` for every notification; returns the unsubscribe. */
  subscribe(listener: RealtimeListener): () => void;
  /** Retries after `paused-for-auth` (call it once the user signed in again), in any tab. */
  resume(): void;
  /** Stops this tab: aborts requests, releases leadership, removes every timer and listener. */
  stop(): void;
  /** Tells every tab of the origin to stop (`auth-control` logout message), then stops. */
  logout(): void;
}

/** Dedupe memory per domain: far more than a buffer (200–300 events) can return twice. */
const DEFAULT_DEDUPE_CAPACITY = 5_000;

/** Returns the name shared by tabs following the same domains: `finance`, `finance+tasks`. */
export function electionGroup(domains: readonly string[]): string {
  return [...new Set(domains)].sort().join('+');
}

/** Creates and starts a client. See {@link RealtimeClientOptions}. */
export function createRealtimeClient(options: RealtimeClientOptions): RealtimeClient {
  return new Client(options);
}

class Client implements RealtimeClient {
  readonly domains: readonly string[];
  readonly tabId: string;
  readonly #createId: () => string;
  readonly #timers: TimeoutProvider;
  readonly #auth: AuthSource;
  readonly #online: OnlineSource;
  readonly #ownsOnline: boolean;
  readonly #authControl: AuthControl;
  readonly #elector: Elector;
  readonly #links: DomainLink[];
  readonly #listeners = new Set<RealtimeListener>();
  readonly #cleanups: Array<() => void> = [];
  #role: Role = 'follower';
  #status: RealtimeStatus;

  constructor(options: RealtimeClientOptions) {
    const domains = typeof options.domain === 'string' ? [options.domain] : [...new Set(options.domain)];
    if (domains.length === 0) throw new RangeError('domain must name at least one domain');
    // Validate before anything opens a channel or a timer: a bad option fails here, not later.
    const urls = new Map(domains.map((domain) => [domain, subscribeUrl(options.baseUrl, domain)]));
    this.domains = Object.freeze(domains);
    this.#createId = options.createId ?? randomId;
    this.tabId = options.tabId ?? this.#createId();
    this.#timers = options.timers ?? systemTimeouts;
    const channels = options.channels ?? broadcastChannels;
    const policy: BackoffPolicy = { ...DEFAULT_BACKOFF, ...options.backoff };
    const random = options.random ?? Math.random;
    const fetchLike: FetchLike = options.fetch ?? ((url, init) => globalThis.fetch(url, init));
    this.#auth = new AuthSource(options.getToken);
    this.#ownsOnline = options.online === undefined;
    this.#online = options.online ?? new OnlineSource();
    this.#authControl = new AuthControl(channels, () => this.#shutdown(/* logout= */ true));
    this.#links = domains.map(
      (domain) =>
        new DomainLink({
          domain,
          bus: new ChannelBus(domain, channels),
          dedupeCapacity: options.dedupeCapacity ?? DEFAULT_DEDUPE_CAPACITY,
          startLoop: (cursor, config, onOutput, onStatus) =>
            new PollLoop({
              url: urls.get(domain) ?? subscribeUrl(options.baseUrl, domain),
              fetch: fetchLike,
              auth: this.#auth,
              online: this.#online,
              timers: this.#timers,
              policy,
              random,
              initialCursor: cursor,
              initialConfig: config,
              onOutput,
              onStatus,
            }),
          isOnline: () => this.#online.isOnline(),
          notify: (notification) => this.#notify(notification),
          statusChanged: () => this.#refreshStatus(),
          resumeRequested: () => this.#auth.resume(),
        }),
    );
    this.#status = this.#computeStatus();
    this.#cleanups.push(this.#online.subscribe(() => this.#refreshStatus()));
    this.#elector = this.#createElector(options, electionGroup(domains));
    this.#watchPageHide(options.stopOnPageHide ?? true);
    this.#elector.start((leader) => this.#onLeadership(leader));
    if (this.#role === 'follower') for (const link of this.#links) link.follow();
  }

  get status(): RealtimeStatus {
    return this.#status;
  }

  subscribe(listener: RealtimeListener): () => void {
    if (this.#role !== 'stopped') this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  resume(): void {
    if (this.#role === 'stopped') return;
    this.#auth.resume();
    for (const link of this.#links) link.requestResume();
  }

  stop(): void {
    this.#shutdown(/* logout= */ false);
  }

  logout(): void {
    if (this.#role === 'stopped') return;
    this.#authControl.postLogout(this.#createId(), this.#timers.now());
    this.#shutdown(/* logout= */ true);
  }

  #onLeadership(leader: boolean): void {
    if (this.#role === 'stopped') return;
    this.#role = leader ? 'leader' : 'follower';
    for (const link of this.#links) {
      if (leader) link.lead();
      else link.follow();
    }
    this.#refreshStatus();
  }

  #shutdown(logout: boolean): void {
    if (this.#role === 'stopped') return;
    this.#role = 'stopped';
    // Loops first: their stop() aborts the request in flight before anything else happens.
    for (const link of this.#links) link.stop();
    this.#elector.dispose();
    this.#authControl.dispose();
    this.#auth.dispose();
    for (const cleanup of this.#cleanups.splice(0)) cleanup();
    if (this.#ownsOnline) this.#online.dispose();
    this.#refreshStatus();
    if (logout) this.#notify({ type: 'logout' });
    this.#listeners.clear();
  }

  #createElector(options: RealtimeClientOptions, group: string): Elector {
    const locks = options.locks === undefined ? findLockManager() : options.locks;
    if (locks !== null) return new WebLockElector(`${group}-leader`, locks);
    const storage = options.storage === undefined ? findLocalStorage() : options.storage;
    if (storage === null) return soleElector();
    return new LeaseElector({
      key: `${group}-leader-lease`,
      tabId: this.tabId,
      storage,
      timers: this.#timers,
      storageEvents: options.storageEvents ?? windowStorageEvents,
      ...options.lease,
    });
  }

  #watchPageHide(enabled: boolean): void {
    const target = (globalThis as { window?: EventTarget }).window;
    if (!enabled || target === undefined || typeof target.addEventListener !== 'function') return;
    const onPageHide = () => this.stop();
    target.addEventListener('pagehide', onPageHide);
    this.#cleanups.push(() => target.removeEventListener('pagehide', onPageHide));
  }

  #notify(notification: RealtimeNotification): void {
    for (const listener of [...this.#listeners]) {
      try {
        listener(notification);
      } catch (error) {
        // One broken listener must not starve the others or the loop; surface it async.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  #refreshStatus(): void {
    const next = this.#computeStatus();
    if (sameStatus(this.#status, next)) return;
    this.#status = next;
    this.#notify({ type: 'status', status: next });
  }

  #computeStatus(): RealtimeStatus {
    const domains = Object.fromEntries(this.#links.map((link) => [link.domain, link.status]));
    return {
      role: this.#role,
      connection: worstConnection(Object.values(domains).map((status) => status.connection)),
      domains,
    };
  }
}

function sameStatus(a: RealtimeStatus, b: RealtimeStatus): boolean {
  if (a.role !== b.role || a.connection !== b.connection) return false;
  const keys = Object.keys(b.domains);
  return keys.every((key) => {
    const left = a.domains[key];
    const right = b.domains[key];
    return (
      left !== undefined &&
      right !== undefined &&
      left.connection === right.connection &&
      left.cursor === right.cursor &&
      left.config === right.config &&
      left.consecutiveFailures === right.consecutiveFailures
    );
  });
}

/** Returns the constant long-poll URL of a domain. */
export function subscribeUrl(baseUrl: string | Readonly<Record<string, string>>, domain: string): string {
  const base = typeof baseUrl === 'string' ? baseUrl : baseUrl[domain];
  if (base === undefined) throw new RangeError(`no baseUrl for domain ${domain}`);
  return `${base.replace(/\/+$/, '')}/${encodeURIComponent(domain)}/realtime/subscribe`;
}

function findLocalStorage(): StorageLike | null {
  try {
    const storage = (globalThis as { localStorage?: StorageLike }).localStorage;
    return storage ?? null;
  } catch {
    return null; // Access denied (sandboxed iframe, disabled storage).
  }
}

/** With neither Web Locks nor storage, every tab is its own leader (one tab per session). */
function soleElector(): Elector {
  return {
    start: (onChange) => onChange(true),
    dispose: () => undefined,
  };
}
