import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BACKOFF,
  degradedDelayMs,
  emptyDelayMs,
  errorDelayMs,
  exponentialMs,
  parseRetryAfterMs,
} from '../backoff.js';

const policy = DEFAULT_BACKOFF;

describe('exponentialMs', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3].map((attempt) => exponentialMs(attempt, 500, 3_000))).toEqual([500, 1_000, 2_000, 3_000]);
    expect(exponentialMs(10_000, 500, 3_000)).toBe(3_000);
  });
});

describe('errorDelayMs', () => {
  it('uses full jitter over the capped exponential', () => {
    expect(errorDelayMs(1, null, policy, () => 0.5)).toBe(250);
    expect(errorDelayMs(3, null, policy, () => 0.5)).toBe(1_000);
    expect(errorDelayMs(50, null, policy, () => 0.999_999)).toBe(30_000);
    expect(errorDelayMs(50, null, policy, () => 0)).toBe(0);
  });

  it('never retries before Retry-After, even past the cap', () => {
    expect(errorDelayMs(1, 5_000, policy, () => 1)).toBe(5_000);
    expect(errorDelayMs(50, 120_000, policy, () => 1)).toBe(120_000);
  });
});

describe('emptyDelayMs', () => {
  it('polls again at once after a slow (properly parked) empty answer', () => {
    expect(emptyDelayMs(25_000, 3, policy, () => 1)).toBe(0);
    expect(emptyDelayMs(1_500, 3, policy, () => 1)).toBe(0);
  });

  it('grows exponentially with the fast-empty streak and subtracts the round trip', () => {
    const random = () => 1;
    expect(emptyDelayMs(0, 1, policy, random)).toBe(1_000);
    expect(emptyDelayMs(0, 2, policy, random)).toBe(2_000);
    expect(emptyDelayMs(0, 3, policy, random)).toBe(4_000);
    expect(emptyDelayMs(400, 3, policy, random)).toBe(3_600);
    expect(emptyDelayMs(0, 40, policy, random)).toBe(30_000);
  });

  it('keeps at least half the cycle whatever the jitter draws', () => {
    expect(emptyDelayMs(0, 3, policy, () => 0)).toBe(2_000);
  });

  it('bounds an instantly-empty service to fewer than 10 requests a minute, even with the unluckiest jitter', () => {
    let elapsed = 0;
    let requests = 0;
    let streak = 0;
    while (elapsed < 60_000) {
      requests += 1;
      const rttMs = 5;
      elapsed += rttMs;
      streak += 1;
      elapsed += emptyDelayMs(rttMs, streak, policy, () => 0);
    }
    expect(requests).toBeLessThanOrEqual(8);
  });
});

describe('degradedDelayMs', () => {
  it('stays within ±20 % of the interval', () => {
    expect(degradedDelayMs(policy, () => 0)).toBe(24_000);
    expect(degradedDelayMs(policy, () => 1)).toBe(36_000);
  });
});

describe('parseRetryAfterMs', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfterMs('7', 0)).toBe(7_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfterMs(null, 0)).toBeNull();
    expect(parseRetryAfterMs('', 0)).toBeNull();
    expect(parseRetryAfterMs('soon', 0)).toBeNull();
  });
});
