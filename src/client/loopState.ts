import type { BackoffPolicy } from './backoff.js';
import type { ClientConfig, ConnectionState, DomainStatus } from './types.js';

/** Everything a poll loop knows about its domain. */
export interface LoopState extends DomainStatus {
  /** Empty answers in a row that came back faster than the fast-empty threshold. */
  readonly fastEmptyStreak: number;
  /** Whether the last reply was a reset: a second one in a row no longer skips the pause. */
  readonly lastReplyReset: boolean;
}

/** What happened to the loop; the only way its state changes. */
export type LoopAction =
  | {
      readonly type: 'replied';
      readonly cursor: string;
      readonly eventCount: number;
      readonly handshake: boolean;
      readonly reset: boolean;
      readonly config: ClientConfig | null;
      readonly rttMs: number;
    }
  | { readonly type: 'failed' }
  | { readonly type: 'cursor-invalid' }
  | { readonly type: 'offline' }
  | { readonly type: 'auth-paused' }
  | { readonly type: 'woken' }
  | { readonly type: 'stopped' };

/** Returns the state of a loop that has not sent anything yet. */
export function initialLoopState(cursor: string | null, config: ClientConfig | null = null): LoopState {
  return {
    connection: 'connecting',
    cursor,
    config,
    consecutiveFailures: 0,
    fastEmptyStreak: 0,
    lastReplyReset: false,
  };
}

/** Returns the state after `action`; pure, so every transition is testable on its own. */
export function reduceLoopState(
  state: LoopState,
  action: LoopAction,
  policy: BackoffPolicy,
): LoopState {
  if (state.connection === 'stopped') return state;
  switch (action.type) {
    case 'replied': {
      // A handshake and a first reset answer at once by design; the poll after them parks.
      const expectedFast = action.handshake || (action.reset && !state.lastReplyReset);
      const fastEmpty =
        !expectedFast && action.eventCount === 0 && action.rttMs < policy.fastEmptyThresholdMs;
      return {
        connection: 'connected',
        cursor: action.cursor,
        config: action.config ?? state.config,
        consecutiveFailures: 0,
        fastEmptyStreak: fastEmpty ? state.fastEmptyStreak + 1 : 0,
        lastReplyReset: action.reset,
      };
    }
    case 'failed': {
      const failures = state.consecutiveFailures + 1;
      const connection: ConnectionState =
        failures >= policy.degradeAfterFailures ? 'degraded' : 'connecting';
      return { ...state, connection, consecutiveFailures: failures, fastEmptyStreak: 0 };
    }
    case 'cursor-invalid':
      return { ...state, cursor: null };
    case 'offline':
      return { ...state, connection: 'offline' };
    case 'auth-paused':
      return { ...state, connection: 'paused-for-auth' };
    case 'woken':
      // Back online or signed in again: a fresh attempt, nothing to report until it answers,
      // except that a degraded loop stays degraded until a request succeeds.
      return state.connection === 'offline' || state.connection === 'paused-for-auth'
        ? { ...state, connection: state.consecutiveFailures >= policy.degradeAfterFailures ? 'degraded' : 'connecting' }
        : state;
    case 'stopped':
      return { ...state, connection: 'stopped' };
  }
}

/** Returns the public part of a loop state. */
export function toDomainStatus(state: LoopState): DomainStatus {
  return {
    connection: state.connection,
    cursor: state.cursor,
    config: state.config,
    consecutiveFailures: state.consecutiveFailures,
  };
}

/** Returns `true` when two statuses would look the same to a listener. */
export function sameDomainStatus(a: DomainStatus, b: DomainStatus): boolean {
  return (
    a.connection === b.connection &&
    a.cursor === b.cursor &&
    a.config === b.config &&
    a.consecutiveFailures === b.consecutiveFailures
  );
}
