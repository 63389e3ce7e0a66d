/** One event as the subscribe endpoint returns it (API.md, "Subscribe"). */
export interface RealtimeEvent {
  readonly eventId: string;
  readonly type: string;
  readonly orgId: string;
  readonly entityId: string;
  readonly propertyId: string | null;
  /** Publish time, epoch milliseconds. */
  readonly ts: number;
  readonly payload: Readonly<Record<string, unknown>>;
}

/** The domain's client hints, sent with the handshake reply. */
export interface ClientConfig {
  readonly maxWaitMs: number;
  readonly debounceMs: number;
}

/** A `200` reply of `GET /{domain}/realtime/subscribe`. */
export interface SubscribeReply {
  readonly cursor: string;
  readonly events: readonly RealtimeEvent[];
  readonly reset: boolean;
  readonly config?: ClientConfig;
}

/** Which part this tab plays in the browser session. */
export type Role = 'leader' | 'follower' | 'stopped';

/**
 * Connection state of one domain, as seen by this tab. A follower mirrors what the leader
 * broadcasts, except `offline`, which each tab knows for itself.
 */
export type ConnectionState =
  | 'connecting'
  | 'connected'
  | 'degraded'
  | 'offline'
  | 'paused-for-auth'
  | 'stopped';

/** Status of one domain's loop (run by the leader, mirrored by followers). */
export interface DomainStatus {
  readonly connection: ConnectionState;
  /** Last cursor this tab knows for the domain (its own poll or the leader's broadcast). */
  readonly cursor: string | null;
  readonly config: ClientConfig | null;
  readonly consecutiveFailures: number;
}

/** Snapshot of the client; a new object whenever anything in it changes. */
export interface RealtimeStatus {
  readonly role: Role;
  /** The worst connection state over all domains (see {@link worstConnection}). */
  readonly connection: ConnectionState;
  readonly domains: Readonly<Record<string, DomainStatus>>;
}

/** What a {@link RealtimeListener} is told. */
export type RealtimeNotification =
  | {
      readonly type: 'events';
      readonly domain: string;
      readonly cursor: string;
      readonly events: readonly RealtimeEvent[];
    }
  /** The service cannot prove nothing was missed: refetch the domain's data. */
  | { readonly type: 'reset'; readonly domain: string; readonly cursor: string | null }
  /** Degraded mode tick: the live stream is not trustworthy, refetch the domain's data. */
  | { readonly type: 'invalidate'; readonly domain: string }
  | { readonly type: 'config'; readonly domain: string; readonly config: ClientConfig }
  | { readonly type: 'status'; readonly status: RealtimeStatus }
  /** Someone logged out: the client has stopped for good. */
  | { readonly type: 'logout' };

export type RealtimeListener = (notification: RealtimeNotification) => void;

/** The subset of `fetch` the client uses; inject a fake in tests. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * Returns the current bearer token, or a fresh one when `forceRefresh` is set (after a 401).
 * It is called before every request, so it should answer from the app's own cache; only
 * `forceRefresh` calls need to go to the network. `null`, `undefined` or `''` mean "no
 * token": the client then sends nothing and reports `paused-for-auth` until `resume()`.
 */
export type TokenSource = (options: {
  readonly forceRefresh: boolean;
}) => Promise<string | null | undefined> | string | null | undefined;

/** The part of a `BroadcastChannel` the client uses. */
export interface ChannelPort {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** Opens a named channel; `name => new BroadcastChannel(name)` in a browser. */
export type ChannelFactory = (name: string) => ChannelPort;

/** Decides which tab of the session is the leader. */
export interface Elector {
  /** Starts competing; `onChange(true)` when this tab becomes leader, `false` when it loses it. */
  start(onChange: (leader: boolean) => void): void;
  /** Gives up leadership (or the wait for it); idempotent. */
  dispose(): void;
}

const CONNECTION_SEVERITY: Readonly<Record<ConnectionState, number>> = {
  connected: 0,
  connecting: 1,
  degraded: 2,
  offline: 3,
  'paused-for-auth': 4,
  stopped: 5,
};

/** Returns the most severe of the given states (`connected` for none). */
export function worstConnection(states: Iterable<ConnectionState>): ConnectionState {
  let worst: ConnectionState = 'connected';
  for (const state of states) {
    if (CONNECTION_SEVERITY[state] > CONNECTION_SEVERITY[worst]) worst = state;
  }
  return worst;
}
