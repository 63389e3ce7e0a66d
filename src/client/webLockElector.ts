import type { Elector } from './types.js';

/** The part of `navigator.locks` the elector uses; inject a fake in tests. */
export interface LockManagerLike {
  request(
    name: string,
    options: { readonly mode?: 'exclusive' | 'shared'; readonly signal?: AbortSignal },
    callback: (lock: unknown) => Promise<unknown>,
  ): Promise<unknown>;
}

/** Returns `navigator.locks` when this browser (and context) has Web Locks, else `null`. */
export function findLockManager(): LockManagerLike | null {
  const navigatorLike = (globalThis as { navigator?: { locks?: LockManagerLike } }).navigator;
  const locks = navigatorLike?.locks;
  return locks !== undefined && typeof locks.request === 'function' ? locks : null;
}

/**
 * Leader election with Web Locks: the leader is the tab holding an exclusive lock, which it
 * holds with a promise that only resolves on `dispose()`. The browser releases it when the
 * tab closes or crashes, and grants it to the next waiter in request order, so hand-over
 * needs no timers at all.
 */
export class WebLockElector implements Elector {
  readonly #name: string;
  readonly #locks: LockManagerLike;
  #abort: AbortController | null = null;
  #release: (() => void) | null = null;
  #disposed = false;

  constructor(name: string, locks: LockManagerLike) {
    this.#name = name;
    this.#locks = locks;
  }

  start(onChange: (leader: boolean) => void): void {
    if (this.#disposed || this.#abort !== null) return;
    const abort = new AbortController();
    this.#abort = abort;
    const held = (): Promise<void> => {
      if (this.#disposed) return Promise.resolve();
      return new Promise<void>((resolve) => {
        this.#release = resolve;
        onChange(true);
      });
    };
    this.#locks
      .request(this.#name, { mode: 'exclusive', signal: abort.signal }, held)
      .catch(() => {
        // AbortError: we gave up waiting in dispose(). Nothing else rejects this promise.
      });
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#abort?.abort();
    this.#release?.();
    this.#release = null;
  }
}
