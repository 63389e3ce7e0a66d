/**
 * Pure delay arithmetic for the poll loop. Nothing here reads a clock or a global: the
 * random source is a parameter so tests can pin it.
 *
 * Error backoff is "full jitter" and fast-empty backoff "equal jitter", both from
 * https://aws.amazon.com/blogs/architecture/exponential-backoff-and-jitter/.
 */

/** Tuning of every delay the loop computes. */
export interface BackoffPolicy {
  /** First error delay before jitter. */
  readonly errorBaseMs: number;
  /** Upper bound of an error delay (before `Retry-After`, which may exceed it). */
  readonly errorCapMs: number;
  /** An empty answer faster than this means the long-poll did not park (proxy, max wait 0). */
  readonly fastEmptyThresholdMs: number;
  /** First fast-empty delay before jitter. */
  readonly fastEmptyBaseMs: number;
  /** Upper bound of a fast-empty cycle. */
  readonly fastEmptyCapMs: number;
  /** Consecutive failures after which the loop reports `degraded`. */
  readonly degradeAfterFailures: number;
  /** Period of the slow invalidation polling while degraded. */
  readonly degradedIntervalMs: number;
}

/**
 * The defaults. With them a service that answers empty at once is asked at most about 7 times
 * in the first minute and then about every 22 s (seed scenario "fast-empty": < 10 per minute).
 */
export const DEFAULT_BACKOFF: BackoffPolicy = {
  errorBaseMs: 500,
  errorCapMs: 30_000,
  fastEmptyThresholdMs: 1_500,
  fastEmptyBaseMs: 1_000,
  fastEmptyCapMs: 30_000,
  degradeAfterFailures: 5,
  degradedIntervalMs: 30_000,
};

/** Returns `min(cap, base * 2^attempt)`, safe for large attempts. */
export function exponentialMs(attempt: number, baseMs: number, capMs: number): number {
  const exponent = Math.min(Math.max(0, attempt), 30);
  return Math.min(capMs, baseMs * 2 ** exponent);
}

/**
 * Returns the delay before retrying after the `failures`-th consecutive failure (1-based):
 * full jitter over the capped exponential, but never less than the server's `Retry-After`.
 */
export function errorDelayMs(
  failures: number,
  retryAfterMs: number | null,
  policy: BackoffPolicy,
  random: () => number,
): number {
  const jittered = random() * exponentialMs(failures - 1, policy.errorBaseMs, policy.errorCapMs);
  return Math.max(retryAfterMs ?? 0, Math.round(jittered));
}

/**
 * Returns the pause after an empty answer that took `rttMs`. A slow empty answer (the poll
 * parked as it should) needs none. The `streak`-th fast one in a row (1-based) waits an
 * equal-jitter exponential cycle minus the time the request already took, so the request
 * rate is bounded whatever the round-trip time.
 */
export function emptyDelayMs(
  rttMs: number,
  streak: number,
  policy: BackoffPolicy,
  random: () => number,
): number {
  if (rttMs >= policy.fastEmptyThresholdMs || streak <= 0) return 0;
  const cycle = exponentialMs(streak - 1, policy.fastEmptyBaseMs, policy.fastEmptyCapMs);
  const jittered = cycle / 2 + (random() * cycle) / 2;
  return Math.max(0, Math.round(jittered - rttMs));
}

/** Returns the pause between two degraded-mode probes: the interval ±20 %. */
export function degradedDelayMs(policy: BackoffPolicy, random: () => number): number {
  return Math.round(policy.degradedIntervalMs * (0.8 + 0.4 * random()));
}

/**
 * Parses a `Retry-After` header (delta-seconds or an HTTP date) into milliseconds from `nowMs`;
 * `null` when absent or unreadable.
 */
export function parseRetryAfterMs(header: string | null, nowMs: number): number | null {
  if (header === null) return null;
  const trimmed = header.trim();
  if (trimmed === '') return null;
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1_000;
  const dateMs = Date.parse(trimmed);
  return Number.isNaN(dateMs) ? null : Math.max(0, dateMs - nowMs);
}
