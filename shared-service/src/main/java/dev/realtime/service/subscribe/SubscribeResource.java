package dev.realtime.service.subscribe;

import dev.realtime.buffer.Cursor;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.EventFilter;
import dev.realtime.buffer.OrgBuffers;
import dev.realtime.buffer.PollResult;
import dev.realtime.buffer.ReadResult;
import dev.realtime.service.auth.Subject;
import dev.realtime.service.auth.TokenVerifier;
import dev.realtime.service.config.DomainBuffers;
import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.json.EventJson;
import dev.realtime.service.lifecycle.ShutdownDrain;
import dev.realtime.service.metrics.RealtimeMetrics;
import dev.realtime.service.metrics.RealtimeMetrics.Outcome;
import dev.realtime.service.policy.DomainPolicy;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import dev.realtime.service.redis.RedisEventLog;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /{domain}/realtime/subscribe}: the long-poll. Answers at once when events exist after the cursor
 * (or a reset is due), else parks a waiter, holding no thread, until an event for the caller arrives, the wait
 * is up, the client goes away, or the service drains. The org comes from the token, never from the request.
 */
@Path("/{domain}/realtime/subscribe")
public class SubscribeResource {
    /** Longest cursor accepted before parsing: an epoch of 32 and a 19-digit seq, plus the dot. */
    private static final int MAX_CURSOR_LENGTH = 64;

    private final RealtimeConfig config;
    private final DomainPolicy policy;
    private final DomainBuffers buffers;
    private final TokenVerifier verifier;
    private final ParkedPolls parked;
    private final ShutdownDrain drain;
    private final RealtimeMetrics metrics;
    private final Vertx vertx;
    private final Clock clock;
    private final RedisEventLog eventLog;
    private final long maxWaitMs;
    private final int maxBatch;
    /** The last shared reply body: every waiter woken by one append gets the same bytes. */
    private volatile SharedReply lastShared = new SharedReply(null, null);

    SubscribeResource(RealtimeConfig config, DomainPolicy policy, DomainBuffers buffers, TokenVerifier verifier,
            ParkedPolls parked, ShutdownDrain drain, RealtimeMetrics metrics, Vertx vertx, Clock clock,
            RedisEventLog eventLog) {
        this.eventLog = eventLog;
        this.config = config;
        this.policy = policy;
        this.buffers = buffers;
        this.verifier = verifier;
        this.parked = parked;
        this.drain = drain;
        this.metrics = metrics;
        this.vertx = vertx;
        this.clock = clock;
        this.maxWaitMs = config.poll().maxWait().toMillis();
        this.maxBatch = config.poll().maxBatch();
    }

    /**
     * Returns the caller's events after its cursor, parking up to {@code waitMs} when there are none.
     *
     * @param lastEventId the cursor, preferred: a header keeps the URL constant, so browsers cache the preflight
     * @param cursorParam the cursor, for clients that cannot set headers; ignored when the header is present
     * @param waitMs how long to park, clamped to [0, max wait]; absent means the max wait
     * @param stream a secondary stream of the domain; absent means the main stream
     */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> subscribe(@PathParam("domain") String domain,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @QueryParam("cursor") String cursorParam,
            @QueryParam("waitMs") String waitMs,
            @QueryParam("stream") String stream) {
        requireDomain(config, domain);
        if (drain.isDraining()) {
            metrics.pollAnswered(Outcome.REJECTED, 0);
            throw new ProblemException(ProblemCode.SHUTTING_DOWN, "The service is shutting down; retry shortly.");
        }
        Subject subject = verifier.verify(authorization);
        if (subject.orgId() == null) {
            throw new ProblemException(ProblemCode.ORG_CLAIM_MISSING, "Subscribing needs a token with an orgId claim.");
        }
        Cursor cursor = parseCursor(lastEventId != null ? lastEventId : cursorParam);
        long wait = parseWait(waitMs);
        OrgBuffers orgBuffers = resolveStream(stream);
        eventLog.requireSynced(stream == null ? DomainPolicy.MAIN_STREAM : stream);
        EventFilter filter = policy.filterFor(subject);
        if (cursor == null || wait == 0) {
            PollResult result = orgBuffers.read(subject.orgId(), cursor, filter, maxBatch);
            return Uni.createFrom().item(answer(result, subject, /* handshake= */ cursor == null));
        }
        if (!parked.tryReserve(subject.sub())) {
            metrics.pollAnswered(Outcome.REJECTED, 0);
            throw new ProblemException(ProblemCode.TOO_MANY_POLLS,
                    "This subject already has the most parked polls allowed.");
        }
        return Uni.createFrom().emitter(emitter -> park(emitter, orgBuffers, subject, cursor, filter, wait));
    }

    private void park(UniEmitter<? super Response> emitter, OrgBuffers orgBuffers, Subject subject, Cursor cursor,
            EventFilter filter, long wait) {
        Context context = Vertx.currentContext();
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                parked.release(subject.sub());
            }
        };
        PollResult result = orgBuffers.poll(subject.orgId(), cursor, filter, maxBatch,
                woken -> deliver(context, emitter, woken, subject, release));
        if (!(result instanceof PollResult.Parked parkedPoll)) {
            release.run();
            try {
                emitter.complete(answer(result, subject, false));
            } catch (ProblemException e) {
                emitter.fail(e);
            }
            return;
        }
        var waiter = parkedPoll.waiter();
        long timer = vertx.setTimer(wait, id -> waiter.expire());
        emitter.onTermination(() -> {
            vertx.cancelTimer(timer);
            // A client that went away: nothing to answer. After an answer this does nothing.
            waiter.cancel();
            release.run();
        });
        if (drain.isDraining()) {
            // Parked while the drain swept past: answer it like the others.
            waiter.expire();
        }
    }

    /** Answers a woken, expired or drained waiter, on the event loop that owns its connection. */
    private void deliver(Context context, UniEmitter<? super Response> emitter, ReadResult result, Subject subject,
            Runnable release) {
        release.run();
        byte[] body = body(result, subject, false);
        if (!result.events().isEmpty()) {
            List<Event> events = result.events();
            metrics.delivered(clock.millis() - events.get(events.size() - 1).tsMillis());
        }
        count(result);
        Response response = ok(body);
        if (context == null || (Context.isOnEventLoopThread() && Vertx.currentContext() == context)) {
            emitter.complete(response);
        } else {
            context.runOnContext(v -> emitter.complete(response));
        }
    }

    private Response answer(PollResult result, Subject subject, boolean handshake) {
        if (result instanceof PollResult.Rejected) {
            metrics.pollAnswered(Outcome.REJECTED, 0);
            throw new ProblemException(ProblemCode.ORG_LIMIT, "Too many organisations are buffered; retry shortly.");
        }
        ReadResult read = ((PollResult.Answered) result).result();
        count(read);
        return ok(body(read, subject, handshake));
    }

    private void count(ReadResult result) {
        Outcome outcome = result.reset() ? Outcome.RESET : result.events().isEmpty() ? Outcome.EMPTY : Outcome.EVENTS;
        metrics.pollAnswered(outcome, result.events().size());
    }

    private byte[] body(ReadResult result, Subject subject, boolean handshake) {
        if (handshake) {
            return EventJson.reply(result, Event::json, config.poll().maxWait(), config.client().debounce(), true);
        }
        if (policy.rendersPerSubject()) {
            return EventJson.reply(result, e -> policy.render(subject, e), null, null, false);
        }
        SharedReply shared = lastShared;
        if (shared.result == result) {
            return shared.body;
        }
        byte[] body = EventJson.reply(result, Event::json, null, null, false);
        lastShared = new SharedReply(result, body);
        return body;
    }

    private static Response ok(byte[] body) {
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).header(HttpHeaders.CACHE_CONTROL, "no-store").build();
    }

    private Cursor parseCursor(String text) {
        if (text == null) {
            return null;
        }
        if (text.length() > MAX_CURSOR_LENGTH) {
            throw new ProblemException(ProblemCode.CURSOR_INVALID, "The cursor is too long.");
        }
        try {
            return Cursor.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemCode.CURSOR_INVALID,
                    "The cursor must be one this service issued (<epoch>.<seq>).");
        }
    }

    private long parseWait(String text) {
        if (text == null) {
            return maxWaitMs;
        }
        String digits = text.startsWith("-") ? text.substring(1) : text;
        if (digits.isEmpty() || digits.length() > 12 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ProblemException(ProblemCode.PARAMETER_INVALID, "waitMs must be an integer of milliseconds.");
        }
        long value = text.startsWith("-") ? 0 : Long.parseLong(digits);
        return Math.min(value, maxWaitMs);
    }

    private OrgBuffers resolveStream(String stream) {
        OrgBuffers resolved = buffers.stream(stream == null ? DomainPolicy.MAIN_STREAM : stream);
        if (resolved == null) {
            throw new ProblemException(ProblemCode.STREAM_UNKNOWN, "This domain has no such stream.");
        }
        return resolved;
    }

    /** Answers 404 unless {@code domain} is the one this service serves. */
    public static void requireDomain(RealtimeConfig config, String domain) {
        if (!config.domain().equals(domain)) {
            throw new ProblemException(ProblemCode.NOT_FOUND, "No resource at this path.");
        }
    }

    private record SharedReply(ReadResult result, byte[] body) {}
}
