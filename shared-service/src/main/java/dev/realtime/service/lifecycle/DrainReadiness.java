package dev.realtime.service.lifecycle;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Readiness is down from the moment the shutdown drain begins, so no new poll is routed here. */
@Readiness
@ApplicationScoped
public class DrainReadiness implements HealthCheck {
    private final ShutdownDrain drain;

    DrainReadiness(ShutdownDrain drain) {
        this.drain = drain;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("realtime-drain").status(!drain.isDraining()).build();
    }
}
