package dev.realtime.service.redis;

import dev.realtime.buffer.AppendResult;
import dev.realtime.buffer.Cursor;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.OrgBuffers;
import dev.realtime.service.config.DomainBuffers;
import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.redis.client.Command;
import io.vertx.mutiny.redis.client.Redis;
import io.vertx.mutiny.redis.client.Request;
import io.vertx.mutiny.redis.client.Response;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

/**
 * Scale-out mode: every publish is appended to one Redis Stream per domain stream, and every replica reads
 * that stream (no consumer group: each sees every entry) and appends to its local buffers in stream order. The
 * entry id is the seq ({@link StreamIds}) and the epoch lives in Redis, so a cursor issued by one replica means
 * the same position on every other.
 *
 * <p>Publishing runs one Lua script per batch: idempotency keys (an {@code eventId} seen within the TTL is
 * accepted once, on every replica), the appends, and trimming by age (TTL) and length, atomically. A stream
 * that does not exist starts a new epoch, so a deleted stream or a Redis that lost its data resets clients
 * instead of silently skipping. A replica that starts refills its buffers from the last TTL of the stream
 * before it reports ready; one that loses Redis keeps serving its buffers, reconnects with capped backoff and
 * resumes after the last entry it applied. Thread-safe.
 */
@Singleton
public class RedisEventLog {
    private static final Logger LOG = Logger.getLogger(RedisEventLog.class);
    /** Entries read per XREAD; a full read means the replica has not caught up yet. */
    private static final int READ_COUNT = 1_000;
    /** Longest start-up waits for the first refill; after it, the readers keep trying in the background. */
    private static final Duration STARTUP_SYNC = Duration.ofSeconds(10);
    /** How long one XREAD blocks; bounds how late a stop or an epoch change is noticed. */
    private static final int BLOCK_MS = 1_000;

    /**
     * A stream and its epoch are born together: a missing stream (never created, deleted, or lost with a Redis
     * that kept no data) starts a new epoch, so no replica mistakes the new history for the old one.
     */
    private static final String INIT = """
            local epoch = redis.call('GET', KEYS[2])
            if redis.call('EXISTS', KEYS[1]) == 0 or not epoch then
              if redis.call('EXISTS', KEYS[1]) == 0 then
                redis.call('XGROUP', 'CREATE', KEYS[1], 'init', '$', 'MKSTREAM')
                redis.call('XGROUP', 'DESTROY', KEYS[1], 'init')
              end
              epoch = ARGV[1]
              redis.call('SET', KEYS[2], epoch)
            end
            """;

    private static final String PUBLISH = INIT.replace("ARGV[1]", "ARGV[4]") + """
            local out = {epoch}
            local n = (#ARGV - 5) / 8
            for i = 0, n - 1 do
              local b = 5 + i * 8
              local idem = ARGV[b + 3]
              local key = ARGV[5] .. ARGV[b + 1] .. ':' .. ARGV[b + 2]
              local seen = false
              if idem == '1' then seen = redis.call('GET', key) end
              if seen then
                table.insert(out, 'd' .. seen)
              else
                local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*',
                  'o', ARGV[b + 1], 'e', ARGV[b + 2], 'i', idem, 't', ARGV[b + 4], 'n', ARGV[b + 5],
                  's', ARGV[b + 6], 'ts', ARGV[b + 7], 'j', ARGV[b + 8])
                if idem == '1' then redis.call('SET', key, id, 'PX', ARGV[1]) end
                table.insert(out, 'a' .. id)
              end
            end
            redis.call('XTRIM', KEYS[1], 'MINID', '~', ARGV[3])
            return out
            """;

    private final RealtimeConfig config;
    private final DomainBuffers buffers;
    private final Instance<Redis> redisClient;
    private final Clock clock;
    private final Map<String, Reader> readers = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean running;

    RedisEventLog(RealtimeConfig config, DomainBuffers buffers, Instance<Redis> redisClient, Clock clock,
            MeterRegistry registry) {
        if (config.fanout() == RealtimeConfig.Fanout.REDIS) {
            Gauge.builder("realtime.redis.connected", this, log -> log.isConnected() ? 1 : 0)
                    .description("1 while every stream reader is connected to Redis and caught up")
                    .tag("domain", config.domain()).register(registry);
        }
        this.config = config;
        this.buffers = buffers;
        this.redisClient = redisClient;
        this.clock = clock;
    }

    /** Returns whether the service runs in scale-out mode. */
    public boolean enabled() {
        return config.fanout() == RealtimeConfig.Fanout.REDIS;
    }

    void start(@Observes StartupEvent event) {
        if (!enabled()) {
            return;
        }
        running = true;
        long deadline = System.nanoTime() + STARTUP_SYNC.toNanos();
        for (String stream : buffers.streamNames()) {
            Reader reader = new Reader(stream, buffers.stream(stream));
            readers.put(stream, reader);
            // Refill before the service takes traffic, so no client is handed a cursor of a placeholder epoch.
            reader.catchUp(deadline);
            Thread thread = new Thread(reader, "realtime-redis-reader-" + (stream.isEmpty() ? "main" : stream));
            thread.setDaemon(true);
            thread.start();
        }
        LOG.infof("scale-out mode: reading redis streams: domain=%s streams=%s", config.domain(), status().keySet());
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
    }

    /**
     * Refuses work on {@code stream} until its reader has adopted the shared epoch and refilled once: before
     * that, a cursor handed out would belong to a placeholder history.
     *
     * @throws ProblemException {@code log_unavailable}
     */
    public void requireSynced(String stream) {
        Reader reader = readers.get(stream);
        if (reader != null && !reader.synced) {
            throw new ProblemException(ProblemCode.LOG_UNAVAILABLE,
                    "This replica is still loading the shared event log; retry shortly.");
        }
    }

    /** Returns whether every stream adopted the shared epoch and refilled once (readiness). */
    public boolean isSynced() {
        return readers.values().stream().allMatch(r -> r.synced);
    }

    /** Returns whether every stream's reader is connected and caught up right now. */
    public boolean isConnected() {
        return readers.values().stream().allMatch(r -> r.caughtUp);
    }

    /** Returns, per stream, whether its reader is connected and caught up. */
    public Map<String, Boolean> status() {
        Map<String, Boolean> status = new LinkedHashMap<>();
        readers.forEach((stream, reader) -> status.put(stream.isEmpty() ? "main" : stream, reader.caughtUp));
        return status;
    }

    /**
     * Publishes {@code events} to {@code stream}'s Redis Stream, atomically.
     *
     * @return one result per event: accepted or duplicate, with its cursor
     * @throws ProblemException {@code log_unavailable} when Redis cannot be reached in time
     */
    public List<Published> publish(String stream, List<Event> events) {
        List<String> args = new ArrayList<>();
        long now = clock.millis();
        args.add(Long.toString(config.buffer().ttl().toMillis()));
        args.add(Integer.toString(config.redis().maxLength()));
        args.add(StreamIds.firstIdAt(now - config.buffer().ttl().toMillis()));
        args.add(OrgBuffers.randomEpoch());
        args.add(key(stream) + ":id:");
        for (Event event : events) {
            args.add(event.orgId());
            args.add(event.eventId());
            args.add(event.idempotent() ? "1" : "0");
            args.add(event.type());
            args.add(event.entityId());
            args.add(event.scope() == null ? "" : event.scope());
            args.add(Long.toString(event.tsMillis()));
            args.add(new String(event.json(), StandardCharsets.UTF_8));
        }
        Request request = Request.cmd(Command.EVAL).arg(PUBLISH).arg(2).arg(key(stream)).arg(key(stream) + ":epoch");
        args.forEach(request::arg);
        Response response;
        try {
            response = redisClient.get().send(request).await().atMost(config.redis().commandTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("publish to redis failed, answering 503: domain=%s error=%s", config.domain(), e.toString());
            throw new ProblemException(ProblemCode.LOG_UNAVAILABLE,
                    "The shared event log is unavailable; nothing was published. Retry shortly.");
        }
        String epoch = response.get(0).toString();
        List<Published> results = new ArrayList<>(events.size());
        long newest = 0;
        for (int i = 1; i < response.size(); i++) {
            String item = response.get(i).toString();
            long seq = StreamIds.toSeq(item.substring(1));
            newest = Math.max(newest, seq);
            results.add(new Published(item.charAt(0) == 'd', new Cursor(epoch, seq)));
        }
        awaitApplied(buffers.stream(stream), epoch, newest);
        return results;
    }

    /**
     * Waits (bounded by the command timeout) until this replica's reader has applied {@code seq}, so a client
     * that publishes and then polls the same replica reads its own writes. The events are stored either way.
     */
    private void awaitApplied(OrgBuffers local, String epoch, long seq) {
        long deadline = System.nanoTime() + config.redis().commandTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            Cursor head = local.head();
            if (head.isOf(epoch) && head.seq() >= seq) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(50_000);
        }
    }

    /** The outcome of one published event. */
    public record Published(boolean duplicate, Cursor cursor) {}

    private String key(String stream) {
        return config.redis().keyPrefix() + ":" + config.domain() + ":" + (stream.isEmpty() ? "main" : stream);
    }

    /** Reads one Redis Stream into its buffers, forever, resuming after the last applied entry. */
    private final class Reader implements Runnable {
        private final String stream;
        private final OrgBuffers target;
        private String epoch;
        private String lastId;
        private boolean refilling;
        volatile boolean caughtUp;
        /** Whether the shared epoch was adopted and refilled once; stays true through later outages. */
        volatile boolean synced;

        Reader(String stream, OrgBuffers target) {
            this.stream = stream;
            this.target = target;
        }

        @Override
        public void run() {
            long backoffMs = 100;
            while (running) {
                try {
                    step();
                    backoffMs = 100;
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    caughtUp = false;
                    LOG.warnf("redis stream read failed, retrying in %d ms: domain=%s stream=%s error=%s", backoffMs,
                            config.domain(), key(stream), e.toString());
                    sleep(backoffMs);
                    backoffMs = Math.min(backoffMs * 2, config.redis().maxBackoff().toMillis());
                }
            }
        }

        /** Adopts the epoch, reads one batch, and ends the refill once caught up. */
        private void step() {
            syncEpoch();
            caughtUp = readOnce() < READ_COUNT;
            if (caughtUp && refilling) {
                target.finishRefill();
                refilling = false;
            }
            synced |= caughtUp;
        }

        /** Syncs and reads until caught up or {@code deadline}; failures are left to the background loop. */
        void catchUp(long deadline) {
            try {
                while (!caughtUp && System.nanoTime() < deadline) {
                    step();
                }
            } catch (RuntimeException e) {
                LOG.warnf("redis not reachable at start-up, not ready until it is: domain=%s stream=%s error=%s",
                        config.domain(), key(stream), e.toString());
            }
        }

        /** Adopts the epoch in Redis; a new one (stream created anew) restarts the local history. */
        private void syncEpoch() {
            String current = send(Request.cmd(Command.EVAL).arg(INIT + "return epoch").arg(2).arg(key(stream))
                    .arg(key(stream) + ":epoch").arg(OrgBuffers.randomEpoch())).toString();
            if (current.equals(epoch)) {
                checkNotTrimmedPast();
                return;
            }
            // Everything after the floor is in the stream: older entries are past the TTL or trimmed away.
            long floor = Math.max(maxDeletedSeq(), newestExpiredSeq());
            target.restart(current, floor, /* refilling= */ true);
            refilling = true;
            LOG.infof("redis stream epoch adopted, refilling: domain=%s stream=%s epoch=%s after=%s", config.domain(),
                    key(stream), current, StreamIds.toId(floor));
            epoch = current;
            lastId = StreamIds.toId(floor);
        }

        private long maxDeletedSeq() {
            String maxDeleted = field(send(Request.cmd(Command.XINFO).arg("STREAM").arg(key(stream))),
                    "max-deleted-entry-id");
            return maxDeleted == null ? 0 : StreamIds.toSeq(maxDeleted);
        }

        private long newestExpiredSeq() {
            String cutoff = StreamIds.firstIdAt(clock.millis() - config.buffer().ttl().toMillis());
            Response newest = send(Request.cmd(Command.XREVRANGE).arg(key(stream)).arg("(" + cutoff).arg("-")
                    .arg("COUNT").arg(1));
            return newest == null || newest.size() == 0 ? 0 : StreamIds.toSeq(newest.get(0).get(0).toString());
        }

        /** Entries after our position trimmed away while we were gone: clients cannot be proven complete. */
        private void checkNotTrimmedPast() {
            if (caughtUp || "0-0".equals(lastId)) {
                return;
            }
            Response first = send(Request.cmd(Command.XRANGE).arg(key(stream)).arg("-").arg("+").arg("COUNT").arg(1));
            if (first == null || first.size() == 0) {
                return;
            }
            long firstSeq = StreamIds.toSeq(first.get(0).get(0).toString());
            long lastSeq = StreamIds.toSeq(lastId);
            if (firstSeq > lastSeq + 1 && firstSeq > target.head().seq()) {
                Response info = send(Request.cmd(Command.XINFO).arg("STREAM").arg(key(stream)));
                String maxDeleted = field(info, "max-deleted-entry-id");
                if (maxDeleted != null && StreamIds.toSeq(maxDeleted) > lastSeq) {
                    String local = OrgBuffers.randomEpoch();
                    LOG.warnf("redis stream trimmed past this replica's position, resetting clients: domain=%s "
                            + "stream=%s", config.domain(), key(stream));
                    target.restart(local, lastSeq);
                    epoch = null;
                }
            }
        }

        private int readOnce() {
            Response response = send(Request.cmd(Command.XREAD).arg("COUNT").arg(READ_COUNT).arg("BLOCK")
                    .arg(BLOCK_MS).arg("STREAMS").arg(key(stream)).arg(lastId));
            List<Response> entries = entriesOf(response);
            for (Response entry : entries) {
                String id = entry.get(0).toString();
                apply(id, entry.get(1));
                lastId = id;
            }
            return entries.size();
        }

        private void apply(String id, Response fields) {
            Map<String, String> f = new LinkedHashMap<>();
            if (fields.size() > 0 && fields.getKeys().isEmpty()) {
                for (int i = 0; i + 1 < fields.size(); i += 2) {
                    f.put(fields.get(i).toString(), fields.get(i + 1).toString());
                }
            } else {
                for (String k : fields.getKeys()) {
                    f.put(k, fields.get(k).toString());
                }
            }
            long seq = StreamIds.toSeq(id);
            if (seq <= target.head().seq()) {
                return;
            }
            String scope = f.getOrDefault("s", "");
            Event event = new Event(f.get("e"), f.get("o"), f.get("t"), f.get("n"), scope.isEmpty() ? null : scope,
                    Long.parseLong(f.get("ts")), 1, seq, f.get("j").getBytes(StandardCharsets.UTF_8),
                    "1".equals(f.get("i")));
            for (AppendResult result : target.appendSequenced(List.of(event))) {
                if (result instanceof AppendResult.Rejected) {
                    LOG.debugf("event not buffered, org limit reached: domain=%s", config.domain());
                }
            }
        }

        private void sleep(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }

    private Response send(Request request) {
        Duration timeout = config.redis().commandTimeout().plusMillis(BLOCK_MS);
        return redisClient.get().send(request).await().atMost(timeout);
    }

    /** Returns the entries of an XREAD reply for one stream (RESP2 nested arrays or RESP3 map). */
    private static List<Response> entriesOf(Response response) {
        List<Response> entries = new ArrayList<>();
        if (response == null || response.size() == 0) {
            return entries;
        }
        Response streamEntries;
        if (!response.getKeys().isEmpty()) {
            streamEntries = response.get(response.getKeys().iterator().next());
        } else {
            streamEntries = response.get(0).get(1);
        }
        for (int i = 0; i < streamEntries.size(); i++) {
            entries.add(streamEntries.get(i));
        }
        return entries;
    }

    private static String field(Response info, String name) {
        if (info == null) {
            return null;
        }
        if (!info.getKeys().isEmpty()) {
            Response value = info.get(name);
            return value == null ? null : value.toString();
        }
        for (int i = 0; i + 1 < info.size(); i += 2) {
            if (name.equals(info.get(i).toString())) {
                return info.get(i + 1).toString();
            }
        }
        return null;
    }
}
