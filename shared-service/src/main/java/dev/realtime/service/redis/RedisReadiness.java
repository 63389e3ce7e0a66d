package dev.realtime.service.redis;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * In scale-out mode, ready only once every stream was refilled and while Redis answers. A replica that is not
 * ready keeps answering the polls it gets from its buffers; the load balancer just stops sending new ones.
 */
@Readiness
@ApplicationScoped
public class RedisReadiness implements HealthCheck {
    private final RedisEventLog log;

    RedisReadiness(RedisEventLog log) {
        this.log = log;
    }

    @Override
    public HealthCheckResponse call() {
        if (!log.enabled()) {
            return HealthCheckResponse.named("realtime-redis").up().withData("mode", "embedded").build();
        }
        var builder = HealthCheckResponse.named("realtime-redis").status(log.isReady()).withData("mode", "redis");
        log.status().forEach((stream, ok) -> builder.withData(stream, ok ? "caught-up" : "behind-or-down"));
        return builder.build();
    }
}
