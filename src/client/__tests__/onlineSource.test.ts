import { describe, expect, it } from 'vitest';
import { OnlineSource } from '../onlineSource.js';

describe('OnlineSource', () => {
  it('reports changes once each and not repeats of the same state', () => {
    let setOnline: (online: boolean) => void = () => undefined;
    const source = new OnlineSource({ initial: true, setup: (set) => void (setOnline = set) });
    const seen: boolean[] = [];
    source.subscribe((online) => seen.push(online));
    setOnline(false);
    setOnline(false);
    setOnline(true);
    expect(seen).toEqual([false, true]);
    expect(source.isOnline()).toBe(true);
  });

  it('setEventListener removes the previous wiring, and dispose removes the last', () => {
    const removed: string[] = [];
    const source = new OnlineSource({ initial: true, setup: () => () => removed.push('first') });
    source.setEventListener(() => () => removed.push('second'));
    expect(removed).toEqual(['first']);
    source.dispose();
    expect(removed).toEqual(['first', 'second']);
  });

  it('assumes online outside a browser', () => {
    const source = new OnlineSource({ setup: () => undefined });
    expect(source.isOnline()).toBe(true);
  });
});
