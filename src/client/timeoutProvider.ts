/**
 * Injectable time: every timer and every clock read in the client goes through one of these,
 * so tests drive time with fake timers instead of sleeping (TanStack `timeoutManager`).
 */
export interface TimeoutProvider {
  /** Schedules `callback` after `delayMs`; returns a function that cancels it (idempotent). */
  setTimeout(callback: () => void, delayMs: number): () => void;
  /** Current time in epoch milliseconds. */
  now(): number;
}

/**
 * The real timers. Globals are looked up at call time (not captured at import), so test
 * frameworks that patch them later still take effect.
 */
export const systemTimeouts: TimeoutProvider = {
  setTimeout(callback, delayMs) {
    const id = globalThis.setTimeout(callback, Math.max(0, delayMs));
    return () => globalThis.clearTimeout(id);
  },
  now() {
    return Date.now();
  },
};

/**
 * Resolves after `delayMs`, or at once when `wake()` of the returned handle is called. The
 * promise never rejects; `woken` tells which happened.
 */
export function wakeableDelay(
  timers: TimeoutProvider,
  delayMs: number,
): { readonly done: Promise<{ woken: boolean }>; wake(): void } {
  let settle: (result: { woken: boolean }) => void = () => undefined;
  const done = new Promise<{ woken: boolean }>((resolve) => {
    settle = resolve;
  });
  const cancel = timers.setTimeout(() => settle({ woken: false }), delayMs);
  return {
    done,
    wake() {
      cancel();
      settle({ woken: true });
    },
  };
}
