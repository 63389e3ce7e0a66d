package dev.realtime.buffer;

/**
 * A snapshot of a domain's buffers. Gauges are current values; counters count since the buffers were created.
 *
 * @param orgs orgs buffered (gauge)
 * @param events events buffered over all orgs (gauge)
 * @param waiters polls parked over all orgs (gauge)
 * @param appended events appended (counter; a coalesced append counts once)
 * @param duplicates appends ignored because their event id was seen within the TTL (counter)
 * @param coalesced appends merged into a recent event of the same entity (counter)
 * @param droppedCapacity events dropped to make room (counter)
 * @param droppedTtl events dropped for age (counter)
 * @param droppedIdle events dropped with an evicted org (counter)
 * @param evictions orgs evicted as idle (counter)
 * @param rejected appends and polls refused by the org limit (counter)
 */
public record BufferStats(
        long orgs,
        long events,
        long waiters,
        long appended,
        long duplicates,
        long coalesced,
        long droppedCapacity,
        long droppedTtl,
        long droppedIdle,
        long evictions,
        long rejected) {

    /** Returns the drop counter for {@code reason}. */
    public long dropped(DropReason reason) {
        return switch (reason) {
            case CAPACITY -> droppedCapacity;
            case TTL -> droppedTtl;
            case IDLE -> droppedIdle;
        };
    }
}
