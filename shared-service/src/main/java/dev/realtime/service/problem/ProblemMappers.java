package dev.realtime.service.problem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.metrics.RealtimeMetrics;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import jakarta.inject.Singleton;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The one place where failures become answers: every exception a request can raise ends here as an RFC 9457
 * {@code application/problem+json} body with a stable {@code code}. No stack trace ever leaves the service.
 */
@Singleton
public final class ProblemMappers {
    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Media type of every error answer. */
    public static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final long retryAfterSeconds;
    private final RealtimeMetrics metrics;

    ProblemMappers(RealtimeConfig config, RealtimeMetrics metrics) {
        this.retryAfterSeconds = Math.max(1, config.retryAfter().toSeconds());
        this.metrics = metrics;
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        if (e.problem().status() >= 500 && !e.problem().retryable()) {
            metrics.serverError();
            LOG.errorf(e, "request failed: code=%s", e.problem().code());
        } else {
            LOG.debugf("request refused: code=%s detail=%s", e.problem().code(), e.getMessage());
        }
        return toResponse(e.problem(), e.getMessage(), e.index(), e.field(), retryAfterSeconds);
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return toResponse(ProblemCode.NOT_FOUND, "No resource at this path.", null, null, retryAfterSeconds);
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        Response response = toResponse(ProblemCode.METHOD_NOT_ALLOWED, "This path does not support the method.",
                null, null, retryAfterSeconds);
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        return allow == null ? response : Response.fromResponse(response).header(HttpHeaders.ALLOW, allow).build();
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return toResponse(ProblemCode.MEDIA_TYPE_UNSUPPORTED, "Send the body as application/json.", null, null,
                retryAfterSeconds);
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return toResponse(ProblemCode.NOT_ACCEPTABLE, "This resource answers application/json only.", null, null,
                retryAfterSeconds);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            metrics.serverError();
            LOG.errorf(e, "request failed: status=%d", status);
            return toResponse(ProblemCode.INTERNAL, "The request could not be completed.", null, null,
                    retryAfterSeconds);
        }
        LOG.debugf("request refused: status=%d", status);
        return toResponse(ProblemCode.BAD_REQUEST, "The request is malformed.", null, null, retryAfterSeconds);
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return toResponse(ProblemCode.JSON_INVALID, "The body is not valid JSON.", null, null, retryAfterSeconds);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        metrics.serverError();
        LOG.error("request failed unexpectedly", e);
        return toResponse(ProblemCode.INTERNAL, "The request could not be completed.", null, null, retryAfterSeconds);
    }

    /**
     * Writes the answer for {@code failure} on a route outside JAX-RS (the subscribe route): the same codes,
     * headers, logging and metrics as the mappers above. Call on the response's event loop.
     */
    public void write(HttpServerResponse response, Throwable failure) {
        Response answer = failure instanceof ProblemException e ? problem(e) : unexpected(failure);
        response.setStatusCode(answer.getStatus());
        answer.getStringHeaders().forEach((name, values) -> response.headers().set(name, values));
        response.end(Buffer.buffer((byte[]) answer.getEntity()));
    }

    /** Returns the problem+json answer for {@code problem}; also used where no exception is involved. */
    public static Response toResponse(ProblemCode problem, String detail, Integer index, String field,
            long retryAfterSeconds) {
        Response.ResponseBuilder builder = Response.status(problem.status())
                .type(PROBLEM_JSON)
                .entity(body(problem, detail, index, field));
        if (problem.status() == 401) {
            builder.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
        }
        if (problem.retryable()) {
            builder.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return builder.build();
    }

    /** Returns the serialized problem document. */
    public static byte[] body(ProblemCode problem, String detail, Integer index, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", detail);
        body.put("code", problem.code());
        if (index != null) {
            body.put("index", index);
        }
        if (field != null) {
            body.put("field", field);
        }
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
