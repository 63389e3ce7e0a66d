import { describe, expect, it } from 'vitest';
import { WebLockElector } from '../webLockElector.js';
import { FakeLocks, flush } from './fakes.js';

function openTab(locks: FakeLocks, name = 'finance-leader') {
  const changes: boolean[] = [];
  const elector = new WebLockElector(name, locks.manager());
  elector.start((leader) => changes.push(leader));
  return { elector, changes, isLeader: () => changes.at(-1) === true };
}

describe('WebLockElector', () => {
  it('makes the first tab leader and queues the others', async () => {
    const locks = new FakeLocks();
    const tabs = [openTab(locks), openTab(locks), openTab(locks)];
    await flush();
    expect(tabs.map((tab) => tab.isLeader())).toEqual([true, false, false]);
    expect(locks.waiting('finance-leader')).toBe(2);
  });

  it('hands the lock to the next tab in request order when the leader goes', async () => {
    const locks = new FakeLocks();
    const tabs = [openTab(locks), openTab(locks), openTab(locks)];
    await flush();
    tabs[0]?.elector.dispose();
    await flush();
    expect(tabs.slice(1).map((tab) => tab.isLeader())).toEqual([true, false]);
    // dispose() is the tab's own decision: it is not called back about it.
    expect(tabs[0]?.changes).toEqual([true]);
    expect(locks.waiting('finance-leader')).toBe(1);
  });

  it('stops waiting on dispose: a disposed follower never becomes leader', async () => {
    const locks = new FakeLocks();
    const leader = openTab(locks);
    const follower = openTab(locks);
    await flush();
    follower.elector.dispose();
    await flush();
    expect(locks.waiting('finance-leader')).toBe(0);
    leader.elector.dispose();
    await flush();
    expect(follower.changes).toEqual([]);
    expect(locks.isHeld('finance-leader')).toBe(false);
  });

  it('uses separate locks for separate election groups', async () => {
    const locks = new FakeLocks();
    const finance = openTab(locks, 'finance-leader');
    const both = openTab(locks, 'finance+tasks-leader');
    await flush();
    expect([finance.isLeader(), both.isLeader()]).toEqual([true, true]);
  });
});
