/** Installs listeners that call `setOnline`; returns their removal (TanStack `onlineManager`). */
export type OnlineEventSetup = (setOnline: (online: boolean) => void) => (() => void) | void;

/**
 * Whether the browser is online, shared by every loop of a session. No request goes out
 * while it says offline; the loops wake at once when it flips back.
 */
export class OnlineSource {
  #online: boolean;
  #cleanup: (() => void) | undefined;
  readonly #listeners = new Set<(online: boolean) => void>();

  constructor(options: { readonly initial?: boolean; readonly setup?: OnlineEventSetup } = {}) {
    this.#online = options.initial ?? readNavigatorOnline();
    this.setEventListener(options.setup ?? windowOnlineEvents);
  }

  isOnline(): boolean {
    return this.#online;
  }

  /** Replaces the event wiring (removing the previous one), like TanStack's onlineManager. */
  setEventListener(setup: OnlineEventSetup): void {
    this.#cleanup?.();
    this.#cleanup = setup((online) => this.setOnline(online)) ?? undefined;
  }

  setOnline(online: boolean): void {
    if (online === this.#online) return;
    this.#online = online;
    for (const listener of [...this.#listeners]) listener(online);
  }

  /** Calls `listener` on every change; returns the unsubscribe. */
  subscribe(listener: (online: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  dispose(): void {
    this.#cleanup?.();
    this.#cleanup = undefined;
    this.#listeners.clear();
  }
}

function readNavigatorOnline(): boolean {
  const navigatorLike = (globalThis as { navigator?: { onLine?: boolean } }).navigator;
  return typeof navigatorLike?.onLine === 'boolean' ? navigatorLike.onLine : true;
}

/** The browser wiring: `online`/`offline` events on `window`; nothing outside a browser. */
export const windowOnlineEvents: OnlineEventSetup = (setOnline) => {
  const target = (globalThis as { window?: EventTarget }).window;
  if (target === undefined || typeof target.addEventListener !== 'function') return undefined;
  const online = () => setOnline(true);
  const offline = () => setOnline(false);
  target.addEventListener('online', online);
  target.addEventListener('offline', offline);
  return () => {
    target.removeEventListener('online', online);
    target.removeEventListener('offline', offline);
  };
};
