package dev.realtime.buffer;

import static dev.realtime.buffer.Events.event;
import static dev.realtime.buffer.Events.scoped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OrgBuffersTest {
    private static final Duration TTL = Duration.ofSeconds(25);
    private final FakeTime time = new FakeTime();
    private OrgBuffers buffers = buffers(BufferSettings.of(5, TTL));

    private OrgBuffers buffers(BufferSettings settings) {
        return new OrgBuffers(settings, time, "ep", null);
    }

    private ReadResult read(String orgId, Cursor after) {
        return read(orgId, after, EventFilter.ALL, 100);
    }

    private ReadResult read(String orgId, Cursor after, EventFilter filter, int max) {
        PollResult result = buffers.read(orgId, after, filter, max);
        assertThat(result).isInstanceOf(PollResult.Answered.class);
        return ((PollResult.Answered) result).result();
    }

    private long append(Event event) {
        AppendResult result = buffers.append(event);
        assertThat(result).isInstanceOf(AppendResult.Accepted.class);
        return result.seq();
    }

    private static List<String> ids(ReadResult result) {
        return result.events().stream().map(Event::eventId).toList();
    }

    private Waiter park(String orgId, Cursor after, EventFilter filter, List<ReadResult> answers) {
        PollResult result = buffers.poll(orgId, after, filter, 100, answers::add);
        assertThat(result).isInstanceOf(PollResult.Parked.class);
        return ((PollResult.Parked) result).waiter();
    }

    // ---- handshake, empty buffer, cursors ------------------------------------------------------------------

    @Test
    void handshake_returnsHeadWithoutEventsOrReset() {
        append(event("other", "x1"));
        ReadResult result = read("org", null);
        assertThat(result.events()).isEmpty();
        assertThat(result.reset()).isFalse();
        assertThat(result.cursor()).isEqualTo(Cursor.of("ep", 1));
    }

    @Test
    void read_emptyBuffer_atHead_returnsNothingAndHead() {
        Cursor cursor = read("org", null).cursor();
        ReadResult result = read("org", cursor);
        assertThat(result.events()).isEmpty();
        assertThat(result.reset()).isFalse();
        assertThat(result.cursor()).isEqualTo(cursor);
    }

    @Test
    void read_returnsEventsAfterCursorOldestFirst_andTheirJsonBytesUnchanged() {
        Cursor start = read("org", null).cursor();
        Event first = event("org", "a");
        append(first);
        append(event("org", "b"));
        ReadResult result = read("org", start);
        assertThat(ids(result)).containsExactly("a", "b");
        assertThat(result.events().get(0).json()).isSameAs(first.json());
        assertThat(result.events()).extracting(Event::seq).containsExactly(1L, 2L);
        assertThat(result.cursor()).isEqualTo(Cursor.of("ep", 2));
        assertThat(read("org", Cursor.of("ep", 1)).events()).extracting(Event::eventId).containsExactly("b");
    }

    @Test
    void read_cappedBatch_cursorIsLastReturnedEvent() {
        Cursor start = read("org", null).cursor();
        for (int i = 0; i < 4; i++) {
            append(event("org", "e" + i));
        }
        ReadResult first = read("org", start, EventFilter.ALL, 3);
        assertThat(ids(first)).containsExactly("e0", "e1", "e2");
        assertThat(first.cursor().seq()).isEqualTo(first.events().get(2).seq());
        ReadResult rest = read("org", first.cursor(), EventFilter.ALL, 3);
        assertThat(ids(rest)).containsExactly("e3");
        assertThat(rest.cursor()).isEqualTo(buffers.head());
    }

    @Test
    void read_foreignEpoch_isReset() {
        read("org", null);
        append(event("org", "a"));
        ReadResult result = read("org", Cursor.of("other", 0));
        assertThat(result.reset()).isTrue();
        assertThat(result.events()).isEmpty();
        assertThat(result.cursor()).isEqualTo(buffers.head());
    }

    @Test
    void read_cursorAheadOfHead_isReset() {
        read("org", null);
        assertThat(read("org", Cursor.of("ep", 10)).reset()).isTrue();
    }

    @Test
    void eventsOfOtherOrgs_neverResetAQuietOrg() {
        Cursor cursor = read("quiet", null).cursor();
        for (int i = 0; i < 50; i++) {
            append(event("busy", "b" + i));
        }
        time.advance(TTL.multipliedBy(2));
        ReadResult result = read("quiet", cursor);
        assertThat(result.reset()).isFalse();
        assertThat(result.events()).isEmpty();
        assertThat(result.cursor()).isEqualTo(buffers.head());
        assertThat(buffers.stats().droppedCapacity()).isEqualTo(45);
    }

    @Test
    void tenantIsolation_anOrgNeverReadsAnotherOrgsEvents() {
        Cursor start = read("a", null).cursor();
        read("b", null);
        append(event("b", "secret"));
        append(event("a", "mine"));
        assertThat(ids(read("a", start))).containsExactly("mine");
    }

    // ---- capacity -----------------------------------------------------------------------------------------

    @Test
    void capacity_wrapsAround_keepingTheNewest() {
        Cursor start = read("org", null).cursor();
        for (int i = 0; i < 13; i++) {
            append(event("org", "e" + i));
        }
        assertThat(buffers.stats().events()).isEqualTo(5);
        assertThat(buffers.stats().droppedCapacity()).isEqualTo(8);
        ReadResult stale = read("org", start);
        assertThat(stale.reset()).isTrue();
        ReadResult fresh = read("org", Cursor.of("ep", 8));
        assertThat(fresh.reset()).isFalse();
        assertThat(ids(fresh)).containsExactly("e8", "e9", "e10", "e11", "e12");
    }

    @Test
    void reset_afterDrop_onlyForCursorsBeforeTheDroppedEvent() {
        Cursor start = read("org", null).cursor();
        for (int i = 0; i < 6; i++) {
            append(event("org", "e" + i));
        }
        // seq 1 was dropped: a client that saw it continues, one that did not is reset.
        assertThat(read("org", start).reset()).isTrue();
        assertThat(read("org", Cursor.of("ep", 1)).reset()).isFalse();
        assertThat(ids(read("org", Cursor.of("ep", 1)))).containsExactly("e1", "e2", "e3", "e4", "e5");
    }

    @Test
    void droppedEventsOfAnotherScope_neverResetAScopedSubscriber() {
        EventFilter mine = EventFilter.scopes(Set.of("p1"));
        Cursor start = read("org", null, mine, 100).cursor();
        for (int i = 0; i < 20; i++) {
            append(scoped("org", "other" + i, "p2"));
        }
        append(scoped("org", "visible", "p1"));
        ReadResult result = read("org", start, mine, 100);
        assertThat(result.reset()).isFalse();
        assertThat(ids(result)).containsExactly("visible");
        // Whoever may see p2 did miss events and is told so.
        assertThat(read("org", start, EventFilter.scopes(Set.of("p2")), 100).reset()).isTrue();
        assertThat(read("org", start, EventFilter.ALL, 100).reset()).isTrue();
    }

    @Test
    void droppedUnscopedEvents_resetScopedSubscribers() {
        EventFilter mine = EventFilter.scopes(Set.of("p1"));
        Cursor start = read("org", null, mine, 100).cursor();
        for (int i = 0; i < 6; i++) {
            append(event("org", "all" + i));
        }
        assertThat(read("org", start, mine, 100).reset()).isTrue();
    }

    @Test
    void droppedScopesBeyondTheTrackedLimit_resetConservatively() {
        buffers = buffers(BufferSettings.of(1, TTL));
        EventFilter mine = EventFilter.scopes(Set.of("mine"));
        Cursor start = read("org", null, mine, 100).cursor();
        for (int i = 0; i <= OrgBuffer.MAX_TRACKED_SCOPES + 1; i++) {
            append(scoped("org", "x" + i, "scope" + i));
        }
        assertThat(read("org", start, mine, 100).reset()).isTrue();
    }

    @Test
    void filter_hidesOtherScopes_andCursorStillCoversThem() {
        EventFilter mine = EventFilter.scopes(Set.of("p1"));
        Cursor start = read("org", null, mine, 100).cursor();
        append(scoped("org", "hidden", "p2"));
        append(scoped("org", "shown", "p1"));
        append(event("org", "everyone"));
        ReadResult result = read("org", start, mine, 100);
        assertThat(ids(result)).containsExactly("shown", "everyone");
        assertThat(result.cursor()).isEqualTo(buffers.head());
    }

    // ---- TTL ----------------------------------------------------------------------------------------------

    @Test
    void ttl_exactBoundary_expiresAtTtlNotBefore() {
        Cursor start = read("org", null).cursor();
        append(event("org", "a"));
        time.advance(TTL.minusNanos(1));
        assertThat(ids(read("org", start))).containsExactly("a");
        time.advanceNanos(1);
        ReadResult expired = read("org", start);
        assertThat(expired.reset()).isTrue();
        assertThat(buffers.stats().droppedTtl()).isEqualTo(1);
        assertThat(buffers.stats().events()).isZero();
    }

    @Test
    void ttl_clientThatSawTheExpiredEvent_isNotReset() {
        read("org", null);
        long seq = append(event("org", "a"));
        time.advance(TTL);
        ReadResult result = read("org", Cursor.of("ep", seq));
        assertThat(result.reset()).isFalse();
        assertThat(result.events()).isEmpty();
    }

    @Test
    void sweep_expiresEventsOfUntouchedOrgs() {
        append(event("org", "a"));
        time.advance(TTL);
        buffers.sweep();
        assertThat(buffers.stats().events()).isZero();
        assertThat(buffers.stats().droppedTtl()).isEqualTo(1);
    }

    // ---- idle eviction and the org limit ------------------------------------------------------------------

    @Test
    void sweep_evictsIdleOrgs_afterIdleAfterOnly() {
        buffers = buffers(BufferSettings.of(5, TTL).withIdleAfter(Duration.ofSeconds(60)));
        read("org", null);
        time.advance(Duration.ofSeconds(60).minusNanos(1));
        assertThat(buffers.sweep()).isZero();
        time.advanceNanos(1);
        assertThat(buffers.sweep()).isEqualTo(1);
        assertThat(buffers.isBuffered("org")).isFalse();
        assertThat(buffers.stats().orgs()).isZero();
        assertThat(buffers.stats().evictions()).isEqualTo(1);
    }

    @Test
    void sweep_sparesOrgsWithParkedWaiters() {
        buffers = buffers(BufferSettings.of(5, TTL).withIdleAfter(Duration.ofSeconds(1)));
        Cursor cursor = read("org", null).cursor();
        List<ReadResult> answers = new ArrayList<>();
        Waiter waiter = park("org", cursor, EventFilter.ALL, answers);
        time.advance(Duration.ofMinutes(10));
        assertThat(buffers.sweep()).isZero();
        assertThat(buffers.isBuffered("org")).isTrue();
        waiter.cancel();
        time.advance(Duration.ofSeconds(1));
        assertThat(buffers.sweep()).isEqualTo(1);
    }

    @Test
    void evictedOrg_answersAnOldCursorWithReset_neverASilentGap() {
        buffers = buffers(BufferSettings.of(5, TTL).withIdleAfter(Duration.ofSeconds(30)));
        Cursor cursor = read("org", null).cursor();
        time.advance(Duration.ofSeconds(30));
        buffers.sweep();
        append(event("other", "moves-the-head"));
        assertThat(read("org", cursor).reset()).isTrue();
    }

    @Test
    void idleEvictionShorterThanTtl_dropsRemainingEventsAsIdle() {
        buffers = buffers(BufferSettings.of(5, TTL).withIdleAfter(Duration.ofSeconds(1)));
        append(event("org", "a"));
        time.advance(Duration.ofSeconds(1));
        buffers.sweep();
        assertThat(buffers.stats().droppedIdle()).isEqualTo(1);
        assertThat(buffers.stats().events()).isZero();
    }

    @Test
    void maxOrgs_refusesNewOrgs_untilOneIsEvicted() {
        buffers = buffers(BufferSettings.of(5, TTL).withMaxOrgs(2).withIdleAfter(Duration.ofSeconds(1)));
        append(event("a", "1"));
        read("b", null);
        assertThat(buffers.read("c", null, EventFilter.ALL, 10)).isEqualTo(new PollResult.Rejected(Rejection.ORG_LIMIT));
        assertThat(buffers.append(event("c", "2"))).isEqualTo(new AppendResult.Rejected(Rejection.ORG_LIMIT));
        assertThat(buffers.append(event("a", "3"))).isInstanceOf(AppendResult.Accepted.class);
        assertThat(buffers.stats().rejected()).isEqualTo(2);
        time.advance(TTL);
        buffers.sweep();
        assertThat(buffers.append(event("c", "2"))).isInstanceOf(AppendResult.Accepted.class);
    }

    @Test
    void batch_overTheOrgLimit_appliesNothing() {
        buffers = buffers(BufferSettings.of(5, TTL).withMaxOrgs(2));
        append(event("a", "1"));
        List<AppendResult> results = buffers.appendAll(List.of(event("a", "2"), event("b", "3"), event("c", "4")));
        assertThat(results).hasSize(3).allMatch(r -> r instanceof AppendResult.Rejected);
        assertThat(buffers.stats().appended()).isEqualTo(1);
        assertThat(buffers.head().seq()).isEqualTo(1);
    }

    @Test
    void quietOrg_holdsNoEventStorage() {
        append(event("org", "a"));
        time.advance(TTL);
        buffers.sweep();
        assertThat(buffers.isBuffered("org")).isTrue();
        assertThat(buffers.stats().events()).isZero();
    }

    // ---- idempotency --------------------------------------------------------------------------------------

    @Test
    void idempotency_sameEventIdWithinTtl_isAcceptedOnce() {
        long seq = append(event("org", "same"));
        assertThat(buffers.append(event("org", "same"))).isEqualTo(new AppendResult.Duplicate(seq));
        time.advance(TTL.minusNanos(1));
        assertThat(buffers.append(event("org", "same"))).isEqualTo(new AppendResult.Duplicate(seq));
        assertThat(buffers.stats().duplicates()).isEqualTo(2);
        assertThat(buffers.stats().appended()).isEqualTo(1);
    }

    @Test
    void idempotency_holdsEvenAfterACapacityDrop_andEndsWithTheTtl() {
        long seq = append(event("org", "same"));
        for (int i = 0; i < 10; i++) {
            append(event("org", "filler" + i));
        }
        assertThat(buffers.append(event("org", "same"))).isEqualTo(new AppendResult.Duplicate(seq));
        time.advance(TTL);
        assertThat(buffers.append(event("org", "same"))).isInstanceOf(AppendResult.Accepted.class);
    }

    @Test
    void idempotency_notRequested_neverDeduplicates() {
        Event generated = Event.of("same", "org", "t", "x", null, 0L, new byte[] {'{', '}'}, false);
        append(generated);
        assertThat(buffers.append(generated)).isInstanceOf(AppendResult.Accepted.class);
    }

    @Test
    void idempotency_isPerOrg() {
        append(event("a", "same"));
        assertThat(buffers.append(event("b", "same"))).isInstanceOf(AppendResult.Accepted.class);
    }

    @Test
    void idempotency_withinOneBatch() {
        List<AppendResult> results = buffers.appendAll(List.of(event("org", "x"), event("org", "x")));
        assertThat(results.get(0)).isInstanceOf(AppendResult.Accepted.class);
        assertThat(results.get(1)).isEqualTo(new AppendResult.Duplicate(results.get(0).seq()));
    }

    // ---- coalescing ---------------------------------------------------------------------------------------

    /** Merges same type+entity+scope; the JSON carries the count, as the service's would. */
    private static final Coalescer BY_ENTITY = new Coalescer() {
        @Override
        public boolean mergeable(Event previous, Event next) {
            return previous.type().equals(next.type()) && previous.entityId().equals(next.entityId())
                    && java.util.Objects.equals(previous.scope(), next.scope());
        }

        @Override
        public Event merge(Event previous, Event next) {
            int count = previous.count() + next.count();
            byte[] json = ("{\"eventId\":\"" + next.eventId() + "\",\"count\":" + count + "}")
                    .getBytes(StandardCharsets.UTF_8);
            return next.withCount(count, json);
        }
    };

    private OrgBuffers coalescing() {
        return new OrgBuffers(BufferSettings.of(5, TTL).withCoalesceWindow(Duration.ofMillis(500)), time, "ep",
                BY_ENTITY);
    }

    @Test
    void coalescing_withinWindow_mergesIntoOneEventAtANewSeq() {
        buffers = coalescing();
        Cursor start = read("org", null).cursor();
        append(Events.of("org", "1", "kpi.updated", "k1", null));
        Cursor afterFirst = buffers.head();
        time.advance(Duration.ofMillis(499));
        AppendResult second = buffers.append(Events.of("org", "2", "kpi.updated", "k1", null));
        assertThat(second).isInstanceOfSatisfying(AppendResult.Accepted.class, a -> assertThat(a.coalesced()).isTrue());
        ReadResult fromStart = read("org", start);
        assertThat(fromStart.reset()).isFalse();
        assertThat(fromStart.events()).singleElement().satisfies(e -> {
            assertThat(e.eventId()).isEqualTo("2");
            assertThat(e.count()).isEqualTo(2);
            assertThat(e.seq()).isEqualTo(2);
            assertThat(new String(e.json(), StandardCharsets.UTF_8)).contains("\"count\":2");
        });
        // A subscriber that read the first event still gets the merged update.
        assertThat(ids(read("org", afterFirst))).containsExactly("2");
        assertThat(buffers.stats().events()).isEqualTo(1);
        assertThat(buffers.stats().coalesced()).isEqualTo(1);
    }

    @Test
    void coalescing_outsideWindowOrOtherEntity_keepsBoth() {
        buffers = coalescing();
        Cursor start = read("org", null).cursor();
        append(Events.of("org", "1", "kpi.updated", "k1", null));
        append(Events.of("org", "2", "kpi.updated", "k2", null));
        time.advance(Duration.ofMillis(500));
        append(Events.of("org", "3", "kpi.updated", "k1", null));
        assertThat(ids(read("org", start))).containsExactly("1", "2", "3");
    }

    @Test
    void coalescing_supersededEventIsNotADrop() {
        buffers = coalescing();
        Cursor start = read("org", null).cursor();
        for (int i = 0; i < 20; i++) {
            append(Events.of("org", "k" + i, "kpi.updated", "k1", null));
        }
        ReadResult result = read("org", start);
        assertThat(result.reset()).isFalse();
        assertThat(result.events()).singleElement().satisfies(e -> assertThat(e.count()).isEqualTo(20));
        assertThat(buffers.stats().droppedCapacity()).isZero();
    }

    @Test
    void coalescingWindow_withoutCoalescer_isAProgrammingError() {
        assertThatIllegalArgumentException().isThrownBy(() -> new OrgBuffers(
                BufferSettings.of(5, TTL).withCoalesceWindow(Duration.ofMillis(1)), time, "ep", null));
    }

    // ---- waiters ------------------------------------------------------------------------------------------

    @Test
    void poll_withEventsAvailable_answersAtOnce() {
        Cursor start = read("org", null).cursor();
        append(event("org", "a"));
        PollResult result = buffers.poll("org", start, EventFilter.ALL, 10, r -> { });
        assertThat(result).isInstanceOfSatisfying(PollResult.Answered.class,
                a -> assertThat(ids(a.result())).containsExactly("a"));
        assertThat(buffers.stats().waiters()).isZero();
    }

    @Test
    void parkedPoll_isAnsweredByTheNextAppend_exactlyOnce() {
        Cursor start = read("org", null).cursor();
        List<ReadResult> answers = new ArrayList<>();
        Waiter waiter = park("org", start, EventFilter.ALL, answers);
        assertThat(buffers.stats().waiters()).isEqualTo(1);
        append(event("org", "a"));
        append(event("org", "b"));
        assertThat(answers).singleElement().satisfies(r -> assertThat(ids(r)).containsExactly("a"));
        assertThat(waiter.isDone()).isTrue();
        assertThat(waiter.expire()).isFalse();
        assertThat(waiter.cancel()).isFalse();
        assertThat(answers).hasSize(1);
        assertThat(buffers.stats().waiters()).isZero();
    }

    @Test
    void parkedPoll_isNotWokenByOtherOrgsOrInvisibleEvents() {
        EventFilter mine = EventFilter.scopes(Set.of("p1"));
        Cursor start = read("org", null, mine, 100).cursor();
        List<ReadResult> answers = new ArrayList<>();
        Waiter waiter = park("org", start, mine, answers);
        append(event("other", "x"));
        append(scoped("org", "hidden", "p2"));
        assertThat(answers).isEmpty();
        append(scoped("org", "shown", "p1"));
        assertThat(answers).singleElement().satisfies(r -> assertThat(ids(r)).containsExactly("shown"));
        assertThat(waiter.isDone()).isTrue();
    }

    @Test
    void manyWaitersOnOneCursor_shareOneReadResult() {
        Cursor start = read("org", null).cursor();
        List<ReadResult> answers = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            park("org", start, EventFilter.ALL, answers);
        }
        append(event("org", "a"));
        assertThat(answers).hasSize(100);
        assertThat(answers).allSatisfy(r -> assertThat(r).isSameAs(answers.get(0)));
        assertThat(buffers.waiterCount("org")).isZero();
    }

    @Test
    void expire_answersWithAFreshEmptyReadAndTheCurrentHead() {
        Cursor start = read("org", null).cursor();
        List<ReadResult> answers = new ArrayList<>();
        Waiter waiter = park("org", start, EventFilter.ALL, answers);
        append(event("other", "moves-the-head"));
        assertThat(waiter.expire()).isTrue();
        assertThat(answers).singleElement().satisfies(r -> {
            assertThat(r.events()).isEmpty();
            assertThat(r.reset()).isFalse();
            assertThat(r.cursor()).isEqualTo(buffers.head());
        });
        assertThat(buffers.waiterCount("org")).isZero();
        assertThat(buffers.stats().waiters()).isZero();
    }

    @Test
    void cancel_removesTheWaiterWithoutAnswer() {
        Cursor start = read("org", null).cursor();
        List<ReadResult> answers = new ArrayList<>();
        Waiter waiter = park("org", start, EventFilter.ALL, answers);
        assertThat(waiter.cancel()).isTrue();
        append(event("org", "a"));
        assertThat(answers).isEmpty();
        assertThat(buffers.waiterCount("org")).isZero();
        assertThat(buffers.stats().waiters()).isZero();
    }

    @Test
    void expireAllWaiters_answersEveryParkedPoll() {
        List<ReadResult> answers = new ArrayList<>();
        for (String org : List.of("a", "b", "c")) {
            Cursor cursor = read(org, null).cursor();
            park(org, cursor, EventFilter.ALL, answers);
            park(org, cursor, EventFilter.ALL, answers);
        }
        assertThat(buffers.expireAllWaiters()).isEqualTo(6);
        assertThat(answers).hasSize(6).allSatisfy(r -> {
            assertThat(r.events()).isEmpty();
            assertThat(r.reset()).isFalse();
        });
        assertThat(buffers.stats().waiters()).isZero();
    }

    @Test
    void throwingCallback_doesNotBreakTheAppendOrOtherWaiters() {
        Cursor start = read("org", null).cursor();
        List<RuntimeException> failures = new ArrayList<>();
        buffers.onCallbackFailure(failures::add);
        buffers.poll("org", start, EventFilter.ALL, 10, r -> {
            throw new IllegalStateException("boom");
        });
        List<ReadResult> answers = new ArrayList<>();
        park("org", start, EventFilter.ALL, answers);
        assertThat(buffers.append(event("org", "a"))).isInstanceOf(AppendResult.Accepted.class);
        assertThat(answers).hasSize(1);
        assertThat(failures).singleElement().extracting(Throwable::getMessage).isEqualTo("boom");
    }

    @Test
    void poll_rejectsNonPositiveMax() {
        assertThatIllegalArgumentException().isThrownBy(() -> buffers.read("org", null, EventFilter.ALL, 0));
    }

    @Test
    void settings_rejectNonsense() {
        assertThatIllegalArgumentException().isThrownBy(() -> BufferSettings.of(0, TTL));
        assertThatIllegalArgumentException().isThrownBy(() -> BufferSettings.of(1, Duration.ZERO));
        assertThatIllegalArgumentException().isThrownBy(() -> BufferSettings.of(1, TTL).withMaxOrgs(0));
        assertThatIllegalArgumentException().isThrownBy(() -> BufferSettings.of(1, TTL).withIdleAfter(Duration.ZERO));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> BufferSettings.of(1, TTL).withCoalesceWindow(Duration.ofMillis(-1)));
    }

    // ---- scale-out: externally sequenced appends and restarts ---------------------------------------------

    @Test
    void appendSequenced_keepsTheLogsPositions_andWakesWaiters() {
        buffers.restart("log", 100);
        Cursor start = read("org", null).cursor();
        assertThat(start).isEqualTo(Cursor.of("log", 100));
        List<ReadResult> answers = new ArrayList<>();
        park("org", start, EventFilter.ALL, answers);
        List<AppendResult> results = buffers.appendSequenced(List.of(event("other", "x").withSeq(150),
                event("org", "a").withSeq(170)));
        assertThat(results).extracting(AppendResult::seq).containsExactly(150L, 170L);
        assertThat(buffers.head()).isEqualTo(Cursor.of("log", 170));
        assertThat(answers).singleElement().satisfies(r -> {
            assertThat(ids(r)).containsExactly("a");
            assertThat(r.cursor()).isEqualTo(Cursor.of("log", 170));
        });
    }

    @Test
    void appendSequenced_refusesPositionsAtOrBehindTheHead() {
        buffers.restart("log", 100);
        assertThatIllegalArgumentException().isThrownBy(() -> buffers.appendSequenced(List.of(
                event("org", "a").withSeq(100))));
    }

    @Test
    void restart_dropsEveryOrg_resetsParkedPolls_andOldCursors() {
        Cursor old = read("org", null).cursor();
        append(event("org", "a"));
        List<ReadResult> answers = new ArrayList<>();
        park("org", buffers.head(), EventFilter.ALL, answers);
        buffers.restart("fresh", 5_000);
        assertThat(answers).singleElement().satisfies(r -> {
            assertThat(r.reset()).isTrue();
            assertThat(r.cursor()).isEqualTo(Cursor.of("fresh", 5_000));
        });
        assertThat(buffers.stats().events()).isZero();
        assertThat(buffers.stats().waiters()).isZero();
        ReadResult stale = read("org", old);
        assertThat(stale.reset()).isTrue();
        assertThat(stale.cursor()).isEqualTo(Cursor.of("fresh", 5_000));
        assertThat(read("org", stale.cursor()).reset()).isFalse();
    }

    @Test
    void refill_orgsBufferedDuringIt_knowTheirHistoryFromTheFloor_laterOnesFromCreation() {
        buffers.restart("log", 100, /* refilling= */ true);
        Cursor floor = Cursor.of("log", 100);
        buffers.appendSequenced(List.of(event("other", "x").withSeq(120), event("org", "a").withSeq(130)));
        // The whole log after the floor was replayed: a cursor at the floor is provable.
        ReadResult fromFloor = read("org", floor);
        assertThat(fromFloor.reset()).isFalse();
        assertThat(ids(fromFloor)).containsExactly("a");
        buffers.finishRefill();
        buffers.appendSequenced(List.of(event("late", "y").withSeq(140)));
        // Buffered after the refill: it knows nothing before its creation (head 140).
        assertThat(read("late", floor).reset()).isTrue();
        assertThat(read("late", Cursor.of("log", 140)).reset()).isFalse();
    }
}
