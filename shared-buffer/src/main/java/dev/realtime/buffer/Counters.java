package dev.realtime.buffer;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** The live figures behind {@link BufferStats}; updated from any thread. */
final class Counters {
    final AtomicLong orgs = new AtomicLong();
    final LongAdder events = new LongAdder();
    final LongAdder waiters = new LongAdder();
    final LongAdder appended = new LongAdder();
    final LongAdder duplicates = new LongAdder();
    final LongAdder coalesced = new LongAdder();
    final LongAdder[] dropped = {new LongAdder(), new LongAdder(), new LongAdder()};
    final LongAdder evictions = new LongAdder();
    final LongAdder rejected = new LongAdder();

    BufferStats snapshot() {
        return new BufferStats(
                orgs.get(),
                events.sum(),
                waiters.sum(),
                appended.sum(),
                duplicates.sum(),
                coalesced.sum(),
                dropped[DropReason.CAPACITY.ordinal()].sum(),
                dropped[DropReason.TTL.ordinal()].sum(),
                dropped[DropReason.IDLE.ordinal()].sum(),
                evictions.sum(),
                rejected.sum());
    }
}
