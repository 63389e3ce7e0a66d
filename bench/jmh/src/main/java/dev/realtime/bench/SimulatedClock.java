package dev.realtime.bench;

import dev.realtime.buffer.TimeSource;

/**
 * A clock the benchmark moves by hand: reading it costs a field load, and simulated time passes only when the
 * benchmark says an event arrived. Not thread-safe; each benchmark state owns one.
 */
final class SimulatedClock implements TimeSource {
    private long nowNanos;

    @Override
    public long nanoTime() {
        return nowNanos;
    }

    /** Moves the clock forward by {@code nanos}. */
    void advance(long nanos) {
        nowNanos += nanos;
    }
}
