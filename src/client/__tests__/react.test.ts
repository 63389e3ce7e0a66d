// @vitest-environment happy-dom
import { act, createElement, type ReactElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useRealtime } from '../react.js';
import type { RealtimeListener, RealtimeNotification, RealtimeStatus } from '../types.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

class FakeRealtime {
  readonly listeners = new Set<RealtimeListener>();
  status: RealtimeStatus = { role: 'follower', connection: 'connecting', domains: {} };
  subscribe(listener: RealtimeListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(notification: RealtimeNotification): void {
    for (const listener of [...this.listeners]) listener(notification);
  }
  setStatus(status: RealtimeStatus): void {
    this.status = status;
    this.emit({ type: 'status', status });
  }
}

let container: HTMLElement;
let root: Root;

beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});

afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

describe('useRealtime', () => {
  it('renders the status and re-renders when it changes', () => {
    const realtime = new FakeRealtime();
    function Status(): ReactElement {
      const status = useRealtime(realtime);
      return createElement('span', null, `${status.role}/${status.connection}`);
    }
    act(() => root.render(createElement(Status)));
    expect(container.textContent).toBe('follower/connecting');
    act(() => realtime.setStatus({ role: 'leader', connection: 'connected', domains: {} }));
    expect(container.textContent).toBe('leader/connected');
  });

  it('passes notifications to the latest callback and unsubscribes on unmount', () => {
    const realtime = new FakeRealtime();
    const seen: string[] = [];
    function Listener(props: { readonly tag: string }): null {
      useRealtime(realtime, (notification) => seen.push(`${props.tag}:${notification.type}`));
      return null;
    }
    act(() => root.render(createElement(Listener, { tag: 'first' })));
    act(() => realtime.emit({ type: 'invalidate', domain: 'finance' }));
    act(() => root.render(createElement(Listener, { tag: 'second' })));
    act(() => realtime.emit({ type: 'reset', domain: 'finance', cursor: null }));
    expect(seen).toEqual(['first:invalidate', 'second:reset']);
    act(() => root.unmount());
    expect(realtime.listeners.size).toBe(0);
    root = createRoot(container);
  });
});
