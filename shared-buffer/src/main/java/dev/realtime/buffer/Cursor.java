package dev.realtime.buffer;

import java.util.Objects;

/**
 * A position in a domain's event history: {@code <epoch>.<seq>}, e.g. {@code k3f9.1042}.
 *
 * <p>The epoch names one history (a process start in embedded mode, a Redis stream's life in scale-out mode);
 * seqs are only comparable within one epoch. This class holds the only cursor syntax in the project: an epoch
 * of 1 to {@value #MAX_EPOCH_LENGTH} ASCII letters, digits, {@code _} or {@code -}, a dot, and a seq written
 * as a canonical non-negative decimal {@code long} (no sign, no leading zeros).
 */
public record Cursor(String epoch, long seq) implements Comparable<Cursor> {

    /** Longest epoch accepted, so a cursor header can never be used to make the service hold large strings. */
    public static final int MAX_EPOCH_LENGTH = 32;

    /** Validates the epoch syntax and that {@code seq} is non-negative. */
    public Cursor {
        Objects.requireNonNull(epoch, "epoch");
        if (!isValidEpoch(epoch)) {
            throw new IllegalArgumentException("epoch must be 1-" + MAX_EPOCH_LENGTH
                    + " characters of [A-Za-z0-9_-], was '" + epoch + "'");
        }
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be non-negative, was " + seq);
        }
    }

    /** Returns a cursor at {@code seq} of {@code epoch}. */
    public static Cursor of(String epoch, long seq) {
        return new Cursor(epoch, seq);
    }

    /**
     * Parses {@code text} strictly.
     *
     * @throws IllegalArgumentException when {@code text} is not a well-formed cursor (a malformed cursor is a
     *     client error, distinct from a well-formed but stale one, which is a reset)
     */
    public static Cursor parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("cursor is missing");
        }
        int dot = text.indexOf('.');
        if (dot <= 0 || dot > MAX_EPOCH_LENGTH || dot == text.length() - 1) {
            throw new IllegalArgumentException("cursor must look like <epoch>.<seq>");
        }
        String epoch = text.substring(0, dot);
        if (!isValidEpoch(epoch)) {
            throw new IllegalArgumentException("cursor epoch has characters outside [A-Za-z0-9_-]");
        }
        return new Cursor(epoch, parseSeq(text, dot + 1));
    }

    private static long parseSeq(String text, int from) {
        int digits = text.length() - from;
        if (digits > 19 || (digits > 1 && text.charAt(from) == '0')) {
            throw new IllegalArgumentException("cursor seq must be a canonical non-negative integer");
        }
        long seq = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new IllegalArgumentException("cursor seq must be a canonical non-negative integer");
            }
            try {
                seq = Math.addExact(Math.multiplyExact(seq, 10), c - '0');
            } catch (ArithmeticException overflow) {
                throw new IllegalArgumentException("cursor seq is out of range");
            }
        }
        return seq;
    }

    /** Returns whether {@code epoch} is a well-formed epoch. */
    public static boolean isValidEpoch(String epoch) {
        int length = epoch.length();
        if (length == 0 || length > MAX_EPOCH_LENGTH) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            char c = epoch.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** Returns whether this cursor belongs to the history named {@code epoch}. */
    public boolean isOf(String epoch) {
        return this.epoch.equals(epoch);
    }

    /** Returns the cursor text, {@code <epoch>.<seq>}; {@link #parse} of it returns an equal cursor. */
    public String format() {
        return epoch + '.' + seq;
    }

    /**
     * Compares positions of the same epoch.
     *
     * @throws IllegalArgumentException when the epochs differ: positions of two histories have no order
     */
    @Override
    public int compareTo(Cursor other) {
        if (!epoch.equals(other.epoch)) {
            throw new IllegalArgumentException("cursors of different epochs have no order");
        }
        return Long.compare(seq, other.seq);
    }

    @Override
    public String toString() {
        return format();
    }
}
