package dev.realtime.service.publish;

import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids for events published without one: a random prefix drawn once per instance, then a counter, both base 36
 * ({@code 1x0k2m9q7fz3e-2s}). Unique within the instance by the counter and across instances (replicas, restarts)
 * by 64 random bits, without a secure random draw per event as a UUID would take. Create instances at run time,
 * never in a static initializer: a native image runs those at build time, and every pod would share the prefix.
 * The counter shows how many events the instance published between two ids, as the cursor's domain-wide seq
 * already does. Thread-safe.
 */
public final class EventIds {
    private final String prefix;
    private final AtomicLong counter = new AtomicLong();

    /** Returns ids whose prefix is {@code randomBits} in base 36. */
    public EventIds(long randomBits) {
        this.prefix = Long.toUnsignedString(randomBits, 36) + "-";
    }

    /** Returns ids with a prefix from a secure random source. */
    public static EventIds random() {
        return new EventIds(new SecureRandom().nextLong());
    }

    /** Returns an id this instance never returned before. */
    public String next() {
        return prefix + Long.toString(counter.incrementAndGet(), 36);
    }
}
