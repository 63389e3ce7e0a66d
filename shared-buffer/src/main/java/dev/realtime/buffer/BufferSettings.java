package dev.realtime.buffer;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits of one domain's buffers, validated at construction so that a bad value fails the boot, not the first
 * request.
 *
 * @param capacity most events one org's buffer holds; the oldest is dropped to make room
 * @param ttl longest time an event stays buffered
 * @param idleAfter how long an org with no events and no waiters stays buffered before eviction
 * @param maxOrgs most orgs buffered at once; beyond it new orgs are rejected until some are evicted
 * @param coalesceWindow how recent an event must be to be merged with a newer one; zero disables coalescing
 */
public record BufferSettings(int capacity, Duration ttl, Duration idleAfter, int maxOrgs, Duration coalesceWindow) {

    /** Validates every limit. */
    public BufferSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(idleAfter, "idleAfter");
        Objects.requireNonNull(coalesceWindow, "coalesceWindow");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be positive, was " + ttl);
        }
        if (idleAfter.isNegative() || idleAfter.isZero()) {
            throw new IllegalArgumentException("idleAfter must be positive, was " + idleAfter);
        }
        if (maxOrgs < 1) {
            throw new IllegalArgumentException("maxOrgs must be positive, was " + maxOrgs);
        }
        if (coalesceWindow.isNegative()) {
            throw new IllegalArgumentException("coalesceWindow must not be negative, was " + coalesceWindow);
        }
    }

    /** Returns settings with the given capacity and TTL, idle eviction after one minute, 1,000,000 orgs, no coalescing. */
    public static BufferSettings of(int capacity, Duration ttl) {
        return new BufferSettings(capacity, ttl, Duration.ofMinutes(1), 1_000_000, Duration.ZERO);
    }

    /** Returns a copy with {@code idleAfter} replaced. */
    public BufferSettings withIdleAfter(Duration idleAfter) {
        return new BufferSettings(capacity, ttl, idleAfter, maxOrgs, coalesceWindow);
    }

    /** Returns a copy with {@code maxOrgs} replaced. */
    public BufferSettings withMaxOrgs(int maxOrgs) {
        return new BufferSettings(capacity, ttl, idleAfter, maxOrgs, coalesceWindow);
    }

    /** Returns a copy with {@code coalesceWindow} replaced. */
    public BufferSettings withCoalesceWindow(Duration coalesceWindow) {
        return new BufferSettings(capacity, ttl, idleAfter, maxOrgs, coalesceWindow);
    }
}
