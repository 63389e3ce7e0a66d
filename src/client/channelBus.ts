import type { ChannelFactory, ChannelPort, DomainStatus, RealtimeEvent } from './types.js';

/** What tabs tell each other on `BroadcastChannel('<domain>-events')`. */
export type BusMessage =
  | { readonly kind: 'events'; readonly cursor: string; readonly events: readonly RealtimeEvent[] }
  | { readonly kind: 'reset'; readonly cursor: string | null }
  | { readonly kind: 'invalidate' }
  /** The leader's loop status, sent on every change and in answer to `hello`. */
  | { readonly kind: 'status'; readonly status: DomainStatus }
  /** A tab asks the leader for its status (sent when a tab becomes follower). */
  | { readonly kind: 'hello' }
  /** A follower asks the leader to retry after the user signed in again. */
  | { readonly kind: 'resume' };

/** Returns the channel name the seed's consoles listen to. */
export function eventsChannelName(domain: string): string {
  return `${domain}-events`;
}

/** Opens real `BroadcastChannel`s. */
export const broadcastChannels: ChannelFactory = (name) => new BroadcastChannel(name);

/**
 * Fan-out of one domain between the tabs of a session. Messages that do not look like ours
 * (another app version, a console test) are ignored rather than trusted.
 */
export class ChannelBus {
  readonly #port: ChannelPort;
  readonly #listeners = new Set<(message: BusMessage) => void>();
  readonly #onPortMessage = (event: MessageEvent) => {
    const message: unknown = event.data;
    if (!isBusMessage(message)) return;
    for (const listener of [...this.#listeners]) listener(message);
  };
  #disposed = false;

  constructor(domain: string, channels: ChannelFactory) {
    this.#port = channels(eventsChannelName(domain));
    this.#port.addEventListener('message', this.#onPortMessage);
  }

  post(message: BusMessage): void {
    if (this.#disposed) return;
    this.#port.postMessage(message);
  }

  /** Calls `listener` for every message from another tab; returns the unsubscribe. */
  onMessage(listener: (message: BusMessage) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#listeners.clear();
    this.#port.removeEventListener('message', this.#onPortMessage);
    this.#port.close();
  }
}

/**
 * Remembers the last `capacity` event ids, so an event that reaches a tab twice (the leader's
 * broadcast and, after a hand-over, its own poll) is delivered once. Memory is bounded: the
 * oldest id is forgotten when a new one would exceed the capacity.
 */
export class EventIdWindow {
  readonly #capacity: number;
  readonly #ids = new Set<string>();
  readonly #ring: Array<string | undefined>;
  #next = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity <= 0) {
      throw new RangeError(`capacity must be a positive integer, was ${capacity}`);
    }
    this.#capacity = capacity;
    this.#ring = new Array<string | undefined>(capacity);
  }

  get size(): number {
    return this.#ids.size;
  }

  /** Returns `true` the first time `eventId` is seen (within the window), `false` after. */
  admit(eventId: string): boolean {
    if (this.#ids.has(eventId)) return false;
    const evicted = this.#ring[this.#next];
    if (evicted !== undefined) this.#ids.delete(evicted);
    this.#ring[this.#next] = eventId;
    this.#next = (this.#next + 1) % this.#capacity;
    this.#ids.add(eventId);
    return true;
  }

  /** Returns the events not seen before, in order, and remembers them. */
  filter(events: readonly RealtimeEvent[]): RealtimeEvent[] {
    return events.filter((event) => this.admit(event.eventId));
  }
}

/**
 * In-memory twin of `BroadcastChannel` for tests: ports of one factory with the same name
 * reach each other (never themselves), asynchronously, with structured-clone copies.
 */
export function createMemoryChannels(): ChannelFactory & { readonly openPorts: () => number } {
  const ports = new Map<string, Set<MemoryPort>>();
  const factory = (name: string): ChannelPort => {
    const peers = ports.get(name) ?? new Set<MemoryPort>();
    ports.set(name, peers);
    const port = new MemoryPort(peers);
    peers.add(port);
    return port;
  };
  return Object.assign(factory, {
    openPorts: () => [...ports.values()].reduce((sum, peers) => sum + peers.size, 0),
  });
}

class MemoryPort implements ChannelPort {
  readonly #peers: Set<MemoryPort>;
  readonly #listeners = new Set<(event: MessageEvent) => void>();
  #closed = false;

  constructor(peers: Set<MemoryPort>) {
    this.#peers = peers;
  }

  postMessage(message: unknown): void {
    if (this.#closed) throw new Error('InvalidStateError: channel is closed');
    const targets = [...this.#peers].filter((peer) => peer !== this);
    for (const target of targets) {
      const copy: unknown = structuredClone(message);
      queueMicrotask(() => target.#deliver(copy));
    }
  }

  addEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: 'message', listener: (event: MessageEvent) => void): void {
    this.#listeners.delete(listener);
  }

  close(): void {
    this.#closed = true;
    this.#peers.delete(this);
  }

  #deliver(data: unknown): void {
    if (this.#closed) return;
    const event = { data } as MessageEvent;
    for (const listener of [...this.#listeners]) listener(event);
  }
}

function isBusMessage(value: unknown): value is BusMessage {
  if (typeof value !== 'object' || value === null) return false;
  const message = value as { kind?: unknown; cursor?: unknown; events?: unknown; status?: unknown };
  switch (message.kind) {
    case 'events':
      return (
        typeof message.cursor === 'string' &&
        Array.isArray(message.events) &&
        message.events.every((event: unknown) => hasEventId(event))
      );
    case 'reset':
      return typeof message.cursor === 'string' || message.cursor === null;
    case 'status':
      return typeof message.status === 'object' && message.status !== null;
    case 'invalidate':
    case 'hello':
    case 'resume':
      return true;
    default:
      return false;
  }
}

function hasEventId(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { eventId?: unknown }).eventId === 'string';
}
