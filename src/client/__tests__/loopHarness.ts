/** Shared set-up of the poll loop tests: one loop against a fake server. */
import { vi } from 'vitest';
import { AuthSource } from '../authSource.js';
import { DEFAULT_BACKOFF, type BackoffPolicy } from '../backoff.js';
import { OnlineSource } from '../onlineSource.js';
import { PollLoop, type LoopOutput } from '../pollLoop.js';
import { systemTimeouts } from '../timeoutProvider.js';
import type { DomainStatus } from '../types.js';
import { FakeServer, flush } from './fakes.js';

export const URL = 'http://127.0.0.1:8080/finance/realtime/subscribe';

export interface Harness {
  readonly server: FakeServer;
  readonly online: OnlineSource;
  readonly outputs: LoopOutput[];
  readonly statuses: DomainStatus[];
  readonly loop: PollLoop;
}

export function startLoop(
  options: { cursor?: string | null; policy?: Partial<BackoffPolicy>; random?: () => number } = {},
): Harness {
  const server = new FakeServer();
  const online = new OnlineSource({ initial: true, setup: () => undefined });
  const outputs: LoopOutput[] = [];
  const statuses: DomainStatus[] = [];
  const loop = new PollLoop({
    url: URL,
    fetch: server.fetch,
    auth: new AuthSource(() => 'token-1'),
    online,
    timers: systemTimeouts,
    policy: { ...DEFAULT_BACKOFF, ...options.policy },
    random: options.random ?? (() => 1),
    initialCursor: options.cursor ?? null,
    onOutput: (output) => outputs.push(output),
    onStatus: (status) => statuses.push(status),
  });
  return { server, online, outputs, statuses, loop };
}

/** Advances fake time and lets the loop react. */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms);
  await flush();
}
