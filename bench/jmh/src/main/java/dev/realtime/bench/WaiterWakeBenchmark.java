package dev.realtime.bench;

import dev.realtime.buffer.AppendResult;
import dev.realtime.buffer.BufferSettings;
import dev.realtime.buffer.Cursor;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.EventFilter;
import dev.realtime.buffer.OrgBuffers;
import dev.realtime.buffer.PollResult;
import dev.realtime.buffer.ReadResult;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The cost of one {@link OrgBuffers#append} that wakes {@value #WAITERS} parked polls of its org: the append,
 * the read each waiter is answered with, and all {@value #WAITERS} callbacks, which run on the appending
 * thread before {@code append} returns.
 *
 * <p>Workload: one thread, one org holding 200 events (capacity 200, TTL 25 s, full, so the append also drops
 * one). Before every invocation, outside the measured time ({@code @Setup(Level.Invocation)}), the clock moves
 * 10 ms and {@value #WAITERS} polls are parked at the head; the invocation appends one unscoped event. With
 * {@code filters=shared} every waiter has {@link EventFilter#ALL}, so one read answers all of them (the usual
 * case: subscribers parked at the head); with {@code filters=distinct} each waiter has its own scope filter,
 * so each needs its own read (the worst case). The callback counts and keeps the result; the per-invocation
 * tear-down checks that all {@value #WAITERS} were answered with the one new event. Score: time per append
 * that wakes all of them.
 *
 * {@snippet lang="shell" :
 * java -jar bench/jmh/target/benchmarks.jar WaiterWakeBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WaiterWakeBenchmark {
    /** Polls parked on the org before each append. */
    static final int WAITERS = 1_000;
    /** Events the org holds, equal to its capacity. */
    static final int CAPACITY = 200;
    /** Simulated time between two appends: 10 ms. */
    static final long TICK_NANOS = 10_000_000L;
    /** Distinct pre-built events, a power of two; their ids repeat only after they left the 25 s TTL. */
    static final int POOL_SIZE = 4_096;
    /** Batch cap per reply. */
    static final int MAX_EVENTS = 100;

    @Param({"shared", "distinct"})
    String filters;

    private SimulatedClock clock;
    private OrgBuffers buffers;
    private Event[] events;
    private EventFilter[] waiterFilters;
    private int next;
    private int answered;
    private ReadResult lastAnswer;
    private final Consumer<ReadResult> onResult = result -> {
        answered++;
        lastAnswer = result;
    };

    @Setup(Level.Trial)
    public void setUp() {
        clock = new SimulatedClock();
        buffers = new OrgBuffers(BufferSettings.of(CAPACITY, Duration.ofSeconds(25)), clock, "bench",
                /* coalescer= */ null);
        byte[] json = new byte[256];
        Arrays.fill(json, (byte) 'x');
        events = new Event[POOL_SIZE];
        for (int i = 0; i < POOL_SIZE; i++) {
            events[i] = Event.of("evt-" + i, "org-1", "transaction.updated", "txn-" + (i % 64),
                    /* scope= */ null, 1_700_000_000_000L + i, json);
        }
        waiterFilters = new EventFilter[WAITERS];
        for (int i = 0; i < WAITERS; i++) {
            waiterFilters[i] = switch (filters) {
                case "shared" -> EventFilter.ALL;
                case "distinct" -> EventFilter.scopes(Set.of("property-" + i));
                default -> throw new IllegalArgumentException("filters must be shared or distinct, was " + filters);
            };
        }
        for (int i = 0; i < CAPACITY; i++) {
            clock.advance(TICK_NANOS);
            buffers.append(nextEvent());
        }
    }

    @Setup(Level.Invocation)
    public void park() {
        clock.advance(TICK_NANOS);
        answered = 0;
        lastAnswer = null;
        Cursor head = buffers.head();
        for (int i = 0; i < WAITERS; i++) {
            if (!(buffers.poll("org-1", head, waiterFilters[i], MAX_EVENTS, onResult) instanceof PollResult.Parked)) {
                throw new IllegalStateException("poll " + i + " did not park");
            }
        }
    }

    @Benchmark
    public AppendResult appendAndWake() {
        return buffers.append(nextEvent());
    }

    @TearDown(Level.Invocation)
    public void checkAllWoken() {
        if (answered != WAITERS || lastAnswer.reset() || lastAnswer.events().size() != 1) {
            throw new IllegalStateException("answered " + answered + " of " + WAITERS + ", last " + lastAnswer);
        }
    }

    private Event nextEvent() {
        Event event = events[next];
        next = (next + 1) & (POOL_SIZE - 1);
        return event;
    }
}
