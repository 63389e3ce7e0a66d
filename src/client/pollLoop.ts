import type { AuthHeader, AuthSource } from './authSource.js';
import {
  degradedDelayMs,
  emptyDelayMs,
  errorDelayMs,
  parseRetryAfterMs,
  type BackoffPolicy,
} from './backoff.js';
import { initialLoopState, reduceLoopState, sameDomainStatus, toDomainStatus } from './loopState.js';
import type { LoopAction, LoopState } from './loopState.js';
import type { OnlineSource } from './onlineSource.js';
import { wakeableDelay, type TimeoutProvider } from './timeoutProvider.js';
import type { ClientConfig, DomainStatus, FetchLike, RealtimeEvent, SubscribeReply } from './types.js';

/** What a loop hands to the client besides its status. */
export type LoopOutput =
  | { readonly type: 'events'; readonly cursor: string; readonly events: readonly RealtimeEvent[] }
  | { readonly type: 'reset'; readonly cursor: string | null }
  | { readonly type: 'invalidate' }
  | { readonly type: 'config'; readonly config: ClientConfig };

export interface PollLoopOptions {
  /** The constant subscribe URL; the cursor travels in `Last-Event-ID`, never in the URL. */
  readonly url: string;
  readonly fetch: FetchLike;
  readonly auth: AuthSource;
  readonly online: OnlineSource;
  readonly timers: TimeoutProvider;
  readonly policy: BackoffPolicy;
  readonly random: () => number;
  /** Where to continue: the last cursor this tab saw (its own or the old leader's). */
  readonly initialCursor: string | null;
  /** The domain's hints if a previous leader already learned them from the handshake. */
  readonly initialConfig?: ClientConfig | null;
  /** Extra time a request may take beyond the server's max wait before it is abandoned. */
  readonly requestGraceMs?: number;
  readonly onOutput: (output: LoopOutput) => void;
  readonly onStatus: (status: DomainStatus) => void;
  /** Where an unexpected error (a throwing callback) goes; default: rethrown asynchronously. */
  readonly onError?: (error: unknown) => void;
}

/** Default server max wait until the handshake tells the real one (API.md). */
const DEFAULT_MAX_WAIT_MS = 25_000;
/** A parked poll may take this much longer than the max wait before we call it hung. */
const DEFAULT_REQUEST_GRACE_MS = 10_000;

type RequestResult =
  | { readonly kind: 'reply'; readonly reply: SubscribeReply; readonly rttMs: number }
  | { readonly kind: 'rejected'; readonly token: string }
  | { readonly kind: 'cursor-invalid' }
  | { readonly kind: 'failed'; readonly retryAfterMs: number | null }
  | { readonly kind: 'aborted' };

/**
 * The long-poll loop of one domain, run by the leader tab. One request at a time; the next
 * goes out at once after events, after an RTT-aware pause after fast empty answers, and after
 * a jittered exponential pause after failures. It never sends while offline, paused for auth
 * or stopped, and `stop()` aborts the request in flight.
 */
export class PollLoop {
  readonly #options: PollLoopOptions;
  #state: LoopState;
  #stopped = false;
  #inflight: AbortController | null = null;
  #wake: (() => void) | null = null;
  readonly #unsubscribes: Array<() => void> = [];
  readonly done: Promise<void>;

  constructor(options: PollLoopOptions) {
    this.#options = options;
    this.#state = initialLoopState(options.initialCursor, options.initialConfig ?? null);
    this.#unsubscribes.push(
      options.online.subscribe((online) => {
        if (!online) this.#inflight?.abort();
        this.#wakeUp();
      }),
      options.auth.onPauseChange((reason) => {
        if (reason === null) this.#wakeUp();
      }),
    );
    this.done = this.#run();
  }

  get state(): LoopState {
    return this.#state;
  }

  /** Stops for good: aborts the request in flight; no request is sent after this returns. */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    for (const unsubscribe of this.#unsubscribes.splice(0)) unsubscribe();
    this.#inflight?.abort();
    this.#wakeUp();
    this.#dispatch({ type: 'stopped' });
  }

  /** Ends a pause early (back online, signed in again). */
  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async #run(): Promise<void> {
    while (!this.#stopped) {
      if (!this.#options.online.isOnline()) {
        this.#dispatch({ type: 'offline' });
        await this.#pause(null);
        continue;
      }
      const header = await this.#options.auth.header();
      if (this.#stopped) break;
      if (header === null) {
        this.#dispatch({ type: 'auth-paused' });
        await this.#pause(null);
        continue;
      }
      if (!this.#options.online.isOnline()) continue;
      const result = await this.#request(header);
      if (this.#stopped) break;
      let delayMs: number;
      try {
        delayMs = await this.#handle(result);
      } catch (error) {
        // A throwing callback must not kill the loop: count it as a failure and go on.
        (this.#options.onError ?? reportAsync)(error);
        delayMs = await this.#handle({ kind: 'failed', retryAfterMs: null }).catch(() => 0);
      }
      if (delayMs > 0 && !this.#stopped) await this.#pause(delayMs);
    }
  }

  /** Returns the pause before the next request. */
  async #handle(result: RequestResult): Promise<number> {
    const { policy, random } = this.#options;
    switch (result.kind) {
      case 'reply': {
        this.#options.auth.succeeded();
        const { reply, rttMs } = result;
        const handshake = this.#state.cursor === null;
        this.#dispatch({
          type: 'replied',
          cursor: reply.cursor,
          eventCount: reply.events.length,
          handshake,
          reset: reply.reset,
          config: reply.config ?? null,
          rttMs,
        });
        if (reply.config !== undefined) this.#options.onOutput({ type: 'config', config: reply.config });
        if (reply.reset) this.#options.onOutput({ type: 'reset', cursor: reply.cursor });
        if (reply.events.length > 0) {
          this.#options.onOutput({ type: 'events', cursor: reply.cursor, events: reply.events });
        }
        return emptyDelayMs(rttMs, this.#state.fastEmptyStreak, policy, random);
      }
      case 'rejected': {
        // A fresh token goes out at once; otherwise the loop pauses at the top.
        await this.#options.auth.rejected(result.token);
        return 0;
      }
      case 'cursor-invalid':
        this.#dispatch({ type: 'cursor-invalid' });
        // The cursor is gone, so continuity cannot be proven: the app must refetch.
        this.#options.onOutput({ type: 'reset', cursor: null });
        return 0;
      case 'failed': {
        this.#dispatch({ type: 'failed' });
        if (this.#state.connection !== 'degraded') {
          return errorDelayMs(this.#state.consecutiveFailures, result.retryAfterMs, policy, random);
        }
        this.#options.onOutput({ type: 'invalidate' });
        return Math.max(result.retryAfterMs ?? 0, degradedDelayMs(policy, random));
      }
      case 'aborted':
        // Went offline mid-request (stop() ends the loop before this): re-check at the top.
        return 0;
    }
  }

  /** Waits `delayMs` (or until woken when `null`); online and auth changes wake it early. */
  async #pause(delayMs: number | null): Promise<void> {
    if (this.#stopped) return;
    if (delayMs === null) {
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    } else {
      const delay = wakeableDelay(this.#options.timers, delayMs);
      this.#wake = () => delay.wake();
      await delay.done;
    }
    this.#wake = null;
    if (!this.#stopped) this.#dispatch({ type: 'woken' });
  }

  async #request(header: AuthHeader): Promise<RequestResult> {
    const { timers } = this.#options;
    const controller = new AbortController();
    this.#inflight = controller;
    let timedOut = false;
    const maxWaitMs = this.#state.config?.maxWaitMs ?? DEFAULT_MAX_WAIT_MS;
    const cancelTimeout = timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, maxWaitMs + (this.#options.requestGraceMs ?? DEFAULT_REQUEST_GRACE_MS));
    const headers: Record<string, string> = { Accept: 'application/json', Authorization: header.value };
    if (this.#state.cursor !== null) headers['Last-Event-ID'] = this.#state.cursor;
    const startedAt = timers.now();
    try {
      const response = await this.#options.fetch(this.#options.url, {
        method: 'GET',
        headers,
        signal: controller.signal,
        // No `cache` option: in Chromium any mode but the default also bypasses the CORS
        // preflight cache (measured: one OPTIONS per poll). The service sends no-store instead.
        credentials: 'omit',
      });
      if (response.status === 200) {
        const reply = toSubscribeReply(await response.json());
        if (reply === null) return { kind: 'failed', retryAfterMs: null };
        return { kind: 'reply', reply, rttMs: timers.now() - startedAt };
      }
      if (response.status === 401 || response.status === 403) return { kind: 'rejected', token: header.token };
      if (response.status === 400 && (await problemCode(response)) === 'cursor_invalid') {
        return { kind: 'cursor-invalid' };
      }
      return {
        kind: 'failed',
        retryAfterMs: parseRetryAfterMs(response.headers.get('Retry-After'), timers.now()),
      };
    } catch {
      return controller.signal.aborted && !timedOut
        ? { kind: 'aborted' }
        : { kind: 'failed', retryAfterMs: null };
    } finally {
      cancelTimeout();
      if (this.#inflight === controller) this.#inflight = null;
    }
  }

  #dispatch(action: LoopAction): void {
    const previous = this.#state;
    this.#state = reduceLoopState(previous, action, this.#options.policy);
    const status = toDomainStatus(this.#state);
    if (!sameDomainStatus(toDomainStatus(previous), status)) this.#options.onStatus(status);
  }
}

/** Rethrows outside the loop, so the error reaches the console without stopping anything. */
function reportAsync(error: unknown): void {
  queueMicrotask(() => {
    throw error;
  });
}

async function problemCode(response: Response): Promise<string | null> {
  try {
    const body: unknown = await response.json();
    const code = (body as { code?: unknown } | null)?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

/** Returns `value` as a subscribe reply (API.md), or `null` when it does not have that shape. */
export function toSubscribeReply(value: unknown): SubscribeReply | null {
  if (typeof value !== 'object' || value === null) return null;
  const reply = value as { cursor?: unknown; events?: unknown; reset?: unknown; config?: unknown };
  if (typeof reply.cursor !== 'string' || typeof reply.reset !== 'boolean') return null;
  if (!Array.isArray(reply.events) || !reply.events.every(isEventLike)) return null;
  const events = reply.events as RealtimeEvent[];
  const config = toClientConfig(reply.config);
  return config === null
    ? { cursor: reply.cursor, events, reset: reply.reset }
    : { cursor: reply.cursor, events, reset: reply.reset, config };
}

function isEventLike(event: unknown): boolean {
  return typeof event === 'object' && event !== null && typeof (event as { eventId?: unknown }).eventId === 'string';
}

function toClientConfig(value: unknown): ClientConfig | null {
  if (typeof value !== 'object' || value === null) return null;
  const { maxWaitMs, debounceMs } = value as { maxWaitMs?: unknown; debounceMs?: unknown };
  if (typeof maxWaitMs !== 'number' || typeof debounceMs !== 'number') return null;
  if (!Number.isFinite(maxWaitMs) || !Number.isFinite(debounceMs) || maxWaitMs < 0 || debounceMs < 0) return null;
  return { maxWaitMs, debounceMs };
}
