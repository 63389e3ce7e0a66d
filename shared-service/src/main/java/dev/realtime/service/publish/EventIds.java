package dev.realtime.service.publish;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for events published without one: a random prefix drawn once per instance, then a counter, both base 36
 * ({@code 1x0k2m9q7fz3e-2s}). Unique within the instance by the counter and across instances (replicas, restarts)
 * by 64 random bits, without a secure random draw per event as a UUID would take. Thread-safe.
 */
final class EventIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    EventIds(long randomBits) {
        this.prefix = Long.toUnsignedString(randomBits, 36) + "-";
    }

    /** Returns ids with a prefix from a secure random source. */
    static EventIds random() {
        return new EventIds(new SecureRandom().nextLong());
    }

    /** Returns an id this instance never returned before. */
    String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
