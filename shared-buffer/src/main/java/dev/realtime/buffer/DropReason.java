package dev.realtime.buffer;

/** Why an event left a buffer before every subscriber could have read it. Every drop is counted by reason. */
public enum DropReason {
    /** The org's buffer was full; the oldest event made room for a new one. */
    CAPACITY,
    /** The event was older than the buffer's TTL. */
    TTL,
    /** The org was evicted as idle while it still held the event (only when idle-after is shorter than TTL). */
    IDLE;

    /** Returns the lower-case name used in metrics tags and JSON, e.g. {@code capacity}. */
    public String tag() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
