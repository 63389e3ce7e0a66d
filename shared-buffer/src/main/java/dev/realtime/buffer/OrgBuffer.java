package dev.realtime.buffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One org's events and waiters. NOT thread-safe: {@link OrgBuffers} guards every instance with the instance's
 * own monitor. Storage is allocated lazily and grows by doubling up to the capacity, so a quiet org costs this
 * header only.
 */
final class OrgBuffer {
    /** First ring size once an org receives an event: most orgs hold a handful of events at a time. */
    private static final int INITIAL_SLOTS = 2;
    /** Most scopes whose drops are tracked one by one; drops of further scopes raise a shared floor. */
    static final int MAX_TRACKED_SCOPES = 256;

    final String orgId;
    /** The history this buffer's seqs belong to. */
    final OrgBuffers.History history;
    /** Seqs up to this one happened before the buffer existed: nothing about them can be proven. */
    final long knownFrom;
    /** Set under the monitor when the registry removed this buffer; an operation that sees it retries. */
    boolean evicted;
    long lastTouchedNanos;

    private Event[] ring;
    private long[] appendedNanos;
    private int head;
    private int size;

    private long highestDropped = -1;
    private long highestDroppedUnscoped = -1;
    private long droppedScopeFloor = -1;
    private Map<String, Long> droppedByScope;

    /** eventId → {seq, appendedNanos}, in append order, kept for the TTL (idempotency window). */
    private LinkedHashMap<String, long[]> seenIds;

    private Waiter[] waiters;
    private int waiterCount;

    /**
     * Changes to the shared counters not yet published: plain fields under the monitor, flushed once per
     * operation, so an append costs no atomic update for figures that did not change.
     */
    private int pendingEvents;
    private int pendingCapacityDrops;
    private int pendingTtlDrops;
    private int pendingIdleDrops;

    OrgBuffer(String orgId, OrgBuffers.History history, long knownFrom, long nowNanos) {
        this.orgId = orgId;
        this.history = history;
        this.knownFrom = knownFrom;
        this.lastTouchedNanos = nowNanos;
    }

    int size() {
        return size;
    }

    int waiterCount() {
        return waiterCount;
    }

    long highestDropped() {
        return highestDropped;
    }

    private Event at(int i) {
        return ring[(head + i) & (ring.length - 1)];
    }

    private long nanosAt(int i) {
        return appendedNanos[(head + i) & (ring.length - 1)];
    }

    // ---- retention ------------------------------------------------------------------------------------------

    /** Drops events and forgets event ids at least {@code ttlNanos} old. */
    void expire(long nowNanos, long ttlNanos) {
        while (size > 0 && nowNanos - nanosAt(0) >= ttlNanos) {
            dropOldest(DropReason.TTL);
        }
        if (seenIds != null) {
            Iterator<long[]> it = seenIds.values().iterator();
            while (it.hasNext() && nowNanos - it.next()[1] >= ttlNanos) {
                it.remove();
            }
            if (seenIds.isEmpty()) {
                seenIds = null;
            }
        }
        if (size == 0 && ring != null) {
            ring = null;
            appendedNanos = null;
            head = 0;
        }
    }

    /** Drops every event, e.g. when the org is evicted. */
    void dropAll(DropReason reason) {
        while (size > 0) {
            dropOldest(reason);
        }
    }

    private void dropOldest(DropReason reason) {
        int slot = head & (ring.length - 1);
        Event dropped = ring[slot];
        ring[slot] = null;
        head = (head + 1) & (ring.length - 1);
        size--;
        recordDrop(dropped);
        switch (reason) {
            case CAPACITY -> pendingCapacityDrops++;
            case TTL -> pendingTtlDrops++;
            case IDLE -> pendingIdleDrops++;
        }
        pendingEvents--;
    }

    private void recordDrop(Event dropped) {
        long seq = dropped.seq();
        highestDropped = Math.max(highestDropped, seq);
        String scope = dropped.scope();
        if (scope == null) {
            highestDroppedUnscoped = Math.max(highestDroppedUnscoped, seq);
            return;
        }
        if (droppedByScope == null) {
            droppedByScope = new HashMap<>();
        }
        if (droppedByScope.size() < MAX_TRACKED_SCOPES || droppedByScope.containsKey(scope)) {
            droppedByScope.merge(scope, seq, Math::max);
        } else {
            droppedScopeFloor = Math.max(droppedScopeFloor, seq);
        }
    }

    /** Publishes the pending counter changes; call before leaving the monitor. */
    void flushTo(Counters counters) {
        if (pendingEvents != 0) {
            counters.events.add(pendingEvents);
            pendingEvents = 0;
        }
        if (pendingCapacityDrops != 0) {
            counters.dropped[DropReason.CAPACITY.ordinal()].add(pendingCapacityDrops);
            pendingCapacityDrops = 0;
        }
        if (pendingTtlDrops != 0) {
            counters.dropped[DropReason.TTL.ordinal()].add(pendingTtlDrops);
            pendingTtlDrops = 0;
        }
        if (pendingIdleDrops != 0) {
            counters.dropped[DropReason.IDLE.ordinal()].add(pendingIdleDrops);
            pendingIdleDrops = 0;
        }
    }

    // ---- idempotency ----------------------------------------------------------------------------------------

    /** Returns the seq {@code eventId} was appended at within the TTL, or -1. Call after {@link #expire}. */
    long seenSeq(String eventId) {
        if (seenIds == null) {
            return -1;
        }
        long[] seen = seenIds.get(eventId);
        return seen == null ? -1 : seen[0];
    }

    private void remember(String eventId, long seq, long nowNanos) {
        if (seenIds == null) {
            seenIds = new LinkedHashMap<>();
        }
        seenIds.put(eventId, new long[] {seq, nowNanos});
    }

    // ---- append ---------------------------------------------------------------------------------------------

    /**
     * Returns the index of the newest event appended less than {@code windowNanos} ago that {@code coalescer}
     * may merge {@code next} into, or -1.
     */
    int findMergeable(Event next, Coalescer coalescer, long nowNanos, long windowNanos) {
        for (int i = size - 1; i >= 0 && nowNanos - nanosAt(i) < windowNanos; i--) {
            if (coalescer.mergeable(at(i), next)) {
                return i;
            }
        }
        return -1;
    }

    Event eventAt(int i) {
        return at(i);
    }

    /** Removes the event at {@code i}: it was superseded by a merged event, which is not a drop. */
    void removeSuperseded(int i) {
        int mask = ring.length - 1;
        for (int j = i; j < size - 1; j++) {
            ring[(head + j) & mask] = ring[(head + j + 1) & mask];
            appendedNanos[(head + j) & mask] = appendedNanos[(head + j + 1) & mask];
        }
        ring[(head + size - 1) & mask] = null;
        size--;
        pendingEvents--;
    }

    /** Appends {@code event}, whose seq exceeds every buffered seq, dropping the oldest when full. */
    void append(Event event, long nowNanos, int capacity) {
        if (size == capacity) {
            dropOldest(DropReason.CAPACITY);
        }
        if (ring == null) {
            ring = new Event[Math.min(INITIAL_SLOTS, ceilPow2(capacity))];
            appendedNanos = new long[ring.length];
        } else if (size == ring.length) {
            grow();
        }
        int slot = (head + size) & (ring.length - 1);
        ring[slot] = event;
        appendedNanos[slot] = nowNanos;
        size++;
        if (event.idempotent()) {
            remember(event.eventId(), event.seq(), nowNanos);
        }
        pendingEvents++;
    }

    private void grow() {
        int length = ring.length;
        Event[] events = new Event[length * 2];
        long[] nanos = new long[length * 2];
        for (int i = 0; i < size; i++) {
            events[i] = at(i);
            nanos[i] = nanosAt(i);
        }
        ring = events;
        appendedNanos = nanos;
        head = 0;
    }

    private static int ceilPow2(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }

    // ---- read -----------------------------------------------------------------------------------------------

    /**
     * Returns whether a subscriber at {@code afterSeq} with {@code filter} may have missed an event: its cursor
     * is older than this buffer or ahead of the domain, or an event it could see was dropped after it.
     */
    boolean isReset(long afterSeq, EventFilter filter, long headSeq) {
        if (afterSeq > headSeq || afterSeq < knownFrom) {
            return true;
        }
        if (highestDropped <= afterSeq) {
            return false;
        }
        if (filter instanceof EventFilter.All) {
            return true;
        }
        if (highestDroppedUnscoped > afterSeq || droppedScopeFloor > afterSeq) {
            return true;
        }
        if (droppedByScope != null) {
            for (Map.Entry<String, Long> dropped : droppedByScope.entrySet()) {
                if (dropped.getValue() > afterSeq && filter.acceptsScope(dropped.getKey())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Returns the buffered events after {@code afterSeq} visible to {@code filter}, at most {@code max}. */
    ReadResult read(long afterSeq, EventFilter filter, int max) {
        String epoch = history.epoch;
        long headSeq = history.head.get();
        if (isReset(afterSeq, filter, headSeq)) {
            return new ReadResult(List.of(), new Cursor(epoch, headSeq), /* reset= */ true);
        }
        List<Event> events = null;
        for (int i = firstAfter(afterSeq); i < size; i++) {
            Event event = at(i);
            if (!filter.accepts(event)) {
                continue;
            }
            if (events == null) {
                events = new ArrayList<>(Math.min(max, size - i));
            }
            events.add(event);
            if (events.size() == max) {
                return new ReadResult(events, new Cursor(epoch, event.seq()), /* reset= */ false);
            }
        }
        return new ReadResult(events == null ? List.of() : events, new Cursor(epoch, headSeq), false);
    }

    /** Returns the index of the first buffered event with a seq above {@code afterSeq} (binary search). */
    private int firstAfter(long afterSeq) {
        int low = 0;
        int high = size;
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (at(mid).seq() <= afterSeq) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    // ---- waiters --------------------------------------------------------------------------------------------

    void addWaiter(Waiter waiter) {
        if (waiters == null) {
            waiters = new Waiter[4];
        } else if (waiterCount == waiters.length) {
            waiters = Arrays.copyOf(waiters, waiterCount * 2);
        }
        waiter.index = waiterCount;
        waiters[waiterCount++] = waiter;
    }

    /** Removes {@code waiter} if it is still registered; returns whether it was. */
    boolean removeWaiter(Waiter waiter) {
        int i = waiter.index;
        if (i < 0 || i >= waiterCount || waiters[i] != waiter) {
            return false;
        }
        Waiter last = waiters[--waiterCount];
        waiters[i] = last;
        last.index = i;
        waiters[waiterCount] = null;
        waiter.index = -1;
        if (waiterCount == 0) {
            waiters = null;
        }
        return true;
    }

    /** Removes and returns every registered waiter. */
    List<Waiter> removeAllWaiters() {
        if (waiterCount == 0) {
            return List.of();
        }
        List<Waiter> all = new ArrayList<>(waiterCount);
        for (int i = 0; i < waiterCount; i++) {
            waiters[i].index = -1;
            all.add(waiters[i]);
        }
        waiters = null;
        waiterCount = 0;
        return all;
    }

    /** Removes and returns the waiters that may see at least one of {@code appended}. */
    List<Waiter> removeWaitersFor(List<Event> appended) {
        List<Waiter> woken = null;
        for (int i = waiterCount - 1; i >= 0; i--) {
            Waiter waiter = waiters[i];
            if (seesAny(waiter.filter, appended)) {
                removeWaiter(waiter);
                if (woken == null) {
                    woken = new ArrayList<>();
                }
                woken.add(waiter);
            }
        }
        return woken == null ? List.of() : woken;
    }

    private static boolean seesAny(EventFilter filter, List<Event> events) {
        for (Event event : events) {
            if (filter.accepts(event)) {
                return true;
            }
        }
        return false;
    }
}
