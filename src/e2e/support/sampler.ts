import type { FinanceService } from './financeService.js';
import { sleep } from './wait.js';

/** Polls the service's `waiters` gauge (parked polls) every `intervalMs` until stopped. */
export function sampleWaiters(service: FinanceService, intervalMs = 50): { stop(): Promise<number[]> } {
  const samples: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      samples.push((await service.metrics()).waiters);
      await sleep(intervalMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return samples;
    },
  };
}
