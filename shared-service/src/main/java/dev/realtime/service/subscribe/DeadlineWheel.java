package dev.realtime.service.subscribe;

/**
 * The wait deadlines of the polls parked on one event loop: a hashed wheel of {@code tickMs} slots, each an
 * intrusive doubly-linked list, so adding and removing a deadline is O(1) and allocates nothing (the entry is the
 * parked poll itself). One periodic tick per event loop replaces a timer per parked poll, whose priority-queue
 * insert and cancel, task object and registry entry were paid on every long-poll (bench/README.md).
 *
 * <p>An entry fires no earlier than its deadline and, when {@link #advance} is called every tick, at most one
 * tick after it. Deadlines further ahead than the wheel's span are allowed: they are looked at once per turn and
 * kept until due. Times are milliseconds of one monotonic clock; only differences matter.
 *
 * <p>Not thread-safe: confined to the one thread that owns it (its event loop). An entry may fire, and may be
 * removed, from within another entry's {@link Entry#onDeadline()}, but not be added again there. An exception
 * from {@code onDeadline} does not stop the others due: it is rethrown by {@link #advance} once they fired.
 */
final class DeadlineWheel {
    private static final int DETACHED = -2;
    private static final int NONE = -1;

    /** A deadline in the wheel: extended by what it belongs to, so the wheel allocates nothing per deadline. */
    abstract static class Entry {
        private Entry prev;
        private Entry next;
        private int slot = NONE;
        private long deadlineMs;

        /** Called on the wheel's thread once the deadline has passed, after the entry left the wheel. */
        abstract void onDeadline();

        /** Whether the entry is in a wheel. */
        final boolean isScheduled() {
            return slot != NONE;
        }
    }

    private final long tickMs;
    private final Entry[] slots;
    private final int mask;
    /** The next tick {@link #advance} looks at. */
    private long nextTick;
    private int size;

    /**
     * @param tickMs the slot width, in milliseconds (> 0): the most an entry fires late
     * @param spanMs the longest delay expected, in milliseconds; longer ones work, at one look per turn
     * @param nowMs the current time, in milliseconds
     */
    DeadlineWheel(long tickMs, long spanMs, long nowMs) {
        if (tickMs <= 0 || spanMs < 0) {
            throw new IllegalArgumentException("tickMs must be positive and spanMs not negative");
        }
        long needed = spanMs / tickMs + 2;
        int length = Integer.highestOneBit((int) Math.min(needed, 1 << 20)) << 1;
        this.tickMs = tickMs;
        this.slots = new Entry[length];
        this.mask = length - 1;
        this.nextTick = Math.floorDiv(nowMs, tickMs) + 1;
    }

    /** Schedules {@code entry}, which must not be scheduled already, to fire at {@code deadlineMs}. */
    void add(Entry entry, long deadlineMs) {
        if (entry.slot != NONE) {
            throw new IllegalStateException("already scheduled");
        }
        entry.deadlineMs = deadlineMs;
        link(entry);
        size++;
    }

    /** Removes {@code entry} if it is scheduled; does nothing otherwise (e.g. when it already fired). */
    void remove(Entry entry) {
        int slot = entry.slot;
        if (slot == NONE) {
            return;
        }
        size--;
        entry.slot = NONE;
        if (slot == DETACHED) {
            // Being walked by advance(): it reads the links, so leave them; the slot mark makes it skip this one.
            return;
        }
        if (entry.prev != null) {
            entry.prev.next = entry.next;
        } else {
            slots[slot] = entry.next;
        }
        if (entry.next != null) {
            entry.next.prev = entry.prev;
        }
        entry.prev = null;
        entry.next = null;
    }

    /**
     * Fires every entry whose deadline is at or before {@code nowMs} and whose tick has come.
     *
     * @return how many entries fired
     */
    int advance(long nowMs) {
        long lastTick = Math.floorDiv(nowMs, tickMs);
        // After a long stall one turn visits every slot; entries not yet due stay.
        long ticks = Math.min(lastTick - nextTick + 1, slots.length);
        int fired = 0;
        for (long t = 0; t < ticks; t++) {
            int index = (int) (nextTick & mask);
            nextTick++;
            fired += fire(index, nowMs);
        }
        if (lastTick >= nextTick) {
            nextTick = lastTick + 1;
        }
        return fired;
    }

    /** How many entries are scheduled. */
    int size() {
        return size;
    }

    private int fire(int index, long nowMs) {
        Entry chain = slots[index];
        if (chain == null) {
            return 0;
        }
        slots[index] = null;
        for (Entry e = chain; e != null; e = e.next) {
            e.slot = DETACHED;
        }
        int fired = 0;
        RuntimeException failure = null;
        Entry e = chain;
        while (e != null) {
            Entry following = e.next;
            e.prev = null;
            e.next = null;
            if (e.slot == DETACHED) {
                if (e.deadlineMs <= nowMs) {
                    e.slot = NONE;
                    size--;
                    fired++;
                    try {
                        e.onDeadline();
                    } catch (RuntimeException thrown) {
                        // The rest of the walk still fires; the first failure is reported after it.
                        if (failure == null) {
                            failure = thrown;
                        }
                    }
                } else {
                    link(e);
                }
            }
            e = following;
        }
        if (failure != null) {
            throw failure;
        }
        return fired;
    }

    private void link(Entry entry) {
        long tick = Math.max(Math.floorDiv(entry.deadlineMs + tickMs - 1, tickMs), nextTick);
        int index = (int) (tick & mask);
        entry.slot = index;
        entry.prev = null;
        entry.next = slots[index];
        if (entry.next != null) {
            entry.next.prev = entry;
        }
        slots[index] = entry;
    }
}
