import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isLogoutMessage } from '../authControl.js';
import { flush, handshake } from './fakes.js';
import { advance, Browser } from './tabsHarness.js';

let browser: Browser;

beforeEach(() => {
  vi.useFakeTimers();
  browser = new Browser();
});

afterEach(() => {
  for (const tab of browser.tabs) tab.client.stop();
  expect(browser.server.authViolations).toEqual([]);
  vi.useRealTimers();
});

describe('logout on auth-control', () => {
  it('logout() in one tab stops every tab at once, aborting the poll in flight', async () => {
    const tabs = [browser.open(), browser.open(), browser.open()];
    await advance(10);
    browser.server.only().reply(handshake('k1.0'));
    await flush(50);
    const inflight = browser.server.only();
    const sent = browser.server.requests.length;
    tabs[2]!.client.logout();
    await flush(50);
    expect(inflight.aborted()).toBe(true);
    for (const tab of tabs) {
      expect(tab.client.status.role).toBe('stopped');
      expect(tab.ofType('logout')).toHaveLength(1);
    }
    await advance(600_000);
    expect(browser.server.requests).toHaveLength(sent);
    expect(browser.channels.openPorts()).toBe(0);
  });

  it('a logout message posted by app code stops every tab too', async () => {
    const tabs = [browser.open(), browser.open()];
    await advance(10);
    const sent = browser.server.requests.length;
    const app = browser.channels('auth-control');
    app.postMessage({ type: 'logout', id: '5d3c0f7e-0000-4000-8000-000000000000', ts: Date.now() });
    await flush(50);
    expect(tabs.map((tab) => tab.client.status.role)).toEqual(['stopped', 'stopped']);
    await advance(600_000);
    expect(browser.server.requests).toHaveLength(sent);
  });

  it('posts the seed logout message shape', async () => {
    const tab = browser.open({ createId: () => 'id-1' });
    const app = browser.channels('auth-control');
    const seen: unknown[] = [];
    app.addEventListener('message', (event) => seen.push(event.data));
    tab.client.logout();
    await flush();
    expect(seen).toEqual([{ type: 'logout', id: 'id-1', ts: Date.now() }]);
  });

  it('recognises only the seed logout shape', () => {
    expect(isLogoutMessage({ type: 'logout', id: 'x', ts: 1 })).toBe(true);
    expect(isLogoutMessage({ type: 'logout' })).toBe(false);
    expect(isLogoutMessage({ type: 'login', id: 'x', ts: 1 })).toBe(false);
    expect(isLogoutMessage('logout')).toBe(false);
  });
});
