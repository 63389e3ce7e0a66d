package dev.realtime.service.redis;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * In scale-out mode, ready once every stream was refilled from Redis. A later Redis outage is reported in the
 * check's data (and the {@code realtime.redis.connected} gauge) but keeps the replica ready: its buffers still
 * serve every poll, and taking all replicas out of the Service at once would serve none.
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
        var builder = HealthCheckResponse.named("realtime-redis").status(log.isSynced()).withData("mode", "redis")
                .withData("redis", log.isConnected() ? "up" : "down");
        log.status().forEach((stream, ok) -> builder.withData(stream, ok ? "caught-up" : "behind-or-down"));
        return builder.build();
    }
}
