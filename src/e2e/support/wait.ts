/** Returns after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Reads until `done` holds or `timeoutMs` passes, and returns the last value read either way:
 * the caller asserts on it, so a timeout fails with the value that was actually there.
 */
export async function waitFor<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 20,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() >= deadline) return value;
    await sleep(intervalMs);
  }
}

/** Returns the `p`-th percentile (0–100) of `values` by nearest rank; `NaN` for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

/** A time interval in epoch milliseconds. */
export interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** Returns every pair of intervals that overlap, with the overlap in milliseconds. */
export function overlaps<T extends Interval>(intervals: readonly T[]): Array<{ first: T; second: T; overlapMs: number }> {
  const sorted = [...intervals].sort((a, b) => a.startMs - b.startMs);
  const found: Array<{ first: T; second: T; overlapMs: number }> = [];
  sorted.forEach((first, index) => {
    for (const second of sorted.slice(index + 1)) {
      if (second.startMs >= first.endMs) break;
      found.push({ first, second, overlapMs: Math.min(first.endMs, second.endMs) - second.startMs });
    }
  });
  return found;
}
