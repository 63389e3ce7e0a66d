package dev.realtime.service.admin;

import dev.realtime.service.auth.Subject;
import dev.realtime.service.auth.TokenVerifier;
import dev.realtime.service.config.RealtimeConfig;
import dev.realtime.service.metrics.RealtimeMetrics;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import dev.realtime.service.subscribe.SubscribeRoute;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;

/** {@code GET /{domain}/realtime/metrics}: the domain's figures as JSON, for the admin group. */
@Path("/{domain}/realtime/metrics")
public class MetricsResource {
    private final TokenVerifier verifier;
    private final RealtimeConfig config;
    private final RealtimeMetrics metrics;

    MetricsResource(TokenVerifier verifier, RealtimeConfig config, RealtimeMetrics metrics) {
        this.verifier = verifier;
        this.config = config;
        this.metrics = metrics;
    }

    /** Returns orgs, events, waiters, publish/delivery/drop counts, polls by outcome and delivery latency. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> metrics(@PathParam("domain") String domain,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        SubscribeRoute.requireDomain(config, domain);
        Subject subject = verifier.verify(authorization);
        if (!subject.inGroup(config.auth().adminGroup())) {
            throw new ProblemException(ProblemCode.GROUP_REQUIRED,
                    "Reading metrics needs the group " + config.auth().adminGroup() + ".");
        }
        return metrics.snapshot();
    }
}
