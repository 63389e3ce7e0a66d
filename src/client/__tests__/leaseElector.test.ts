import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LeaseElector, parseLease } from '../leaseElector.js';
import { systemTimeouts, type TimeoutProvider } from '../timeoutProvider.js';
import { flush, SharedStorage } from './fakes.js';

const KEY = 'finance-leader-lease';

interface Tab {
  readonly elector: LeaseElector;
  readonly changes: boolean[];
  isLeader(): boolean;
  /** The tab dies: none of its timers fire again and it never removes its lease. */
  crash(): void;
}

function openTab(shared: SharedStorage, tabId: string, options: { storageEvents?: boolean } = {}): Tab {
  const { storage, storageEvents } = shared.tab();
  const changes: boolean[] = [];
  let crashed = false;
  const timers: TimeoutProvider = {
    now: () => systemTimeouts.now(),
    setTimeout: (callback, delayMs) =>
      systemTimeouts.setTimeout(() => {
        if (!crashed) callback();
      }, delayMs),
  };
  const elector = new LeaseElector({
    key: KEY,
    tabId,
    storage,
    timers,
    leaseMs: 2_000,
    heartbeatMs: 500,
    settleMs: 50,
    ...(options.storageEvents === false ? {} : { storageEvents }),
  });
  elector.start((leader) => changes.push(leader));
  return {
    elector,
    changes,
    isLeader: () => changes.at(-1) === true,
    crash: () => {
      crashed = true;
    },
  };
}

async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await flush();
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('LeaseElector', () => {
  it('the first tab claims the lease under <domain>-leader-lease and renews it', async () => {
    const shared = new SharedStorage();
    const tab = openTab(shared, 'tab-a');
    await advance(50);
    expect(tab.isLeader()).toBe(true);
    const first = parseLease(shared.get(KEY));
    expect(first?.owner).toBe('tab-a');
    await advance(500);
    expect(parseLease(shared.get(KEY))?.expiresAt).toBeGreaterThan(first?.expiresAt ?? Infinity);
    tab.elector.dispose();
  });

  it('keeps exactly one leader among three tabs over time', async () => {
    const shared = new SharedStorage();
    const tabs = ['a', 'b', 'c'].map((id) => openTab(shared, id));
    for (let step = 0; step < 40; step += 1) {
      await advance(250);
      expect(tabs.filter((tab) => tab.isLeader())).toHaveLength(1);
    }
    for (const tab of tabs) tab.elector.dispose();
  });

  it('hands over at once when the leader leaves (storage event)', async () => {
    const shared = new SharedStorage();
    const a = openTab(shared, 'a');
    await advance(50);
    const b = openTab(shared, 'b');
    await advance(1_000);
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    a.elector.dispose();
    expect(shared.get(KEY)).toBeNull();
    await advance(50);
    expect(b.isLeader()).toBe(true);
    b.elector.dispose();
  });

  it('replaces a crashed leader once its lease expires, within 2.6 s', async () => {
    const shared = new SharedStorage();
    const a = openTab(shared, 'a');
    await advance(50);
    const b = openTab(shared, 'b');
    await advance(100);
    a.crash();
    await advance(1_800);
    expect(b.isLeader()).toBe(false);
    await advance(700);
    expect(b.isLeader()).toBe(true);
    expect(parseLease(shared.get(KEY))?.owner).toBe('b');
    b.elector.dispose();
  });

  it('reads its claim back: a tab whose claim was overwritten in the settle window stays follower', async () => {
    const shared = new SharedStorage();
    const a = openTab(shared, 'a', { storageEvents: false });
    // Tab b read "no lease" at the same time as a, and wrote its claim just after a's.
    shared.tab().storage.setItem(KEY, JSON.stringify({ owner: 'b', expiresAt: Date.now() + 2_000 }));
    await advance(50);
    expect(a.isLeader()).toBe(false);
    expect(a.changes).toEqual([]);
    a.elector.dispose();
    expect(parseLease(shared.get(KEY))?.owner).toBe('b');
  });

  it('steps down when it finds another live owner (it was frozen past its lease)', async () => {
    const shared = new SharedStorage();
    const a = openTab(shared, 'a', { storageEvents: false });
    await advance(50);
    const intruder = shared.tab().storage;
    intruder.setItem(KEY, JSON.stringify({ owner: 'z', expiresAt: Date.now() + 10_000 }));
    await advance(500);
    expect(a.changes).toEqual([true, false]);
    a.elector.dispose();
    expect(parseLease(shared.get(KEY))?.owner).toBe('z');
  });

  it('ignores garbage under the key as if it were absent', () => {
    expect(parseLease('not json')).toBeNull();
    expect(parseLease('{"owner":1}')).toBeNull();
    expect(parseLease(null)).toBeNull();
  });
});

