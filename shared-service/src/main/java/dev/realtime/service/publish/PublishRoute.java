package dev.realtime.service.publish;

import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.http.CorsHeaders;
import dev.realtime.service.http.MediaTypes;
import dev.realtime.service.problem.ProblemMappers;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * {@code POST /{domain}/realtime/events} for the plain case every domain backend sends: a JSON body of known
 * length within the limit, a response in JSON, an origin {@link CorsHeaders} decides. It is served ahead of
 * Quarkus' HTTP filters and the REST layer, whose per-request work cost about twice the publish itself
 * (bench/README.md); anything else goes on to {@link PublishResource}, which answers it as before (415, 406,
 * 405, preflights, chunked or oversized bodies). Both publish through {@link EventPublisher}, so they accept and
 * refuse the same bodies with the same answers.
 */
@Singleton
public class PublishRoute {
    private static final CharSequence APPLICATION_JSON = HttpHeaders.createOptimized("application/json");
    private static final int INITIAL_BODY_BYTES = 4_096;

    private final RealtimeConfig config;
    private final EventPublisher publisher;
    private final CorsHeaders cors;
    private final ProblemMappers problems;
    private final Vertx vertx;
    private final int maxBodyBytes;

    PublishRoute(RealtimeConfig config, EventPublisher publisher, CorsHeaders cors, ProblemMappers problems,
            Vertx vertx, Config mpConfig) {
        this.config = config;
        this.publisher = publisher;
        this.cors = cors;
        this.problems = problems;
        this.vertx = vertx;
        // Quarkus' own body limit is skipped ahead of its filters, so larger bodies are left to the resource.
        long quarkusLimit = mpConfig.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.maxBodyBytes = (int) Math.min(config.publish().maxBodyBytes(), quarkusLimit);
    }

    void install(@Observes Router router) {
        router.route("/" + config.domain() + "/realtime/events").order(CorsHeaders.AHEAD_OF_FILTERS)
                .handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        HttpServerRequest request = rc.request();
        long length = contentLength(request.getHeader(HttpHeaders.CONTENT_LENGTH));
        if (request.method() != HttpMethod.POST || length < 0 || length > maxBodyBytes
                || request.getHeader(HttpHeaders.EXPECT) != null
                || !MediaTypes.isJson(request.getHeader(HttpHeaders.CONTENT_TYPE))
                || !MediaTypes.acceptsJson(request.getHeader(HttpHeaders.ACCEPT))
                || !cors.add(HttpMethod.POST, request.getHeader(HttpHeaders.ORIGIN), rc.response().headers())) {
            rc.next();
            return;
        }
        // Grows with what arrives, as the REST layer's did: a declared length reserves nothing before the bytes come.
        Buffer body = Buffer.buffer((int) Math.min(length, INITIAL_BODY_BYTES));
        request.handler(body::appendBuffer);
        request.endHandler(v -> publish(rc.response(), request.getHeader(HttpHeaders.AUTHORIZATION),
                body.getBytes()));
    }

    private void publish(HttpServerResponse response, String authorization, byte[] body) {
        if (!publisher.blocks()) {
            answer(response, authorization, body);
            return;
        }
        // Scale-out mode waits for Redis: off the event loop, answered back on it.
        vertx.executeBlocking(() -> publisher.publish(authorization, body), false).onComplete(result -> {
            if (result.succeeded()) {
                accepted(response, result.result());
            } else {
                problems.write(response, result.cause());
            }
        });
    }

    private void answer(HttpServerResponse response, String authorization, byte[] body) {
        EventPublisher.Published published;
        try {
            published = publisher.publish(authorization, body);
        } catch (Throwable e) {
            // Outside the router's failure handling here: whatever it is, the client gets its answer.
            problems.write(response, e);
            return;
        }
        accepted(response, published);
    }

    private static void accepted(HttpServerResponse response, EventPublisher.Published published) {
        if (!response.closed()) {
            response.setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                    .end(Buffer.buffer(published.json()));
        }
    }

    /** The declared body length, or -1 when absent or not a plain number (then the resource reads the body). */
    private static long contentLength(String header) {
        if (header == null || header.isEmpty() || header.length() > 18) {
            return -1;
        }
        for (int i = 0; i < header.length(); i++) {
            if (header.charAt(i) < '0' || header.charAt(i) > '9') {
                return -1;
            }
        }
        return Long.parseLong(header);
    }
}
