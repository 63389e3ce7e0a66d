package dev.realtime.service.publish;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.buffer.AppendResult;
import dev.realtime.buffer.Cursor;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.OrgBuffers;
import dev.realtime.service.auth.Subject;
import dev.realtime.service.auth.TokenVerifier;
import dev.realtime.service.config.DomainBuffers;
import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.metrics.RealtimeMetrics;
import dev.realtime.service.policy.DomainPolicy;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import dev.realtime.service.redis.RedisEventLog;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Publishes a body of events for a caller: checks the token and the publisher group, validates the whole body
 * ({@link PublishRequest}) before anything is appended, then appends to the policy's streams (embedded mode) or
 * to the shared Redis log (scale-out mode, which blocks: call it off the event loop). Repeated event ids within
 * the TTL are accepted once. Used by both ways a publish arrives ({@link PublishRoute}, {@link PublishResource}).
 * Thread-safe.
 */
@Singleton
public class EventPublisher {
    private final DomainPolicy policy;
    private final DomainBuffers buffers;
    private final TokenVerifier verifier;
    private final RealtimeMetrics metrics;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final PublishRequest.Limits limits;
    private final RedisEventLog eventLog;
    private final String publisherGroup;
    /** Drawn at run time: a native image must not carry one prefix, fixed when it was built, into every pod. */
    private final EventIds ids = EventIds.random();

    EventPublisher(RealtimeConfig config, DomainPolicy policy, DomainBuffers buffers, TokenVerifier verifier,
            RealtimeMetrics metrics, ObjectMapper mapper, Clock clock, RedisEventLog eventLog) {
        this.eventLog = eventLog;
        this.policy = policy;
        this.buffers = buffers;
        this.verifier = verifier;
        this.metrics = metrics;
        this.mapper = mapper;
        this.clock = clock;
        this.publisherGroup = config.auth().publisherGroup();
        RealtimeConfig.Publish publish = config.publish();
        this.limits = new PublishRequest.Limits(publish.maxEvents(), publish.maxBodyBytes(), publish.maxPayloadBytes(),
                new TypeAllowList(config.eventTypes()));
    }

    /** What a publish did: events accepted (duplicates included), how many were repeats, the last cursor. */
    public record Published(int accepted, int duplicates, Cursor cursor) {
        /** The 202 body: {@code {"accepted":n,"duplicates":d,"cursor":"e.s"}}. */
        public byte[] json() {
            return ("{\"accepted\":" + accepted + ",\"duplicates\":" + duplicates + ",\"cursor\":\""
                    + cursor.format() + "\"}").getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Whether {@link #publish} blocks (it waits for Redis in scale-out mode). */
    public boolean blocks() {
        return eventLog.enabled();
    }

    /**
     * Publishes {@code body} for the holder of {@code authorization}.
     *
     * @param authorization the raw {@code Authorization} header, possibly null
     * @param body the request body, possibly null
     * @throws ProblemException with the API's code for any refusal; nothing was appended then
     */
    public Published publish(String authorization, byte[] body) {
        Subject subject = verifier.verify(authorization);
        if (!subject.inGroup(publisherGroup)) {
            throw new ProblemException(ProblemCode.GROUP_REQUIRED,
                    "Publishing needs the group " + publisherGroup + ".");
        }
        List<Event> events = PublishRequest.parse(body, limits, mapper, clock.millis(), ids);
        Map<String, List<Event>> byStream = new LinkedHashMap<>();
        for (Event event : events) {
            byStream.computeIfAbsent(policy.streamOf(event.type()), k -> new ArrayList<>()).add(event);
        }
        int duplicates = 0;
        Cursor last = null;
        if (eventLog.enabled()) {
            // Scale-out: the shared log orders and stores; every replica's reader appends to its buffers.
            byStream.keySet().forEach(eventLog::requireSynced);
            for (Map.Entry<String, List<Event>> stream : byStream.entrySet()) {
                for (RedisEventLog.Published published : eventLog.publish(stream.getKey(), stream.getValue())) {
                    duplicates += published.duplicate() ? 1 : 0;
                    last = published.cursor();
                }
            }
            byStream.clear();
        }
        for (Map.Entry<String, List<Event>> stream : byStream.entrySet()) {
            OrgBuffers target = buffers.stream(stream.getKey());
            if (target == null) {
                throw new IllegalStateException("policy routed to an unknown stream: " + stream.getKey());
            }
            for (AppendResult result : target.appendAll(stream.getValue())) {
                if (result instanceof AppendResult.Rejected) {
                    throw new ProblemException(ProblemCode.ORG_LIMIT,
                            "Too many organisations are buffered; retry shortly.");
                }
                if (result instanceof AppendResult.Duplicate) {
                    duplicates++;
                }
                last = new Cursor(target.epoch(), result.seq());
            }
        }
        metrics.published();
        return new Published(events.size(), duplicates, last);
    }
}
