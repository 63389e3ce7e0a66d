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
import dev.realtime.service.redis.RedisEventLog;
import dev.realtime.service.problem.ProblemException;
import dev.realtime.service.subscribe.SubscribeRoute;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /{domain}/realtime/events}: domain backends publish one event or a batch. The whole body is
 * validated before anything is appended; repeated event ids within the TTL are accepted once.
 */
@Path("/{domain}/realtime/events")
public class PublishResource {
    private final RealtimeConfig config;
    private final DomainPolicy policy;
    private final DomainBuffers buffers;
    private final TokenVerifier verifier;
    private final RealtimeMetrics metrics;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final PublishRequest.Limits limits;
    private final RedisEventLog eventLog;

    PublishResource(RealtimeConfig config, DomainPolicy policy, DomainBuffers buffers, TokenVerifier verifier,
            RealtimeMetrics metrics, ObjectMapper mapper, Clock clock, RedisEventLog eventLog) {
        this.eventLog = eventLog;
        this.config = config;
        this.policy = policy;
        this.buffers = buffers;
        this.verifier = verifier;
        this.metrics = metrics;
        this.mapper = mapper;
        this.clock = clock;
        RealtimeConfig.Publish publish = config.publish();
        this.limits = new PublishRequest.Limits(publish.maxEvents(), publish.maxBodyBytes(), publish.maxPayloadBytes(),
                new TypeAllowList(config.eventTypes()));
    }

    /**
     * Returns 202 with how many events were accepted and the cursor of the last one. In embedded mode the whole
     * publish (parse, append, wake waiters) runs on the event loop that read the body: no thread hop, and waiters
     * on the same loop are answered directly. In scale-out mode it waits for Redis, so it runs on a worker thread.
     */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> publish(@PathParam("domain") String domain,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, byte[] body) {
        Uni<Response> publish = Uni.createFrom().item(() -> publishNow(domain, authorization, body));
        return eventLog.enabled() ? publish.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : publish;
    }

    private Response publishNow(String domain, String authorization, byte[] body) {
        SubscribeRoute.requireDomain(config, domain);
        Subject subject = verifier.verify(authorization);
        if (!subject.inGroup(config.auth().publisherGroup())) {
            throw new ProblemException(ProblemCode.GROUP_REQUIRED,
                    "Publishing needs the group " + config.auth().publisherGroup() + ".");
        }
        List<Event> events = PublishRequest.parse(body, limits, mapper, clock.millis());
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
        Map<String, Object> reply = new LinkedHashMap<>();
        reply.put("accepted", events.size());
        reply.put("duplicates", duplicates);
        reply.put("cursor", last.format());
        return Response.accepted(reply).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
