package dev.realtime.buffer;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Several publisher threads and hundreds of pollers on a few orgs, for a bounded time. Every reply a poller
 * got is checked against what was published: without a reset it holds exactly the org's events the poller may
 * see between its cursor and the reply's cursor, in order. Most waiters park with a timeout far beyond the
 * test, so a lost wake-up shows up as a poller that never catches up.
 */
@Tag("stress")
class OrgBuffersConcurrencyTest {
    private static final List<String> ORGS = List.of("o1", "o2", "o3", "o4");
    private static final int PUBLISHERS = 3;
    private static final int POLLERS_PER_ORG = 60;
    private static final Duration PUBLISH_FOR = Duration.ofSeconds(2);
    private static final Duration CATCH_UP_WITHIN = Duration.ofSeconds(20);

    private OrgBuffers buffers;
    /** org → seq → event, everything accepted. */
    private final Map<String, Map<Long, Event>> published = new ConcurrentHashMap<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final ExecutorService pollThreads = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();

    /**
     * With {@code evictionPressure}, a sweeper evicts every org idle for a millisecond while pollers come and
     * go, so lookups race evictions and re-creations: pollers then see resets, never a gap.
     */
    @ParameterizedTest(name = "evictionPressure={0}")
    @ValueSource(booleans = {false, true})
    void appendAndPoll_concurrently_everyPollerSeesEveryEventOnceInOrderOrAReset(boolean evictionPressure)
            throws Exception {
        Duration idleAfter = evictionPressure ? Duration.ofMillis(1) : Duration.ofMinutes(5);
        buffers = OrgBuffers.create(new BufferSettings(64, Duration.ofMinutes(5), idleAfter, 100, Duration.ZERO),
                TimeSource.system());
        Thread sweeper = new Thread(() -> {
            while (!stopping.get()) {
                buffers.sweep();
                Thread.onSpinWait();
            }
        }, "sweeper");
        if (evictionPressure) {
            sweeper.start();
        }
        ORGS.forEach(org -> published.put(org, new ConcurrentHashMap<>()));
        buffers.onCallbackFailure(failures::add);
        List<Poller> pollers = new ArrayList<>();
        for (String org : ORGS) {
            for (int i = 0; i < POLLERS_PER_ORG; i++) {
                EventFilter filter = switch (i % 3) {
                    case 0 -> EventFilter.ALL;
                    case 1 -> EventFilter.scopes(Set.of("p1"));
                    default -> EventFilter.scopes(Set.of("p2"));
                };
                pollers.add(new Poller(org, filter, 1 + i % 7));
            }
        }
        pollers.forEach(p -> pollThreads.execute(p::poll));

        List<Thread> publishers = new ArrayList<>();
        long publishUntil = System.nanoTime() + PUBLISH_FOR.toNanos();
        for (int t = 0; t < PUBLISHERS; t++) {
            int publisher = t;
            Thread thread = new Thread(() -> publish(publisher, publishUntil), "publisher-" + t);
            thread.start();
            publishers.add(thread);
        }
        for (Thread thread : publishers) {
            thread.join(PUBLISH_FOR.plusSeconds(10).toMillis());
            assertThat(thread.isAlive()).isFalse();
        }

        long deadline = System.nanoTime() + CATCH_UP_WITHIN.toNanos();
        while (!pollers.stream().allMatch(Poller::caughtUp) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        List<Poller> behind = pollers.stream().filter(p -> !p.caughtUp()).toList();
        assertThat(behind).as("pollers that never caught up (lost wake-up?)").isEmpty();

        stopping.set(true);
        sweeper.join(10_000);
        buffers.expireAllWaiters();
        pollThreads.shutdown();
        assertThat(pollThreads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        timers.shutdownNow();
        buffers.expireAllWaiters();

        assertThat(failures).isEmpty();
        if (evictionPressure) {
            assertThat(buffers.stats().evictions()).as("evictions under pressure").isPositive();
        }
        assertThat(buffers.stats().waiters()).isZero();
        ORGS.forEach(org -> assertThat(buffers.waiterCount(org)).as("waiters of " + org).isZero());
        long totalEvents = published.values().stream().mapToLong(Map::size).sum();
        assertThat(totalEvents).isGreaterThan(1_000);
        for (Poller poller : pollers) {
            poller.verify();
        }
        long replies = pollers.stream().mapToLong(p -> p.replies.size()).sum();
        assertThat(replies).isGreaterThan(pollers.size());
    }

    private void publish(int publisher, long until) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int n = 0; System.nanoTime() < until; n++) {
            List<Event> batch = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) {
                String org = ORGS.get(random.nextInt(ORGS.size()));
                String scope = switch (random.nextInt(3)) {
                    case 0 -> null;
                    case 1 -> "p1";
                    default -> "p2";
                };
                batch.add(Events.scoped(org, "pub" + publisher + "-" + n + "-" + i, scope));
            }
            for (AppendResult result : buffers.appendAll(batch)) {
                Event event = ((AppendResult.Accepted) result).event();
                published.get(event.orgId()).put(event.seq(), event);
            }
            if (n % 64 == 0) {
                Thread.yield();
            }
        }
    }

    private record Reply(Cursor before, ReadResult result) {}

    /** A subscriber that polls forever from its last cursor; its replies are verified at the end. */
    private final class Poller {
        final String org;
        final EventFilter filter;
        final int max;
        final ConcurrentLinkedQueue<Reply> replies = new ConcurrentLinkedQueue<>();
        volatile Cursor cursor;

        Poller(String org, EventFilter filter, int max) {
            this.org = org;
            this.filter = filter;
            this.max = max;
        }

        void poll() {
            if (stopping.get()) {
                return;
            }
            Cursor before = cursor;
            PollResult result = buffers.poll(org, before, filter, max, r -> answered(before, r));
            if (result instanceof PollResult.Answered answered) {
                answered(before, answered.result());
            } else if (result instanceof PollResult.Parked parked) {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                int dice = random.nextInt(10);
                if (dice == 0) {
                    timers.schedule(parked.waiter()::expire, random.nextInt(2_000), TimeUnit.MICROSECONDS);
                } else if (dice == 1) {
                    // The client disconnects and comes back with the same cursor.
                    timers.schedule(() -> {
                        if (parked.waiter().cancel()) {
                            pollThreads.execute(this::poll);
                        }
                    }, random.nextInt(2_000), TimeUnit.MICROSECONDS);
                }
            } else {
                failures.add(new AssertionError("rejected " + result));
            }
        }

        void answered(Cursor before, ReadResult result) {
            replies.add(new Reply(before, result));
            cursor = result.cursor();
            if (!stopping.get()) {
                try {
                    pollThreads.execute(this::poll);
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    // Only while the test is stopping.
                }
            }
        }

        boolean caughtUp() {
            long last = published.get(org).values().stream().filter(filter::accepts)
                    .mapToLong(Event::seq).max().orElse(0);
            Cursor current = cursor;
            return current != null && current.seq() >= last;
        }

        void verify() {
            java.util.NavigableMap<Long, Event> all = new java.util.TreeMap<>(published.get(org));
            for (Reply reply : replies) {
                ReadResult result = reply.result();
                if (reply.before() == null || result.reset()) {
                    assertThat(result.events()).isEmpty();
                    continue;
                }
                long from = reply.before().seq();
                long to = result.cursor().seq();
                List<Long> expected = all.subMap(from, false, to, true).values().stream()
                        .filter(filter::accepts)
                        .map(Event::seq).sorted().toList();
                List<Long> got = result.events().stream().map(Event::seq).toList();
                assertThat(got).as("%s %s after %d up to %d", org, filter, from, to).isEqualTo(expected);
            }
        }
    }
}
