package dev.realtime.buffer;

import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;

/**
 * A parked poll: one subscriber waiting for events of its org after its cursor. It holds no thread.
 *
 * <p>It ends exactly once, in one of three ways: an append of a visible event completes it with that read;
 * {@link #expire()} (the caller's timeout, or shutdown) completes it with a fresh read, usually empty with the
 * current cursor; {@link #cancel()} (the client went away) ends it silently. Whichever comes first wins; the
 * others do nothing. The callback runs on the thread that completed the waiter, outside every lock.
 * Thread-safe.
 */
public final class Waiter {
    private static final int PARKED = 0;
    private static final int DONE = 1;
    private static final AtomicIntegerFieldUpdater<Waiter> STATE =
            AtomicIntegerFieldUpdater.newUpdater(Waiter.class, "state");

    private final OrgBuffers owner;
    final OrgBuffer buffer;
    final long afterSeq;
    final EventFilter filter;
    final int max;
    private final Consumer<ReadResult> callback;
    private volatile int state;
    /** Position in the org's waiter array, guarded by the buffer's monitor; -1 once removed. */
    int index = -1;

    Waiter(OrgBuffers owner, OrgBuffer buffer, long afterSeq, EventFilter filter, int max,
            Consumer<ReadResult> callback) {
        this.owner = owner;
        this.buffer = buffer;
        this.afterSeq = afterSeq;
        this.filter = filter;
        this.max = max;
        this.callback = callback;
    }

    /**
     * Ends the waiter without an answer, e.g. because the client disconnected.
     *
     * @return whether this call ended it (false when it had already been answered or cancelled)
     */
    public boolean cancel() {
        if (!claim()) {
            return false;
        }
        owner.unpark(this);
        return true;
    }

    /**
     * Answers the waiter now with a fresh read, e.g. because its wait time is up or the service is stopping.
     *
     * @return whether this call answered it (false when it had already been answered or cancelled)
     */
    public boolean expire() {
        if (!claim()) {
            return false;
        }
        owner.expire(this);
        return true;
    }

    /** Returns whether the waiter has been answered or cancelled. */
    public boolean isDone() {
        return state != PARKED;
    }

    boolean claim() {
        return STATE.compareAndSet(this, PARKED, DONE);
    }

    /** Delivers {@code result} if no one else ended the waiter first. */
    void complete(ReadResult result) {
        if (claim()) {
            deliver(result);
        }
    }

    /** Delivers to a waiter this thread has already claimed; a throwing callback cannot break the caller. */
    void deliver(ReadResult result) {
        try {
            callback.accept(result);
        } catch (RuntimeException e) {
            owner.callbackFailed(e);
        }
    }
}
