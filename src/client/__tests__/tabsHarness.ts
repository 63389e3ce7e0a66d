import { vi } from 'vitest';
import { createMemoryChannels } from '../channelBus.js';
import { OnlineSource } from '../onlineSource.js';
import { createRealtimeClient, type RealtimeClient, type RealtimeClientOptions } from '../realtimeClient.js';
import type { RealtimeEvent, RealtimeNotification } from '../types.js';
import { FakeLocks, FakeServer, flush, SharedStorage } from './fakes.js';

/** Shared set-up of the client tests: several tabs of one browser session. */
export const BASE = 'http://127.0.0.1:8081';

/** One browser session: tabs share channels, locks, storage and the (fake) server. */
export class Browser {
  readonly channels = createMemoryChannels();
  readonly locks = new FakeLocks();
  readonly storage = new SharedStorage();
  readonly server = new FakeServer();
  readonly tabs: Tab[] = [];

  open(options: Partial<RealtimeClientOptions> & { lease?: boolean } = {}): Tab {
    const online = new OnlineSource({ initial: true, setup: () => undefined });
    const storageTab = this.storage.tab();
    const { lease, ...rest } = options;
    const client = createRealtimeClient({
      domain: 'finance',
      baseUrl: BASE,
      getToken: () => 'token-1',
      fetch: this.server.fetch,
      channels: this.channels,
      locks: lease === true ? null : this.locks.manager(),
      storage: storageTab.storage,
      storageEvents: storageTab.storageEvents,
      online,
      random: () => 1,
      stopOnPageHide: false,
      ...rest,
    });
    const tab = new Tab(client, online);
    this.tabs.push(tab);
    return tab;
  }

  leaders(): Tab[] {
    return this.tabs.filter((tab) => tab.client.status.role === 'leader');
  }
}

export class Tab {
  readonly notifications: RealtimeNotification[] = [];
  constructor(
    readonly client: RealtimeClient,
    readonly online: OnlineSource,
  ) {
    client.subscribe((notification) => this.notifications.push(notification));
  }

  /** Every event this tab's listeners got, in order. */
  events(): RealtimeEvent[] {
    return this.notifications.flatMap((notification) => (notification.type === 'events' ? notification.events : []));
  }

  ofType<T extends RealtimeNotification['type']>(type: T): Array<Extract<RealtimeNotification, { type: T }>> {
    return this.notifications.filter(
      (notification): notification is Extract<RealtimeNotification, { type: T }> => notification.type === type,
    );
  }
}

export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await flush(50);
}
