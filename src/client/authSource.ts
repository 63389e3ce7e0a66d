import type { TokenSource } from './types.js';

/** Why the source stopped handing out tokens. */
export type AuthPauseReason = 'no-token' | 'rejected';

/** A header value to send, tagged with the token it carries so a 401 can name it. */
export interface AuthHeader {
  readonly value: string;
  readonly token: string;
}

/**
 * Hands out `Authorization` header values from the app's token callback. Shared by every loop
 * of a session, so a 401 seen by two domains at once costs one refresh.
 *
 * Rules: never an empty header (no token ⇒ no request); the callback is asked before each
 * request (it owns caching); after a rejection it is asked once with `forceRefresh`; a second
 * rejection with no accepted request in between pauses the source until {@link resume}.
 */
export class AuthSource {
  readonly #getToken: TokenSource;
  #lastToken: string | null = null;
  #refreshedSinceSuccess = false;
  #refreshing: Promise<string | null> | null = null;
  #paused: AuthPauseReason | null = null;
  readonly #pauseListeners = new Set<(reason: AuthPauseReason | null) => void>();

  constructor(getToken: TokenSource) {
    this.#getToken = getToken;
  }

  /** Why the source is paused, or `null` when it is not. */
  get paused(): AuthPauseReason | null {
    return this.#paused;
  }

  /**
   * Returns the header to send, or `null` when the source is paused or no token can be had
   * (the caller then sends no request at all).
   */
  async header(): Promise<AuthHeader | null> {
    if (this.#paused !== null) return null;
    if (this.#refreshing !== null) await this.#refreshing;
    let token = await this.#ask(/* forceRefresh= */ false);
    if (token === null && this.#paused === null) token = await this.#refresh();
    if (this.#paused !== null) return null;
    if (token === null) {
      this.#pause('no-token');
      return null;
    }
    return { value: `Bearer ${token}`, token };
  }

  /**
   * Handles a 401/403 for a request that carried `token`. Returns `true` when a retry may go
   * out at once, `false` when the source is now paused.
   */
  async rejected(token: string): Promise<boolean> {
    if (this.#paused !== null) return false;
    if (this.#refreshing !== null) await this.#refreshing;
    if (this.#paused !== null) return false;
    // Another loop already refreshed past the rejected token: just retry with the new one.
    if (this.#lastToken !== null && this.#lastToken !== token) return true;
    if (this.#refreshedSinceSuccess) {
      this.#pause('rejected');
      return false;
    }
    const fresh = await this.#refresh();
    if (fresh === null) {
      this.#pause('no-token');
      return false;
    }
    return this.#paused === null;
  }

  /** Records that a request was accepted: the next rejection may refresh again. */
  succeeded(): void {
    this.#refreshedSinceSuccess = false;
  }

  /** Leaves the paused state (the user signed in again); the next header asks for a token. */
  resume(): void {
    if (this.#paused === null) return;
    this.#paused = null;
    this.#lastToken = null;
    this.#refreshedSinceSuccess = false;
    this.#notify();
  }

  /** Calls `listener` with the pause reason whenever it changes; returns the unsubscribe. */
  onPauseChange(listener: (reason: AuthPauseReason | null) => void): () => void {
    this.#pauseListeners.add(listener);
    return () => {
      this.#pauseListeners.delete(listener);
    };
  }

  dispose(): void {
    this.#pauseListeners.clear();
    this.#lastToken = null;
  }

  #refresh(): Promise<string | null> {
    if (this.#refreshing === null) {
      this.#refreshedSinceSuccess = true;
      const refreshing = this.#ask(/* forceRefresh= */ true).finally(() => {
        if (this.#refreshing === refreshing) this.#refreshing = null;
      });
      this.#refreshing = refreshing;
    }
    return this.#refreshing;
  }

  async #ask(forceRefresh: boolean): Promise<string | null> {
    let token: string | null | undefined;
    try {
      token = await this.#getToken({ forceRefresh });
    } catch {
      token = null;
    }
    const usable = typeof token === 'string' && token.trim() !== '' ? token.trim() : null;
    this.#lastToken = usable;
    return usable;
  }

  #pause(reason: AuthPauseReason): void {
    if (this.#paused === reason) return;
    this.#paused = reason;
    this.#notify();
  }

  #notify(): void {
    for (const listener of this.#pauseListeners) listener(this.#paused);
  }
}
