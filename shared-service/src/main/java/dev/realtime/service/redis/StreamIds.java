package dev.realtime.service.redis;

/**
 * Maps Redis Stream entry ids ({@code <ms>-<n>}) to seqs and back, so a cursor names the same entry on every
 * replica: {@code seq = ms << 20 | n}. Ordering is preserved; an entry with {@code n >= 2^20} (over a million
 * entries in one millisecond) cannot be represented and is refused.
 */
public final class StreamIds {
    private static final int SEQ_BITS = 20;
    private static final long SEQ_MASK = (1L << SEQ_BITS) - 1;

    private StreamIds() {}

    /** Returns the seq of entry {@code id}. */
    public static long toSeq(String id) {
        int dash = id.indexOf('-');
        if (dash <= 0) {
            throw new IllegalArgumentException("not a stream id: " + id);
        }
        long ms = Long.parseLong(id, 0, dash, 10);
        long n = Long.parseLong(id, dash + 1, id.length(), 10);
        if (n > SEQ_MASK || ms > (Long.MAX_VALUE >> SEQ_BITS)) {
            throw new IllegalArgumentException("stream id out of range: " + id);
        }
        return (ms << SEQ_BITS) | n;
    }

    /** Returns the entry id of {@code seq}. */
    public static String toId(long seq) {
        return (seq >>> SEQ_BITS) + "-" + (seq & SEQ_MASK);
    }

    /** Returns the smallest entry id at or after {@code ms}. */
    public static String firstIdAt(long ms) {
        return Math.max(0, ms) + "-0";
    }
}
