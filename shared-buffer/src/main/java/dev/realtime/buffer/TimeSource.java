package dev.realtime.buffer;

/**
 * A monotonic clock in nanoseconds, injected so that TTL, idle eviction and coalescing windows are testable
 * without sleeping. Only differences between two readings are meaningful.
 */
@FunctionalInterface
public interface TimeSource {

    /** Returns the current reading, in nanoseconds. */
    long nanoTime();

    /** Returns the system's monotonic clock ({@link System#nanoTime()}). */
    static TimeSource system() {
        return System::nanoTime;
    }
}
