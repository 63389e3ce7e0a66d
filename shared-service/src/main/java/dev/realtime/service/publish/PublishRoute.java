package dev.realtime.service.publish;

import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.http.AheadOfFilters;
import dev.realtime.service.http.CorsHeaders;
import dev.realtime.service.http.MediaTypes;
import dev.realtime.service.problem.ProblemMappers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.quarkus.runtime.configuration.MemorySize;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.Config;

/**
 * {@code POST /{domain}/realtime/events} for the plain case every domain backend sends: a JSON body of known
 * length within the limit, a response in JSON, an origin {@link CorsHeaders} decides. It is served ahead of
 * Quarkus' HTTP filters and the REST layer, whose per-request work cost about twice the publish itself
 * (bench/README.md); anything else goes on to {@link PublishResource}, which answers it as before (415, 406,
 * 405, preflights, chunked or oversized bodies). Both publish through {@link EventPublisher}, so they accept and
 * refuse the same bodies with the same answers. When the filter chain is configured ({@link AheadOfFilters}), this
 * route is not installed and the resource serves every publish.
 */
@Singleton
public class PublishRoute {
    private static final int INITIAL_BODY_BYTES = 4_096;

    private final RealtimeConfig config;
    private final EventPublisher publisher;
    private final CorsHeaders cors;
    private final AheadOfFilters aheadOfFilters;
    private final ProblemMappers problems;
    private final Vertx vertx;
    private final int maxBodyBytes;

    PublishRoute(RealtimeConfig config, EventPublisher publisher, CorsHeaders cors, AheadOfFilters aheadOfFilters,
            ProblemMappers problems, Vertx vertx, Config mpConfig) {
        this.config = config;
        this.publisher = publisher;
        this.cors = cors;
        this.aheadOfFilters = aheadOfFilters;
        this.problems = problems;
        this.vertx = vertx;
        // Quarkus' own body limit is skipped ahead of its filters, so larger bodies are left to the resource.
        long quarkusLimit = mpConfig.getOptionalValue("quarkus.http.limits.max-body-size", MemorySize.class)
                .map(MemorySize::asLongValue).orElse(Long.MAX_VALUE);
        this.maxBodyBytes = (int) Math.min(config.publish().maxBodyBytes(), quarkusLimit);
    }

    void install(@Observes Router router) {
        aheadOfFilters.route(router, "/" + config.domain() + "/realtime/events", this::handle);
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
        // Scale-out mode waits for Redis: off the event loop, answered back on it. Embedded mode answers at once.
        Future<EventPublisher.Published> published = publisher.blocks()
                ? vertx.executeBlocking(() -> publisher.publish(authorization, body), false)
                : publishNow(authorization, body);
        published.onComplete(result -> {
            if (result.failed()) {
                problems.write(response, result.cause());
            } else if (!response.closed()) {
                response.setStatusCode(202).putHeader(HttpHeaders.CONTENT_TYPE, MediaTypes.APPLICATION_JSON)
                        .end(Buffer.buffer(result.result().json()));
            }
        });
    }

    private Future<EventPublisher.Published> publishNow(String authorization, byte[] body) {
        try {
            return Future.succeededFuture(publisher.publish(authorization, body));
        } catch (Throwable e) {
            // Outside the router's failure handling here: whatever it is, the client gets its answer.
            return Future.failedFuture(e);
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
