import { describe, expect, it } from 'vitest';
import { ChannelBus, createMemoryChannels, EventIdWindow, type BusMessage } from '../channelBus.js';
import { financeEvent, flush } from './fakes.js';

describe('EventIdWindow', () => {
  it('admits an id once', () => {
    const window = new EventIdWindow(10);
    expect(window.admit('e-1')).toBe(true);
    expect(window.admit('e-1')).toBe(false);
    expect(window.admit('e-2')).toBe(true);
  });

  it('keeps memory bounded by forgetting the oldest ids', () => {
    const window = new EventIdWindow(3);
    for (const id of ['a', 'b', 'c', 'd']) window.admit(id);
    expect(window.size).toBe(3);
    expect(window.admit('b')).toBe(false);
    expect(window.admit('a')).toBe(true);
  });

  it('filters a batch in order, dropping repeats inside it and against earlier batches', () => {
    const window = new EventIdWindow(100);
    const [one, two, three] = [financeEvent(), financeEvent(), financeEvent()];
    expect(window.filter([one!, two!])).toEqual([one, two]);
    expect(window.filter([two!, three!, three!])).toEqual([three]);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new EventIdWindow(0)).toThrow(RangeError);
  });
});

describe('ChannelBus', () => {
  it('fans out on <domain>-events to every other tab, not back to the sender', async () => {
    const channels = createMemoryChannels();
    const [a, b, c] = [0, 1, 2].map(() => new ChannelBus('finance', channels));
    const received: Array<[string, BusMessage]> = [];
    a!.onMessage((message) => received.push(['a', message]));
    b!.onMessage((message) => received.push(['b', message]));
    c!.onMessage((message) => received.push(['c', message]));
    const message: BusMessage = { kind: 'events', cursor: 'k1.2', events: [financeEvent()] };
    a!.post(message);
    await flush();
    expect(received).toEqual([
      ['b', message],
      ['c', message],
    ]);
  });

  it('uses the seed channel name and ignores messages that are not ours', async () => {
    const channels = createMemoryChannels();
    const bus = new ChannelBus('tasks', channels);
    const received: BusMessage[] = [];
    bus.onMessage((message) => received.push(message));
    const console = channels('tasks-events');
    console.postMessage({ kind: 'events', cursor: 'x', events: [{ noId: true }] });
    console.postMessage('hello');
    console.postMessage({ kind: 'reset', cursor: 'k9.1' });
    await flush();
    expect(received).toEqual([{ kind: 'reset', cursor: 'k9.1' }]);
  });

  it('dispose closes the port and drops listeners', async () => {
    const channels = createMemoryChannels();
    const a = new ChannelBus('finance', channels);
    const b = new ChannelBus('finance', channels);
    const received: BusMessage[] = [];
    b.onMessage((message) => received.push(message));
    b.dispose();
    a.post({ kind: 'invalidate' });
    await flush();
    expect(received).toEqual([]);
    expect(channels.openPorts()).toBe(1);
  });
});
