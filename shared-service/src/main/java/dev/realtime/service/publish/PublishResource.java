package dev.realtime.service.publish;

import dev.realtime.service.config.RealtimeConfig;
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

/**
 * {@code POST /{domain}/realtime/events} as a JAX-RS resource: the way every publish that {@link PublishRoute}
 * does not take arrives (other media types, chunked bodies, preflights and other methods, origins the CORS filter
 * decides), with JAX-RS' content negotiation and the error catalogue's answers.
 */
@Path("/{domain}/realtime/events")
public class PublishResource {
    private final RealtimeConfig config;
    private final EventPublisher publisher;

    PublishResource(RealtimeConfig config, EventPublisher publisher) {
        this.config = config;
        this.publisher = publisher;
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
        Uni<Response> publish = Uni.createFrom().item(() -> {
            SubscribeRoute.requireDomain(config, domain);
            return Response.accepted(publisher.publish(authorization, body).json())
                    .type(MediaType.APPLICATION_JSON_TYPE).build();
        });
        return publisher.blocks() ? publish.runSubscriptionOn(Infrastructure.getDefaultWorkerPool()) : publish;
    }
}
