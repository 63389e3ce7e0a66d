package dev.realtime.service.lifecycle;

import dev.realtime.buffer.OrgBuffers;
import dev.realtime.service.config.DomainBuffers;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.inject.Singleton;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

/**
 * Graceful shutdown: the moment shutdown begins, readiness goes down (so the load balancer stops sending
 * polls), every parked poll is answered with no events and the current cursor (so its client reconnects to
 * another replica at once, losing nothing), and new polls get 503 with Retry-After. Publishes keep working
 * until the HTTP server stops. Thread-safe.
 */
@Singleton
public class ShutdownDrain {
    private static final Logger LOG = Logger.getLogger(ShutdownDrain.class);

    private final DomainBuffers buffers;
    private volatile boolean draining;

    ShutdownDrain(DomainBuffers buffers) {
        this.buffers = buffers;
    }

    /** Returns whether shutdown has begun. */
    public boolean isDraining() {
        return draining;
    }

    /** Begins the drain; idempotent. */
    public void begin() {
        if (draining) {
            return;
        }
        draining = true;
        int answered = 0;
        for (OrgBuffers stream : buffers.all()) {
            answered += stream.expireAllWaiters();
        }
        LOG.infof("shutdown drain: readiness down, parked polls answered: count=%d", answered);
    }

    // With quarkus.shutdown.delay-enabled the delay phase starts first: drain then, while the server still
    // answers, so clients move away before connections close.
    void onShutdownDelay(@Observes ShutdownDelayInitiatedEvent event) {
        begin();
    }

    void onShutdown(@Observes @Priority(1) ShutdownEvent event) {
        begin();
    }
}
