package dev.realtime.bench;

import dev.realtime.buffer.AppendResult;
import dev.realtime.buffer.BufferSettings;
import dev.realtime.buffer.BufferStats;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.OrgBuffers;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
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
 * Single-threaded {@link OrgBuffers#append} to one org whose buffer is always full, so every measured append
 * also drops the oldest event for capacity, and remembers its event id while forgetting one that left the TTL.
 *
 * <p>Workload: one org, unscoped events of {@code payloadBytes} of JSON (one shared array, as the publisher
 * serialises once), no waiters, no coalescing, TTL 25 s. Time comes from a {@link SimulatedClock} that moves
 * {@value #TICK_NANOS} ns per append, i.e. an org publishing 100 events/s: the buffer holds {@code capacity}
 * events (never TTL-expired) and the idempotency window holds the last 2,500 event ids. Event ids repeat
 * every {@value #POOL_SIZE} appends (41 simulated seconds, beyond the TTL), so every append is accepted; the
 * tear-down checks that nothing was a duplicate or a TTL drop. Score: appends per second.
 *
 * {@snippet lang="shell" :
 * java -jar bench/jmh/target/benchmarks.jar OrgBufferAppendBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OrgBufferAppendBenchmark {
    /** Simulated time between two appends: 10 ms, a busy org publishing 100 events/s. */
    static final long TICK_NANOS = 10_000_000L;
    /** Distinct pre-built events, a power of two; reused cyclically once their ids left the TTL. */
    static final int POOL_SIZE = 4_096;
    /** The production default TTL (realtime.buffer.ttl). */
    static final Duration TTL = Duration.ofSeconds(25);

    @Param({"200", "300"})
    int capacity;

    @Param({"64", "512"})
    int payloadBytes;

    private SimulatedClock clock;
    private OrgBuffers buffers;
    private Event[] events;
    private int next;
    private long appendsBeforeMeasurement;

    @Setup(Level.Trial)
    public void setUp() {
        if (TTL.toNanos() >= POOL_SIZE * TICK_NANOS) {
            throw new IllegalStateException("event ids would repeat within the TTL");
        }
        clock = new SimulatedClock();
        buffers = new OrgBuffers(BufferSettings.of(capacity, TTL), clock, "bench", /* coalescer= */ null);
        byte[] json = new byte[payloadBytes];
        Arrays.fill(json, (byte) 'x');
        events = new Event[POOL_SIZE];
        for (int i = 0; i < POOL_SIZE; i++) {
            events[i] = Event.of("evt-" + i, "org-1", "transaction.updated", "txn-" + (i % 64),
                    /* scope= */ null, 1_700_000_000_000L + i, json);
        }
        // One full pass reaches the steady state: ring full, idempotency window at its TTL size.
        for (int i = 0; i < POOL_SIZE; i++) {
            append();
        }
        appendsBeforeMeasurement = buffers.stats().appended();
    }

    @Benchmark
    public AppendResult append() {
        clock.advance(TICK_NANOS);
        Event event = events[next];
        next = (next + 1) & (POOL_SIZE - 1);
        return buffers.append(event);
    }

    @TearDown(Level.Trial)
    public void checkSteadyState() {
        BufferStats stats = buffers.stats();
        if (stats.duplicates() != 0 || stats.droppedTtl() != 0 || stats.events() != capacity
                || stats.droppedCapacity() != stats.appended() - capacity
                || stats.appended() <= appendsBeforeMeasurement) {
            throw new IllegalStateException("not the intended workload: " + stats);
        }
    }
}
