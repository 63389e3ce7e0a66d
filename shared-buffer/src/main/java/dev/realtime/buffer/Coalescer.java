package dev.realtime.buffer;

/**
 * Merges bursts about one entity into one event (analytics). When an event arrives and the org's buffer holds
 * a {@linkplain #mergeable mergeable} event appended less than the coalescing window ago, the older one leaves
 * the buffer and the {@linkplain #merge merged} event is appended at a new seq, so a subscriber that had
 * already read the older one still receives the update. A superseded event is not a drop: its information
 * lives on in the merged one, and nobody is reset for it.
 *
 * <p>Both methods run under the org's lock on the appending thread: they must be fast, must not block and
 * must not call back into the buffers.
 */
public interface Coalescer {

    /** Returns whether {@code next} may replace {@code previous} (typically: same type, entity and scope). */
    boolean mergeable(Event previous, Event next);

    /**
     * Returns the event that replaces both: typically {@code next}'s fields and payload with
     * {@code count = previous.count() + next.count()}, re-serialized. Its seq is ignored; the buffer assigns one.
     */
    Event merge(Event previous, Event next);
}
