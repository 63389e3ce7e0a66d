import { EventIdWindow, type BusMessage, type ChannelBus } from './channelBus.js';
import { toDomainStatus } from './loopState.js';
import type { LoopOutput, PollLoop } from './pollLoop.js';
import type { ClientConfig, DomainStatus, RealtimeEvent, RealtimeNotification } from './types.js';

export interface DomainLinkOptions {
  readonly domain: string;
  readonly bus: ChannelBus;
  readonly dedupeCapacity: number;
  /** Starts this domain's loop from `cursor` (and known hints), reporting to the callbacks. */
  readonly startLoop: (
    cursor: string | null,
    config: ClientConfig | null,
    onOutput: (output: LoopOutput) => void,
    onStatus: (status: DomainStatus) => void,
  ) => PollLoop;
  readonly isOnline: () => boolean;
  readonly notify: (notification: RealtimeNotification) => void;
  readonly statusChanged: () => void;
  /** A follower asked the leader to retry after signing in again. */
  readonly resumeRequested: () => void;
}

const FOLLOWER_START: DomainStatus = {
  connection: 'connecting',
  cursor: null,
  config: null,
  consecutiveFailures: 0,
};

/**
 * One domain as seen by one tab: as leader it runs the loop and broadcasts what it gets; as
 * follower it mirrors the leader's broadcasts. Either way every event reaches this tab's
 * listeners once (dedupe by `eventId`), and the tab remembers the last cursor, so when it
 * becomes leader it continues where the old leader stopped and a hand-over loses nothing.
 */
export class DomainLink {
  readonly domain: string;
  readonly #options: DomainLinkOptions;
  readonly #dedupe: EventIdWindow;
  readonly #unsubscribeBus: () => void;
  #loop: PollLoop | null = null;
  #status: DomainStatus = FOLLOWER_START;
  #lastCursor: string | null = null;
  #stopped = false;

  constructor(options: DomainLinkOptions) {
    this.domain = options.domain;
    this.#options = options;
    this.#dedupe = new EventIdWindow(options.dedupeCapacity);
    this.#unsubscribeBus = options.bus.onMessage((message) => this.#onBusMessage(message));
  }

  /** This tab's view of the domain; a follower that is offline itself says so. */
  get status(): DomainStatus {
    if (this.#stopped) return { ...this.#status, connection: 'stopped' };
    if (this.#loop === null && !this.#options.isOnline()) return { ...this.#status, connection: 'offline' };
    return this.#status;
  }

  get isLeading(): boolean {
    return this.#loop !== null;
  }

  lead(): void {
    if (this.#stopped || this.#loop !== null) return;
    const loop = this.#options.startLoop(
      this.#lastCursor,
      this.#status.config,
      (output) => this.#onLoopOutput(output),
      (status) => this.#onLoopStatus(status),
    );
    this.#loop = loop;
    this.#onLoopStatus(toDomainStatus(loop.state));
  }

  follow(): void {
    if (this.#stopped) return;
    const loop = this.#loop;
    this.#loop = null;
    loop?.stop();
    this.#setStatus(FOLLOWER_START);
    this.#options.bus.post({ kind: 'hello' });
  }

  /** Asks whoever leads to retry after the user signed in again. */
  requestResume(): void {
    if (!this.#stopped && this.#loop === null) this.#options.bus.post({ kind: 'resume' });
  }

  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    const loop = this.#loop;
    this.#loop = null;
    loop?.stop();
    this.#unsubscribeBus();
    this.#options.bus.dispose();
  }

  #onLoopOutput(output: LoopOutput): void {
    if (this.#stopped || this.#loop === null) return;
    const { bus, notify } = this.#options;
    switch (output.type) {
      case 'events':
        this.#lastCursor = output.cursor;
        bus.post({ kind: 'events', cursor: output.cursor, events: output.events });
        this.#deliver(output.cursor, output.events);
        break;
      case 'reset':
        this.#lastCursor = output.cursor;
        bus.post({ kind: 'reset', cursor: output.cursor });
        notify({ type: 'reset', domain: this.domain, cursor: output.cursor });
        break;
      case 'invalidate':
        bus.post({ kind: 'invalidate' });
        notify({ type: 'invalidate', domain: this.domain });
        break;
      case 'config':
        notify({ type: 'config', domain: this.domain, config: output.config });
        break;
    }
  }

  #onLoopStatus(status: DomainStatus): void {
    // A loop being stopped reports `stopped`: that is this tab's business, not the session's.
    if (this.#stopped || this.#loop === null) return;
    if (status.cursor !== null) this.#lastCursor = status.cursor;
    this.#options.bus.post({ kind: 'status', status });
    this.#setStatus(status);
  }

  #onBusMessage(message: BusMessage): void {
    if (this.#stopped) return;
    const leading = this.#loop !== null;
    switch (message.kind) {
      case 'events':
        if (!leading) this.#lastCursor = message.cursor;
        this.#deliver(message.cursor, message.events);
        break;
      case 'reset':
        if (!leading) this.#lastCursor = message.cursor;
        this.#options.notify({ type: 'reset', domain: this.domain, cursor: message.cursor });
        break;
      case 'invalidate':
        this.#options.notify({ type: 'invalidate', domain: this.domain });
        break;
      case 'status':
        if (!leading) this.#mirror(message.status);
        break;
      case 'hello':
        if (leading) this.#options.bus.post({ kind: 'status', status: this.#status });
        break;
      case 'resume':
        if (leading) this.#options.resumeRequested();
        break;
    }
  }

  #mirror(status: DomainStatus): void {
    if (status.cursor !== null) this.#lastCursor = status.cursor;
    const previousConfig = this.#status.config;
    const config = sameConfig(previousConfig, status.config) ? previousConfig : status.config;
    this.#setStatus({ ...status, config });
    if (config !== null && config !== previousConfig) {
      this.#options.notify({ type: 'config', domain: this.domain, config });
    }
  }

  #deliver(cursor: string, events: readonly RealtimeEvent[]): void {
    const fresh = this.#dedupe.filter(events);
    if (fresh.length > 0) this.#options.notify({ type: 'events', domain: this.domain, cursor, events: fresh });
  }

  #setStatus(status: DomainStatus): void {
    this.#status = status;
    this.#options.statusChanged();
  }
}

function sameConfig(a: ClientConfig | null, b: ClientConfig | null): boolean {
  if (a === null || b === null) return a === b;
  return a.maxWaitMs === b.maxWaitMs && a.debounceMs === b.debounceMs;
}
