package dev.realtime.buffer;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One domain's event buffers: orgId → buffer, the domain's seq, and the parked polls. Thread-safe.
 *
 * <p><b>Concurrency:</b> each org's buffer is guarded by its own monitor, held for the few microseconds an
 * append, read or park takes; different orgs never contend, and no lock is held while a waiter callback runs.
 * The domain seq is assigned inside the org's monitor, so a reader holding that monitor knows every event of
 * its org with a seq up to the current head is already in the buffer: the head is a safe cursor to hand out.
 * Buffers are created lazily by {@link ConcurrentHashMap#computeIfAbsent}; an operation that finds its buffer
 * evicted between lookup and lock simply looks it up again.
 *
 * <p><b>Retention (capacity, TTL):</b> a buffer keeps at most {@code capacity} events, each at most
 * {@code ttl}. Every operation first expires what is too old, so behaviour never depends on when the sweeper
 * last ran; {@link #sweep()} only bounds memory for orgs nobody touches. The ring is allocated on the first
 * event and released when the org is empty again, so an idle org costs a small header.
 *
 * <p><b>Reset semantics:</b> a read after cursor {@code c} is a reset when the epoch is foreign, when
 * {@code c} is ahead of the head, when {@code c} predates the buffer itself (the org was evicted and buffered
 * anew: what happened before is unknown), or when an event the subscriber could see was dropped after
 * {@code c}. Drops are tracked per scope, so dropping events a subscriber may not see (another property)
 * never resets it, and replies carry the head as cursor, so events of other orgs never do either.
 *
 * <p><b>Idle eviction:</b> {@link #sweep()} removes an org that has no waiters and was not touched (append,
 * read or poll) for {@code idleAfter}. A handshake or a parked poll therefore keeps an org buffered.
 * {@code maxOrgs} bounds the registry; beyond it new orgs are refused with {@link Rejection#ORG_LIMIT}.
 *
 * <p><b>Waiters:</b> a poll that finds nothing new registers a {@link Waiter} in the same critical section as
 * its read, so an append either happened before the read (and is returned) or happens after the registration
 * (and completes the waiter): no wake-up is lost. An append completes every waiter that may see one of the
 * appended events; waiters parked at the same cursor with equal filters share one read result.
 */
public final class OrgBuffers {
    private final BufferSettings settings;
    private final long ttlNanos;
    private final long idleAfterNanos;
    private final long coalesceWindowNanos;
    private final TimeSource time;
    private final Coalescer coalescer;
    private final ConcurrentHashMap<String, OrgBuffer> orgs = new ConcurrentHashMap<>();
    /** The current history; replaced only by {@link #restart}. Each buffer keeps the history it was made in. */
    private volatile History history;
    private final Counters counters = new Counters();
    private volatile Consumer<RuntimeException> callbackFailureHandler = e -> { };

    /**
     * Creates empty buffers.
     *
     * @param epoch names this history; cursors of any other epoch are reset
     * @param coalescer merges bursts about one entity, or {@code null} for none (required when the settings
     *     have a coalescing window)
     */
    public OrgBuffers(BufferSettings settings, TimeSource time, String epoch, Coalescer coalescer) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.time = Objects.requireNonNull(time, "time");
        this.history = new History(Cursor.of(epoch, 0).epoch(), 0);
        if (!settings.coalesceWindow().isZero() && coalescer == null) {
            throw new IllegalArgumentException("a coalescing window needs a coalescer");
        }
        this.coalescer = settings.coalesceWindow().isZero() ? null : coalescer;
        this.ttlNanos = settings.ttl().toNanos();
        this.idleAfterNanos = settings.idleAfter().toNanos();
        this.coalesceWindowNanos = settings.coalesceWindow().toNanos();
    }

    /** Creates empty buffers with a fresh random epoch and no coalescing. */
    public static OrgBuffers create(BufferSettings settings, TimeSource time) {
        return new OrgBuffers(settings, time, randomEpoch(), null);
    }

    /** Returns a new random epoch: 13 base-36 characters from 64 random bits, unique across restarts. */
    public static String randomEpoch() {
        return Long.toUnsignedString(new SecureRandom().nextLong(), 36);
    }

    /** Sets what handles an exception thrown by a waiter callback (by default it is ignored). */
    public void onCallbackFailure(Consumer<RuntimeException> handler) {
        this.callbackFailureHandler = Objects.requireNonNull(handler, "handler");
    }

    /** Returns the settings these buffers enforce. */
    public BufferSettings settings() {
        return settings;
    }

    /** Returns the epoch of the current history. */
    public String epoch() {
        return history.epoch;
    }

    /** Returns the cursor of the newest event appended to any org. */
    public Cursor head() {
        History current = history;
        return new Cursor(current.epoch, current.head.get());
    }

    /**
     * Starts a new history (scale-out: the shared log was created anew, or this replica joins it): every org is
     * dropped, waiters are answered with a reset, and positions continue from {@code headSeq} of {@code epoch}.
     * Safe to call concurrently with everything else; operations caught in between retry on the new history.
     */
    public void restart(String epoch, long headSeq) {
        restart(epoch, headSeq, /* refilling= */ false);
    }

    /**
     * Like {@link #restart(String, long)}; with {@code refilling}, the caller is about to append everything the
     * shared log holds after {@code headSeq}, so orgs buffered until {@link #finishRefill()} know their history
     * from {@code headSeq} on (a cursor at or after it is provable), not only from the moment they were created.
     */
    public void restart(String epoch, long headSeq, boolean refilling) {
        history = new History(Cursor.of(epoch, headSeq).epoch(), headSeq, refilling);
        for (OrgBuffer buffer : orgs.values()) {
            if (buffer.history != history) {
                evictForRestart(buffer);
            }
        }
    }

    private void evictForRestart(OrgBuffer buffer) {
        List<Waiter> waiters;
        synchronized (buffer) {
            if (buffer.evicted) {
                return;
            }
            evictLocked(buffer);
            waiters = buffer.removeAllWaiters();
            counters.waiters.add(-waiters.size());
            buffer.flushTo(counters);
        }
        // Their cursors belong to the old history: the fresh read below is a reset onto the new one.
        for (Waiter waiter : waiters) {
            if (waiter.claim()) {
                History current = history;
                waiter.deliver(new ReadResult(List.of(), new Cursor(current.epoch, current.head.get()), true));
            }
        }
    }

    /** Ends the refill that {@link #restart(String, long, boolean)} began: the log is caught up. */
    public void finishRefill() {
        history.refilling = false;
    }

    /**
     * Appends events positioned by an external log (scale-out mode): each {@code seq} must exceed the head,
     * and becomes the head. Meant for one applying thread, in log order; waiters are woken per event.
     *
     * @return one result per event; an event whose org is refused by the limit is {@link AppendResult.Rejected}
     */
    public List<AppendResult> appendSequenced(List<Event> events) {
        AppendResult[] results = new AppendResult[events.size()];
        for (int i = 0; i < results.length; i++) {
            Event event = events.get(i);
            long head = history.head.get();
            if (event.seq() <= head) {
                throw new IllegalArgumentException("seq must exceed the head " + head + ", was " + event.seq());
            }
            if (acquire(event.orgId(), /* enforceLimit= */ true) == null) {
                counters.rejected.increment();
                // The position is taken all the same, so cursors of every replica keep meaning the same.
                history.head.accumulateAndGet(event.seq(), Math::max);
                results[i] = new AppendResult.Rejected(Rejection.ORG_LIMIT);
                continue;
            }
            results[i] = appendToOrg(event.orgId(), List.of(event), /* sequenced= */ true)[0];
        }
        return List.of(results);
    }

    /** Returns current figures. Cheap enough to call on every metrics scrape. */
    public BufferStats stats() {
        return counters.snapshot();
    }

    // ---- append ---------------------------------------------------------------------------------------------

    /** Appends one event (its seq is ignored and assigned here), waking the waiters that may see it. */
    public AppendResult append(Event event) {
        if (acquire(event.orgId(), /* enforceLimit= */ true) == null) {
            counters.rejected.increment();
            return new AppendResult.Rejected(Rejection.ORG_LIMIT);
        }
        return appendToOrg(event.orgId(), List.of(event), /* sequenced= */ false)[0];
    }

    /**
     * Appends a batch: all of it, or (when it needs more orgs than {@code maxOrgs} allows) none of it. Within
     * an org, events keep the batch's order; each org's waiters are woken once, after its events are in.
     *
     * @return one result per event, in the batch's order
     */
    public List<AppendResult> appendAll(List<Event> batch) {
        Map<String, List<Integer>> byOrg = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byOrg.computeIfAbsent(batch.get(i).orgId(), k -> new ArrayList<>()).add(i);
        }
        for (String orgId : byOrg.keySet()) {
            if (acquire(orgId, /* enforceLimit= */ true) == null) {
                counters.rejected.increment();
                AppendResult rejected = new AppendResult.Rejected(Rejection.ORG_LIMIT);
                return java.util.Collections.nCopies(batch.size(), rejected);
            }
        }
        AppendResult[] results = new AppendResult[batch.size()];
        for (Map.Entry<String, List<Integer>> org : byOrg.entrySet()) {
            List<Integer> indexes = org.getValue();
            List<Event> events = new ArrayList<>(indexes.size());
            for (int i : indexes) {
                events.add(batch.get(i));
            }
            AppendResult[] orgResults = appendToOrg(org.getKey(), events, /* sequenced= */ false);
            for (int i = 0; i < orgResults.length; i++) {
                results[indexes.get(i)] = orgResults[i];
            }
        }
        return List.of(results);
    }

    private AppendResult[] appendToOrg(String orgId, List<Event> events, boolean sequenced) {
        AppendResult[] results = new AppendResult[events.size()];
        List<Waiter> woken = List.of();
        Map<WakeKey, ReadResult> reads = null;
        while (true) {
            // The limit was checked by the caller; an org evicted since is re-created regardless.
            OrgBuffer buffer = acquire(orgId, /* enforceLimit= */ false);
            synchronized (buffer) {
                if (buffer.evicted || buffer.history != history) {
                    continue;
                }
                long now = time.nanoTime();
                buffer.lastTouchedNanos = now;
                buffer.expire(now, ttlNanos);
                List<Event> appended = buffer.waiterCount() == 0 ? null : new ArrayList<>(events.size());
                int accepted = 0;
                for (int i = 0; i < results.length; i++) {
                    results[i] = appendLocked(buffer, events.get(i), now, sequenced);
                    if (results[i] instanceof AppendResult.Accepted a) {
                        accepted++;
                        if (appended != null) {
                            appended.add(a.event());
                        }
                    }
                }
                counters.appended.add(accepted);
                if (appended != null && !appended.isEmpty()) {
                    woken = buffer.removeWaitersFor(appended);
                    if (!woken.isEmpty()) {
                        reads = new HashMap<>();
                        for (Waiter waiter : woken) {
                            reads.computeIfAbsent(new WakeKey(waiter.afterSeq, waiter.filter, waiter.max),
                                    key -> buffer.read(key.afterSeq, key.filter, key.max));
                        }
                        counters.waiters.add(-woken.size());
                    }
                }
                buffer.flushTo(counters);
            }
            break;
        }
        for (Waiter waiter : woken) {
            waiter.complete(reads.get(new WakeKey(waiter.afterSeq, waiter.filter, waiter.max)));
        }
        return results;
    }

    private AppendResult appendLocked(OrgBuffer buffer, Event event, long now, boolean sequenced) {
        long seen = event.idempotent() ? buffer.seenSeq(event.eventId()) : -1;
        if (seen >= 0) {
            counters.duplicates.increment();
            return new AppendResult.Duplicate(seen);
        }
        Event toAppend = event;
        boolean coalesced = false;
        if (coalescer != null) {
            int previous = buffer.findMergeable(event, coalescer, now, coalesceWindowNanos);
            if (previous >= 0) {
                toAppend = coalescer.merge(buffer.eventAt(previous), event);
                buffer.removeSuperseded(previous);
                coalesced = true;
                counters.coalesced.increment();
            }
        }
        AtomicLong head = buffer.history.head;
        Event positioned = toAppend.withSeq(sequenced ? event.seq() : head.incrementAndGet());
        buffer.append(positioned, now, settings.capacity());
        if (sequenced) {
            // After the append, under the org's monitor: a reader that sees this head finds the event.
            head.set(event.seq());
        }
        return new AppendResult.Accepted(positioned, coalesced);
    }

    // ---- read and poll --------------------------------------------------------------------------------------

    /**
     * Reads without parking: the events of {@code orgId} after {@code after} visible to {@code filter}, at most
     * {@code max}. A {@code null} cursor is a handshake: no events, the head as cursor. Either way the org is
     * buffered (and stays so for {@code idleAfter}), so the cursor handed out stays provable.
     *
     * @return {@link PollResult.Answered}, or {@link PollResult.Rejected} at the org limit
     */
    public PollResult read(String orgId, Cursor after, EventFilter filter, int max) {
        return poll(orgId, after, filter, max, null);
    }

    /**
     * Reads like {@link #read}, but when nothing is new and no reset is due, parks a {@link Waiter} whose
     * {@code onResult} receives the answer exactly once: on the first append it may see, or on
     * {@link Waiter#expire()}. The caller owns the waiter's timeout and cancellation.
     *
     * @param onResult receives the answer of a parked poll; {@code null} means never park
     */
    public PollResult poll(String orgId, Cursor after, EventFilter filter, int max, Consumer<ReadResult> onResult) {
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(filter, "filter");
        if (max < 1) {
            throw new IllegalArgumentException("max must be positive, was " + max);
        }
        while (true) {
            OrgBuffer buffer = acquire(orgId, /* enforceLimit= */ true);
            if (buffer == null) {
                counters.rejected.increment();
                return new PollResult.Rejected(Rejection.ORG_LIMIT);
            }
            synchronized (buffer) {
                if (buffer.evicted || buffer.history != history) {
                    continue;
                }
                long now = time.nanoTime();
                buffer.lastTouchedNanos = now;
                buffer.expire(now, ttlNanos);
                buffer.flushTo(counters);
                String epoch = buffer.history.epoch;
                long head = buffer.history.head.get();
                if (after == null) {
                    return new PollResult.Answered(new ReadResult(List.of(), new Cursor(epoch, head), false));
                }
                if (!after.isOf(epoch)) {
                    return new PollResult.Answered(new ReadResult(List.of(), new Cursor(epoch, head), true));
                }
                ReadResult result = buffer.read(after.seq(), filter, max);
                if (onResult == null || result.reset() || !result.events().isEmpty()) {
                    return new PollResult.Answered(result);
                }
                Waiter waiter = new Waiter(this, buffer, after.seq(), filter, max, onResult);
                buffer.addWaiter(waiter);
                counters.waiters.increment();
                return new PollResult.Parked(waiter);
            }
        }
    }

    /** Removes a claimed waiter from its org (it was cancelled). */
    void unpark(Waiter waiter) {
        OrgBuffer buffer = waiter.buffer;
        synchronized (buffer) {
            if (buffer.removeWaiter(waiter)) {
                counters.waiters.decrement();
                buffer.lastTouchedNanos = time.nanoTime();
            }
        }
    }

    /** Removes a claimed waiter from its org and answers it with a fresh read. */
    void expire(Waiter waiter) {
        OrgBuffer buffer = waiter.buffer;
        ReadResult result;
        synchronized (buffer) {
            if (buffer.removeWaiter(waiter)) {
                counters.waiters.decrement();
            }
            long now = time.nanoTime();
            buffer.lastTouchedNanos = now;
            buffer.expire(now, ttlNanos);
            buffer.flushTo(counters);
            result = buffer.read(waiter.afterSeq, waiter.filter, waiter.max);
        }
        waiter.deliver(result);
    }

    /**
     * Answers every parked poll now with a fresh read (usually empty, with the current cursor), e.g. when the
     * service is shutting down.
     *
     * @return how many waiters this call answered
     */
    public int expireAllWaiters() {
        int answered = 0;
        for (OrgBuffer buffer : orgs.values()) {
            List<Waiter> all;
            synchronized (buffer) {
                all = buffer.removeAllWaiters();
                counters.waiters.add(-all.size());
            }
            for (Waiter waiter : all) {
                if (waiter.claim()) {
                    ReadResult result;
                    synchronized (buffer) {
                        result = buffer.read(waiter.afterSeq, waiter.filter, waiter.max);
                    }
                    waiter.deliver(result);
                    answered++;
                }
            }
        }
        return answered;
    }

    void callbackFailed(RuntimeException e) {
        try {
            callbackFailureHandler.accept(e);
        } catch (RuntimeException ignored) {
            // A failing failure handler must not take an appending thread down with it.
        }
    }

    // ---- sweep and eviction ---------------------------------------------------------------------------------

    /**
     * Drops expired events of every org and evicts the idle ones (no waiters, untouched for
     * {@code idleAfter}). Meant to be called periodically by a scheduler; safe to run concurrently with
     * everything else.
     *
     * @return how many orgs were evicted
     */
    public int sweep() {
        int evicted = 0;
        for (OrgBuffer buffer : orgs.values()) {
            synchronized (buffer) {
                if (buffer.evicted) {
                    continue;
                }
                long now = time.nanoTime();
                buffer.expire(now, ttlNanos);
                if (buffer.waiterCount() == 0 && now - buffer.lastTouchedNanos >= idleAfterNanos) {
                    evictLocked(buffer);
                    counters.evictions.increment();
                    evicted++;
                }
                buffer.flushTo(counters);
            }
        }
        return evicted;
    }

    /** Removes {@code buffer} from the registry, dropping what it holds; call under its monitor. */
    private void evictLocked(OrgBuffer buffer) {
        buffer.dropAll(DropReason.IDLE);
        buffer.evicted = true;
        orgs.remove(buffer.orgId, buffer);
        counters.orgs.decrementAndGet();
    }

    /** Returns the org's buffer, creating it when absent; null when creating it would exceed the org limit. */
    private OrgBuffer acquire(String orgId, boolean enforceLimit) {
        OrgBuffer buffer = orgs.get(orgId);
        if (buffer != null && buffer.history != history) {
            // Created just as a restart swept past: it belongs to the old history.
            evictForRestart(buffer);
            buffer = orgs.get(orgId);
        }
        if (buffer != null && buffer.history == history) {
            return buffer;
        }
        return orgs.computeIfAbsent(orgId, id -> {
            if (counters.orgs.incrementAndGet() > settings.maxOrgs() && enforceLimit) {
                counters.orgs.decrementAndGet();
                return null;
            }
            History current = history;
            long knownFrom = current.refilling ? current.floor : current.head.get();
            return new OrgBuffer(id, current, knownFrom, time.nanoTime());
        });
    }

    // ---- test hooks -----------------------------------------------------------------------------------------

    /** Returns how many waiters are registered with {@code orgId}, 0 when it is not buffered. */
    int waiterCount(String orgId) {
        OrgBuffer buffer = orgs.get(orgId);
        if (buffer == null) {
            return 0;
        }
        synchronized (buffer) {
            return buffer.waiterCount();
        }
    }

    /** Returns whether {@code orgId} is buffered. */
    boolean isBuffered(String orgId) {
        return orgs.containsKey(orgId);
    }

    private record WakeKey(long afterSeq, EventFilter filter, int max) {}

    /** One history: its epoch, the seq of its newest event, and where a refill of it began. */
    static final class History {
        final String epoch;
        final AtomicLong head;
        final long floor;
        volatile boolean refilling;

        History(String epoch, long headSeq) {
            this(epoch, headSeq, false);
        }

        History(String epoch, long headSeq, boolean refilling) {
            this.epoch = epoch;
            this.head = new AtomicLong(headSeq);
            this.floor = headSeq;
            this.refilling = refilling;
        }
    }
}
