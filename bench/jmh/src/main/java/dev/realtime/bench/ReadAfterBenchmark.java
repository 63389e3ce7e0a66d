package dev.realtime.bench;

import dev.realtime.buffer.BufferSettings;
import dev.realtime.buffer.Cursor;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.EventFilter;
import dev.realtime.buffer.OrgBuffers;
import dev.realtime.buffer.PollResult;
import dev.realtime.buffer.TimeSource;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A catch-up read: {@link OrgBuffers#read} of an org holding 200 events with a cursor 10 events before the
 * head, returning those 10 events.
 *
 * <p>Workload: one thread, one org, capacity 200, 200 unscoped events of 256 bytes of JSON, filter
 * {@link EventFilter#ALL}, {@code max} {@value #MAX_EVENTS} (the batch cap is not reached). The clock is
 * {@link TimeSource#system()}, so each read pays for the clock reading as in production; the TTL is one hour
 * so nothing expires during the run, and the tear-down checks that the last read still returned 10 events.
 * Score: reads per second.
 *
 * {@snippet lang="shell" :
 * java -jar bench/jmh/target/benchmarks.jar ReadAfterBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s
 * }
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ReadAfterBenchmark {
    /** Events the org holds, equal to its capacity. */
    static final int BUFFERED = 200;
    /** Events between the cursor and the head: what each read returns. */
    static final int BEHIND = 10;
    /** Batch cap per reply, above {@link #BEHIND} so the whole tail is returned. */
    static final int MAX_EVENTS = 100;

    private OrgBuffers buffers;
    private Cursor cursor;
    private PollResult last;

    @Setup(Level.Trial)
    public void setUp() {
        buffers = new OrgBuffers(BufferSettings.of(BUFFERED, Duration.ofHours(1)), TimeSource.system(), "bench",
                /* coalescer= */ null);
        byte[] json = new byte[256];
        Arrays.fill(json, (byte) 'x');
        for (int i = 0; i < BUFFERED; i++) {
            buffers.append(Event.of("evt-" + i, "org-1", "transaction.updated", "txn-" + i, /* scope= */ null,
                    1_700_000_000_000L + i, json));
        }
        cursor = Cursor.of(buffers.epoch(), buffers.head().seq() - BEHIND);
        last = readAfter();
        check();
    }

    @Benchmark
    public PollResult readAfter() {
        return buffers.read("org-1", cursor, EventFilter.ALL, MAX_EVENTS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        last = readAfter();
        check();
    }

    private void check() {
        if (!(last instanceof PollResult.Answered answered) || answered.result().reset()
                || answered.result().events().size() != BEHIND) {
            throw new IllegalStateException("not the intended workload: " + last);
        }
    }
}
