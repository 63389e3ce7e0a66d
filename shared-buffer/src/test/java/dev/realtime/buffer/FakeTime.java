package dev.realtime.buffer;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A TimeSource that moves only when told to. Thread-safe. */
final class FakeTime implements TimeSource {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    void advanceNanos(long by) {
        nanos.addAndGet(by);
    }
}
