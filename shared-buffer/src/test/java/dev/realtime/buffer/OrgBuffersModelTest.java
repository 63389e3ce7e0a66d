package dev.realtime.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Runs thousands of random operation sequences against {@link OrgBuffers} and against a trivially correct
 * model (a list of every event ever appended, each marked live, dropped or superseded) and compares every
 * answer. A failure names the seed; {@code -Dmodel.seed=<seed>} replays that one sequence.
 */
class OrgBuffersModelTest {
    private static final String EPOCH = "ep";
    private static final List<String> ORGS = List.of("a", "b", "c", "d");
    private static final List<String> SCOPES = java.util.Arrays.asList(null, null, "p1", "p2", "p3");
    private static final int SEQUENCES = 3_000;
    private static final int OPS = 150;

    @Test
    void randomOperationSequences_matchTheModel() {
        String replay = System.getProperty("model.seed");
        if (replay != null) {
            run(Long.parseLong(replay));
            return;
        }
        long base = new Random().nextLong();
        for (int i = 0; i < SEQUENCES; i++) {
            run(base + i);
        }
    }

    private static void run(long seed) {
        try {
            new Sequence(seed).run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("model mismatch; replay with -Dmodel.seed=" + seed + ": " + e.getMessage(), e);
        }
    }

    /** One random sequence: the real buffers and the model side by side. */
    private static final class Sequence {
        final Random random;
        final FakeTime time = new FakeTime();
        final int capacity;
        final long ttl;
        final long idleAfter;
        final long window;
        final int maxOrgs;
        final OrgBuffers buffers;
        // The model.
        long head;
        final Map<String, ModelOrg> orgs = new LinkedHashMap<>();
        final List<ModelWaiter> waiters = new ArrayList<>();
        final List<Cursor> cursorsSeen = new ArrayList<>();

        Sequence(long seed) {
            random = new Random(seed);
            capacity = 1 + random.nextInt(6);
            ttl = 10 + random.nextInt(100);
            idleAfter = 1 + random.nextInt(200);
            window = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(30);
            maxOrgs = 2 + random.nextInt(3);
            BufferSettings settings = new BufferSettings(capacity, Duration.ofNanos(ttl), Duration.ofNanos(idleAfter),
                    maxOrgs, Duration.ofNanos(window));
            buffers = new OrgBuffers(settings, time, EPOCH, window == 0 ? null : COALESCER);
        }

        void run() {
            for (int op = 0; op < OPS; op++) {
                int dice = random.nextInt(100);
                if (dice < 35) {
                    appendBatch(1);
                } else if (dice < 45) {
                    appendBatch(2 + random.nextInt(4));
                } else if (dice < 65) {
                    read();
                } else if (dice < 75) {
                    poll();
                } else if (dice < 80) {
                    endWaiter();
                } else if (dice < 93) {
                    time.advanceNanos(random.nextInt((int) Math.max(ttl, idleAfter) + 20));
                } else {
                    sweep();
                }
                assertThat(buffers.head().seq()).as("head").isEqualTo(head);
                assertThat(buffers.stats().orgs()).as("orgs").isEqualTo(orgs.size());
            }
            assertThat(buffers.stats().waiters()).isEqualTo(waiters.stream().filter(w -> !w.done).count());
        }

        // ---- operations -----------------------------------------------------------------------------------

        void appendBatch(int size) {
            List<Event> batch = new ArrayList<>();
            for (int i = 0; i < size; i++) {
                String org = ORGS.get(random.nextInt(ORGS.size()));
                String id = "id" + random.nextInt(12);
                String entity = "x" + random.nextInt(3);
                String scope = SCOPES.get(random.nextInt(SCOPES.size()));
                batch.add(Events.of(org, id, random.nextBoolean() ? "t.updated" : "t.created", entity, scope));
            }
            List<AppendResult> actual = buffers.appendAll(batch);
            List<AppendResult> expected = modelAppend(batch);
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertSameAppend(actual.get(i), expected.get(i));
            }
        }

        void read() {
            String org = ORGS.get(random.nextInt(ORGS.size()));
            Cursor after = randomCursor();
            EventFilter filter = randomFilter();
            int max = 1 + random.nextInt(5);
            PollResult actual = buffers.read(org, after, filter, max);
            ReadResult expected = modelRead(org, after, filter, max, /* touch= */ true);
            if (expected == null) {
                assertThat(actual).isEqualTo(new PollResult.Rejected(Rejection.ORG_LIMIT));
                return;
            }
            assertThat(actual).isInstanceOf(PollResult.Answered.class);
            assertSameRead(((PollResult.Answered) actual).result(), expected);
            cursorsSeen.add(expected.cursor());
        }

        void poll() {
            String org = ORGS.get(random.nextInt(ORGS.size()));
            Cursor after = randomCursor();
            EventFilter filter = randomFilter();
            int max = 1 + random.nextInt(5);
            ModelWaiter waiter = new ModelWaiter(org, after == null ? -1 : after.seq(), filter, max);
            PollResult actual = buffers.poll(org, after, filter, max, waiter.answers::add);
            ReadResult expected = modelRead(org, after, filter, max, true);
            if (expected == null) {
                assertThat(actual).isEqualTo(new PollResult.Rejected(Rejection.ORG_LIMIT));
                return;
            }
            boolean parks = after != null && after.isOf(EPOCH) && !expected.reset() && expected.events().isEmpty();
            if (!parks) {
                assertThat(actual).isInstanceOf(PollResult.Answered.class);
                assertSameRead(((PollResult.Answered) actual).result(), expected);
                return;
            }
            assertThat(actual).isInstanceOf(PollResult.Parked.class);
            waiter.handle = ((PollResult.Parked) actual).waiter();
            waiters.add(waiter);
            orgs.get(org).waiters++;
        }

        void endWaiter() {
            List<ModelWaiter> parked = waiters.stream().filter(w -> !w.done).toList();
            if (parked.isEmpty()) {
                return;
            }
            ModelWaiter waiter = parked.get(random.nextInt(parked.size()));
            waiter.done = true;
            ModelOrg org = orgs.get(waiter.org);
            org.waiters--;
            if (random.nextBoolean()) {
                assertThat(waiter.handle.cancel()).isTrue();
                org.lastTouched = time.nanoTime();
                assertThat(waiter.answers).isEmpty();
            } else {
                assertThat(waiter.handle.expire()).isTrue();
                ReadResult expected = modelRead(waiter.org, Cursor.of(EPOCH, waiter.afterSeq), waiter.filter,
                        waiter.max, true);
                assertThat(waiter.answers).hasSize(1);
                assertSameRead(waiter.answers.get(0), expected);
            }
        }

        void sweep() {
            int evicted = buffers.sweep();
            int expected = 0;
            long now = time.nanoTime();
            for (var it = orgs.values().iterator(); it.hasNext(); ) {
                ModelOrg org = it.next();
                org.expire(now);
                if (org.waiters == 0 && now - org.lastTouched >= idleAfter) {
                    it.remove();
                    expected++;
                }
            }
            assertThat(evicted).as("evicted").isEqualTo(expected);
        }

        Cursor randomCursor() {
            int dice = random.nextInt(10);
            if (dice == 0) {
                return null;
            }
            if (dice == 1) {
                return Cursor.of("foreign", random.nextInt((int) head + 1));
            }
            if (dice < 6 && !cursorsSeen.isEmpty()) {
                return cursorsSeen.get(random.nextInt(cursorsSeen.size()));
            }
            return Cursor.of(EPOCH, random.nextInt((int) head + 3));
        }

        EventFilter randomFilter() {
            return switch (random.nextInt(4)) {
                case 0, 1 -> EventFilter.ALL;
                case 2 -> EventFilter.scopes(Set.of("p1"));
                default -> EventFilter.scopes(Set.of("p2", "p3"));
            };
        }

        // ---- the model ------------------------------------------------------------------------------------

        ModelOrg acquire(String orgId, boolean enforceLimit) {
            ModelOrg org = orgs.get(orgId);
            if (org == null) {
                if (enforceLimit && orgs.size() >= maxOrgs) {
                    return null;
                }
                org = new ModelOrg(head, time.nanoTime());
                orgs.put(orgId, org);
            }
            return org;
        }

        List<AppendResult> modelAppend(List<Event> batch) {
            Map<String, List<Integer>> byOrg = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                byOrg.computeIfAbsent(batch.get(i).orgId(), k -> new ArrayList<>()).add(i);
            }
            for (String orgId : byOrg.keySet()) {
                if (acquire(orgId, true) == null) {
                    return java.util.Collections.nCopies(batch.size(), new AppendResult.Rejected(Rejection.ORG_LIMIT));
                }
            }
            AppendResult[] results = new AppendResult[batch.size()];
            long now = time.nanoTime();
            for (var group : byOrg.entrySet()) {
                ModelOrg org = orgs.get(group.getKey());
                org.lastTouched = now;
                org.expire(now);
                List<Event> appended = new ArrayList<>();
                for (int i : group.getValue()) {
                    results[i] = org.append(batch.get(i), now);
                    if (results[i] instanceof AppendResult.Accepted a) {
                        appended.add(a.event());
                    }
                }
                for (ModelWaiter waiter : waiters) {
                    if (!waiter.done && waiter.org.equals(group.getKey())
                            && appended.stream().anyMatch(waiter.filter::accepts)) {
                        waiter.done = true;
                        org.waiters--;
                        ReadResult expected = org.read(Cursor.of(EPOCH, waiter.afterSeq), waiter.filter, waiter.max);
                        assertThat(waiter.answers).as("woken waiter").hasSize(1);
                        assertSameRead(waiter.answers.get(0), expected);
                    }
                }
            }
            for (ModelWaiter waiter : waiters) {
                if (!waiter.done) {
                    assertThat(waiter.answers).as("waiter still parked").isEmpty();
                }
            }
            return List.of(results);
        }

        ReadResult modelRead(String orgId, Cursor after, EventFilter filter, int max, boolean touch) {
            ModelOrg org = acquire(orgId, true);
            if (org == null) {
                return null;
            }
            long now = time.nanoTime();
            if (touch) {
                org.lastTouched = now;
            }
            org.expire(now);
            if (after == null) {
                return new ReadResult(List.of(), Cursor.of(EPOCH, head), false);
            }
            return org.read(after, filter, max);
        }

        /** One org as a plain list of everything ever appended to it since it was (re)created. */
        final class ModelOrg {
            final long knownFrom;
            long lastTouched;
            int waiters;
            final List<Entry> entries = new ArrayList<>();
            final Map<String, long[]> seen = new HashMap<>();

            ModelOrg(long knownFrom, long now) {
                this.knownFrom = knownFrom;
                this.lastTouched = now;
            }

            void expire(long now) {
                for (Entry e : entries) {
                    if (e.state == State.LIVE && now - e.at >= ttl) {
                        e.state = State.DROPPED;
                    }
                }
                seen.values().removeIf(s -> now - s[1] >= ttl);
            }

            AppendResult append(Event event, long now) {
                long[] seenBefore = seen.get(event.eventId());
                if (seenBefore != null) {
                    return new AppendResult.Duplicate(seenBefore[0]);
                }
                Event toAppend = event;
                boolean coalesced = false;
                if (window > 0) {
                    for (int i = entries.size() - 1; i >= 0; i--) {
                        Entry e = entries.get(i);
                        if (e.state == State.LIVE && now - e.at < window && COALESCER.mergeable(e.event, event)) {
                            e.state = State.SUPERSEDED;
                            toAppend = COALESCER.merge(e.event, event);
                            coalesced = true;
                            break;
                        }
                    }
                }
                Event positioned = toAppend.withSeq(++head);
                entries.add(new Entry(positioned, now));
                seen.put(event.eventId(), new long[] {positioned.seq(), now});
                List<Entry> live = entries.stream().filter(e -> e.state == State.LIVE).toList();
                if (live.size() > capacity) {
                    live.get(0).state = State.DROPPED;
                }
                return new AppendResult.Accepted(positioned, coalesced);
            }

            ReadResult read(Cursor after, EventFilter filter, int max) {
                Cursor current = Cursor.of(EPOCH, head);
                boolean reset = !after.isOf(EPOCH) || after.seq() > head || after.seq() < knownFrom
                        || entries.stream().anyMatch(e -> e.state == State.DROPPED && e.event.seq() > after.seq()
                                && filter.accepts(e.event));
                if (reset) {
                    return new ReadResult(List.of(), current, true);
                }
                List<Event> events = new ArrayList<>();
                for (Entry e : entries) {
                    if (e.state == State.LIVE && e.event.seq() > after.seq() && filter.accepts(e.event)) {
                        events.add(e.event);
                        if (events.size() == max) {
                            return new ReadResult(events, Cursor.of(EPOCH, e.event.seq()), false);
                        }
                    }
                }
                return new ReadResult(events, current, false);
            }
        }
    }

    enum State { LIVE, DROPPED, SUPERSEDED }

    static final class Entry {
        final Event event;
        final long at;
        State state = State.LIVE;

        Entry(Event event, long at) {
            this.event = event;
            this.at = at;
        }
    }

    static final class ModelWaiter {
        final String org;
        final long afterSeq;
        final EventFilter filter;
        final int max;
        final List<ReadResult> answers = new ArrayList<>();
        Waiter handle;
        boolean done;

        ModelWaiter(String org, long afterSeq, EventFilter filter, int max) {
            this.org = org;
            this.afterSeq = afterSeq;
            this.filter = filter;
            this.max = max;
        }
    }

    private static void assertSameAppend(AppendResult actual, AppendResult expected) {
        if (expected instanceof AppendResult.Accepted e) {
            assertThat(actual).isInstanceOfSatisfying(AppendResult.Accepted.class, a -> {
                assertThat(a.coalesced()).as("coalesced").isEqualTo(e.coalesced());
                assertSameEvent(a.event(), e.event());
            });
        } else {
            assertThat(actual).isEqualTo(expected);
        }
    }

    private static void assertSameRead(ReadResult actual, ReadResult expected) {
        assertThat(actual.reset()).as("reset").isEqualTo(expected.reset());
        assertThat(actual.cursor()).as("cursor").isEqualTo(expected.cursor());
        assertThat(actual.events()).as("events").hasSameSizeAs(expected.events());
        for (int i = 0; i < expected.events().size(); i++) {
            assertSameEvent(actual.events().get(i), expected.events().get(i));
        }
    }

    private static void assertSameEvent(Event actual, Event expected) {
        assertThat(actual.eventId()).isEqualTo(expected.eventId());
        assertThat(actual.seq()).isEqualTo(expected.seq());
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.scope()).isEqualTo(expected.scope());
    }

    private static final Coalescer COALESCER = new Coalescer() {
        @Override
        public boolean mergeable(Event previous, Event next) {
            return previous.type().equals(next.type()) && previous.entityId().equals(next.entityId())
                    && Objects.equals(previous.scope(), next.scope());
        }

        @Override
        public Event merge(Event previous, Event next) {
            return next.withCount(previous.count() + next.count(), next.json().clone());
        }
    };

}
