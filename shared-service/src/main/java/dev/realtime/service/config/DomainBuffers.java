package dev.realtime.service.config;

import dev.realtime.buffer.BufferSettings;
import dev.realtime.buffer.BufferStats;
import dev.realtime.buffer.Coalescer;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.OrgBuffers;
import dev.realtime.buffer.TimeSource;
import dev.realtime.service.json.EventJson;
import dev.realtime.service.policy.DomainPolicy;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jboss.logging.Logger;

/**
 * The domain's buffers: one {@link OrgBuffers} for the main stream and one per secondary stream, so a burst on
 * one stream never pushes another's events out. Built at start-up from {@link RealtimeConfig}: a bad limit
 * fails the boot (the bean is created at start-up, not on the first request). Thread-safe.
 */
@Startup
@Singleton
public class DomainBuffers {
    private static final Logger LOG = Logger.getLogger(DomainBuffers.class);

    private final Map<String, OrgBuffers> streams;

    DomainBuffers(RealtimeConfig config, DomainPolicy policy, TimeSource time) {
        RealtimeConfig.Buffer buffer = config.buffer();
        BufferSettings settings = new BufferSettings(buffer.capacity(), buffer.ttl(), buffer.idleAfter(),
                buffer.maxOrgs(), buffer.coalesceWindow());
        Map<String, OrgBuffers> byName = new LinkedHashMap<>();
        byName.put(DomainPolicy.MAIN_STREAM, create(settings, time));
        for (String stream : policy.secondaryStreams()) {
            byName.put(stream, create(settings, time));
        }
        this.streams = Map.copyOf(byName);
        LOG.infof("buffers ready: domain=%s streams=%s capacity=%d ttl=%s idleAfter=%s maxOrgs=%d coalesce=%s",
                config.domain(), policy.secondaryStreams(), settings.capacity(), settings.ttl(),
                settings.idleAfter(), settings.maxOrgs(), settings.coalesceWindow());
    }

    private static OrgBuffers create(BufferSettings settings, TimeSource time) {
        OrgBuffers buffers = new OrgBuffers(settings, time, OrgBuffers.randomEpoch(), BY_ENTITY);
        buffers.onCallbackFailure(e -> LOG.error("waiter callback failed", e));
        return buffers;
    }

    /** Returns the buffers of {@code stream}, or null when the domain has no such stream. */
    public OrgBuffers stream(String stream) {
        return streams.get(stream);
    }

    /** Returns the main stream's buffers. */
    public OrgBuffers main() {
        return streams.get(DomainPolicy.MAIN_STREAM);
    }

    /** Returns every stream name ({@code ""} is the main stream). */
    public Set<String> streamNames() {
        return streams.keySet();
    }

    /** Returns every stream's buffers. */
    public Iterable<OrgBuffers> all() {
        return streams.values();
    }

    /** Returns the figures of all streams added up. */
    public BufferStats totals() {
        long[] sum = new long[11];
        for (OrgBuffers buffers : streams.values()) {
            BufferStats s = buffers.stats();
            long[] v = {s.orgs(), s.events(), s.waiters(), s.appended(), s.duplicates(), s.coalesced(),
                s.droppedCapacity(), s.droppedTtl(), s.droppedIdle(), s.evictions(), s.rejected()};
            for (int i = 0; i < v.length; i++) {
                sum[i] += v[i];
            }
        }
        return new BufferStats(sum[0], sum[1], sum[2], sum[3], sum[4], sum[5], sum[6], sum[7], sum[8], sum[9],
                sum[10]);
    }

    /**
     * Merges events of the same type, entity and scope; the merged event carries the newer payload and the sum
     * of the counts. Used only when {@code realtime.buffer.coalesce-window} is positive.
     */
    static final Coalescer BY_ENTITY = new Coalescer() {
        @Override
        public boolean mergeable(Event previous, Event next) {
            return previous.type().equals(next.type())
                    && previous.entityId().equals(next.entityId())
                    && Objects.equals(previous.scope(), next.scope());
        }

        @Override
        public Event merge(Event previous, Event next) {
            int count = previous.count() + next.count();
            return next.withCount(count, EventJson.withCount(next.json(), count));
        }
    };
}
