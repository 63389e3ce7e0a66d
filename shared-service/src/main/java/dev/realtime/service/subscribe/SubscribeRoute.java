package dev.realtime.service.subscribe;

import dev.realtime.buffer.Cursor;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.EventFilter;
import dev.realtime.buffer.OrgBuffers;
import dev.realtime.buffer.PollResult;
import dev.realtime.buffer.ReadResult;
import dev.realtime.buffer.TimeSource;
import dev.realtime.buffer.Waiter;
import dev.realtime.service.auth.Subject;
import dev.realtime.service.auth.TokenVerifier;
import dev.realtime.service.config.DomainBuffers;
import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.http.AheadOfFilters;
import dev.realtime.service.http.CorsHeaders;
import dev.realtime.service.http.MediaTypes;
import dev.realtime.service.json.EventJson;
import dev.realtime.service.lifecycle.ShutdownDrain;
import dev.realtime.service.metrics.RealtimeMetrics;
import dev.realtime.service.metrics.RealtimeMetrics.Outcome;
import dev.realtime.service.policy.DomainPolicy;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import dev.realtime.service.problem.ProblemMappers;
import dev.realtime.service.redis.RedisEventLog;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.impl.ContextInternal;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code GET /{domain}/realtime/subscribe}: the long-poll. Answers at once when events exist after the cursor
 * (or a reset is due), else parks a waiter, holding no thread, until an event for the caller arrives, the wait
 * is up, the client goes away, or the service drains. The org comes from the token, never from the request.
 *
 * <p>A plain Vert.x route rather than a JAX-RS resource: this is the path every client hits after every batch and
 * holds while parked, and the resource pipeline (request scope, context capture, entity writers) cost more CPU and
 * about a third more memory per parked poll than the work itself (bench/README.md). For the same reason a GET to
 * this domain's path is answered ahead of Quarkus' HTTP filters (CORS, the security handlers, which have nothing
 * to do here since the token is checked below, and the REST router's path match): {@link CorsHeaders} gives the
 * CORS headers the filter would, and every request it cannot decide (preflights, other origins) and every other
 * method takes the ordinary way, through the filters, to the same handler; so does every request when the filter
 * chain is configured ({@link AheadOfFilters}). The wait deadlines of parked polls live in one
 * {@link DeadlineWheel} per event loop instead of a timer each. Failures still become the one error catalogue's
 * answers through {@link ProblemMappers}.
 */
@Singleton
public class SubscribeRoute {
    /** Longest cursor accepted before parsing: an epoch of 32 and a 19-digit seq, plus the dot. */
    private static final int MAX_CURSOR_LENGTH = 64;
    private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");
    private static final String ALLOWED = "GET, OPTIONS";
    /** Width of a deadline wheel slot: a parked poll is answered at most this much after its wait is up. */
    private static final long DEADLINE_TICK_MS = 32;

    private final RealtimeConfig config;
    private final DomainPolicy policy;
    private final DomainBuffers buffers;
    private final TokenVerifier verifier;
    private final ParkedPolls parked;
    private final ShutdownDrain drain;
    private final RealtimeMetrics metrics;
    private final ProblemMappers problems;
    private final Vertx vertx;
    private final RedisEventLog eventLog;
    private final Clock clock;
    private final TimeSource timeSource;
    private final CorsHeaders cors;
    private final AheadOfFilters aheadOfFilters;
    private final ThreadLocal<LoopDeadlines> deadlines = ThreadLocal.withInitial(LoopDeadlines::new);
    private final long maxWaitMs;
    private final int maxBatch;
    /** The last shared reply body: every waiter woken by one append gets the same bytes. */
    private volatile SharedReply lastShared = new SharedReply(null, null);

    SubscribeRoute(RealtimeConfig config, DomainPolicy policy, DomainBuffers buffers, TokenVerifier verifier,
            ParkedPolls parked, ShutdownDrain drain, RealtimeMetrics metrics, ProblemMappers problems, Vertx vertx,
            Clock clock, TimeSource timeSource, RedisEventLog eventLog, CorsHeaders cors,
            AheadOfFilters aheadOfFilters) {
        this.config = config;
        this.policy = policy;
        this.buffers = buffers;
        this.verifier = verifier;
        this.parked = parked;
        this.drain = drain;
        this.metrics = metrics;
        this.problems = problems;
        this.vertx = vertx;
        this.clock = clock;
        this.timeSource = timeSource;
        this.eventLog = eventLog;
        this.cors = cors;
        this.aheadOfFilters = aheadOfFilters;
        this.maxWaitMs = config.poll().maxWait().toMillis();
        this.maxBatch = config.poll().maxBatch();
    }

    void install(@Observes Router router) {
        aheadOfFilters.route(router, "/" + config.domain() + "/realtime/subscribe", this::handleFirst);
        router.route("/:domain/realtime/subscribe").handler(this::handle);
    }

    /** A GET whose CORS answer is decided here is served at once; anything else goes on through the filters. */
    private void handleFirst(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        if (request.method() != HttpMethod.GET
                || !cors.add(HttpMethod.GET, request.headers().get(HttpHeaders.ORIGIN), rc.response().headers())) {
            rc.next();
            return;
        }
        try {
            serve(rc, request);
        } catch (RuntimeException e) {
            problems.write(rc.response(), e);
        }
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        try {
            requireDomain(config, rc.pathParam("domain"));
            if (request.method() != HttpMethod.GET) {
                if (request.method() == HttpMethod.OPTIONS) {
                    rc.response().setStatusCode(204).putHeader(HttpHeaders.ALLOW, ALLOWED).end();
                    return;
                }
                rc.response().putHeader(HttpHeaders.ALLOW, ALLOWED);
                throw new ProblemException(ProblemCode.METHOD_NOT_ALLOWED, "This path does not support the method.");
            }
            serve(rc, request);
        } catch (RuntimeException e) {
            problems.write(rc.response(), e);
        }
    }

    private void serve(RoutingContext rc, HttpServerRequest request) {
        if (!MediaTypes.acceptsJson(request.headers().get(HttpHeaders.ACCEPT))) {
            throw new ProblemException(ProblemCode.NOT_ACCEPTABLE, "This resource answers application/json only.");
        }
        subscribe(rc.response(), request.headers(), request.getParam("cursor"), request.getParam("waitMs"),
                request.getParam("stream"));
    }

    /**
     * Answers the caller's events after its cursor, parking up to {@code waitMs} when there are none. The cursor
     * comes preferably from {@code Last-Event-ID} (a header keeps the URL constant, so browsers cache the
     * preflight), else from the {@code cursor} query parameter; {@code waitMs} is clamped to [0, max wait].
     */
    private void subscribe(HttpServerResponse response, MultiMap headers, String cursorParam, String waitMs,
            String stream) {
        if (drain.isDraining()) {
            metrics.pollAnswered(Outcome.REJECTED, 0);
            throw new ProblemException(ProblemCode.SHUTTING_DOWN, "The service is shutting down; retry shortly.");
        }
        Subject subject = verifier.verify(headers.get(HttpHeaders.AUTHORIZATION));
        if (subject.orgId() == null) {
            throw new ProblemException(ProblemCode.ORG_CLAIM_MISSING, "Subscribing needs a token with an orgId claim.");
        }
        String lastEventId = headers.get("Last-Event-ID");
        Cursor cursor = parseCursor(lastEventId != null ? lastEventId : cursorParam);
        long wait = parseWait(waitMs);
        OrgBuffers orgBuffers = resolveStream(stream);
        eventLog.requireSynced(stream == null ? DomainPolicy.MAIN_STREAM : stream);
        EventFilter filter = policy.filterFor(subject);
        if (cursor == null || wait == 0) {
            PollResult result = orgBuffers.read(subject.orgId(), cursor, filter, maxBatch);
            ok(response, answer(result, subject, /* handshake= */ cursor == null));
            return;
        }
        if (!parked.tryReserve(subject.sub())) {
            metrics.pollAnswered(Outcome.REJECTED, 0);
            throw new ProblemException(ProblemCode.TOO_MANY_POLLS,
                    "This subject already has the most parked polls allowed.");
        }
        park(response, orgBuffers, subject, cursor, filter, wait);
    }

    private void park(HttpServerResponse response, OrgBuffers orgBuffers, Subject subject, Cursor cursor,
            EventFilter filter, long wait) {
        Parked poll = new Parked(response, subject, Vertx.currentContext());
        PollResult result;
        try {
            result = orgBuffers.poll(subject.orgId(), cursor, filter, maxBatch, poll::woken);
        } catch (RuntimeException e) {
            poll.release();
            throw e;
        }
        if (!(result instanceof PollResult.Parked parkedPoll)) {
            poll.release();
            ok(response, answer(result, subject, false));
            return;
        }
        poll.waiter = parkedPoll.waiter();
        poll.deadlines = deadlines.get();
        poll.deadlines.schedule(poll, wait);
        // A client that went away: nothing to answer, just forget the waiter. After an answer this does nothing.
        response.closeHandler(v -> poll.abandon());
        if (drain.isDraining()) {
            // Parked while the drain swept past: answer it like the others.
            poll.waiter.expire();
        }
    }

    /**
     * One parked poll: answered exactly once (woken, expired or drained), or abandoned by its client. Its wait
     * deadline is in the wheel of the event loop it was parked on, and only that thread touches it.
     */
    private final class Parked extends DeadlineWheel.Entry {
        private final HttpServerResponse response;
        private final Subject subject;
        private final Context context;
        private final Thread owner;
        private final AtomicBoolean released = new AtomicBoolean();
        Waiter waiter;
        LoopDeadlines deadlines;

        Parked(HttpServerResponse response, Subject subject, Context context) {
            this.response = response;
            this.subject = subject;
            this.context = context;
            this.owner = Thread.currentThread();
        }

        @Override
        void onDeadline() {
            waiter.expire();
        }

        /** Called by the buffer, on the appending (or expiring) thread, at most once. */
        void woken(ReadResult result) {
            release();
            Buffer body = body(result, subject, false);
            if (!result.events().isEmpty()) {
                List<Event> events = result.events();
                metrics.delivered(clock.millis() - events.get(events.size() - 1).tsMillis());
            }
            count(result);
            // On the poll's own event loop (an append from a connection of the same loop) it can answer at once.
            if (context == null || Thread.currentThread() == owner) {
                send(body);
            } else {
                context.runOnContext(v -> send(body));
            }
        }

        private void send(Buffer body) {
            if (deadlines != null) {
                deadlines.cancel(this);
            }
            if (!response.closed()) {
                ok(response, body);
            }
        }

        void abandon() {
            if (deadlines != null) {
                deadlines.cancel(this);
            }
            if (waiter != null) {
                waiter.cancel();
            }
            release();
        }

        void release() {
            if (released.compareAndSet(false, true)) {
                parked.release(subject.sub());
            }
        }
    }

    /** The deadline wheel of one event loop, with the periodic tick that drives it while it holds deadlines. */
    private final class LoopDeadlines {
        private final DeadlineWheel wheel = new DeadlineWheel(DEADLINE_TICK_MS, maxWaitMs, nowMs());
        private long tick = -1;

        void schedule(DeadlineWheel.Entry entry, long waitMs) {
            wheel.add(entry, nowMs() + waitMs);
            if (tick < 0) {
                // On the loop's root context: the request that happens to start the tick must not be kept alive by it.
                tick = ((ContextInternal) Vertx.currentContext()).unwrap().setPeriodic(DEADLINE_TICK_MS,
                        id -> advance());
            }
        }

        void cancel(DeadlineWheel.Entry entry) {
            wheel.remove(entry);
        }

        private void advance() {
            wheel.advance(nowMs());
            // An idle loop does not tick.
            if (wheel.size() == 0 && tick >= 0) {
                vertx.cancelTimer(tick);
                tick = -1;
            }
        }
    }

    private long nowMs() {
        return Math.floorDiv(timeSource.nanoTime(), 1_000_000L);
    }

    private Buffer answer(PollResult result, Subject subject, boolean handshake) {
        if (result instanceof PollResult.Rejected) {
            metrics.pollAnswered(Outcome.REJECTED, 0);
            throw new ProblemException(ProblemCode.ORG_LIMIT, "Too many organisations are buffered; retry shortly.");
        }
        ReadResult read = ((PollResult.Answered) result).result();
        count(read);
        return body(read, subject, handshake);
    }

    private void count(ReadResult result) {
        Outcome outcome = result.reset() ? Outcome.RESET : result.events().isEmpty() ? Outcome.EMPTY : Outcome.EVENTS;
        metrics.pollAnswered(outcome, result.events().size());
    }

    private Buffer body(ReadResult result, Subject subject, boolean handshake) {
        if (handshake) {
            return Buffer.buffer(EventJson.reply(result, Event::json, config.poll().maxWait(),
                    config.client().debounce(), true));
        }
        if (policy.rendersPerSubject()) {
            return Buffer.buffer(EventJson.reply(result, e -> policy.render(subject, e), null, null, false));
        }
        SharedReply shared = lastShared;
        if (shared.result == result) {
            return shared.body;
        }
        Buffer body = Buffer.buffer(EventJson.reply(result, Event::json, null, null, false));
        lastShared = new SharedReply(result, body);
        return body;
    }

    private static void ok(HttpServerResponse response, Buffer body) {
        response.putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.APPLICATION_JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
                .end(body);
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

    private record SharedReply(ReadResult result, Buffer body) {}
}
