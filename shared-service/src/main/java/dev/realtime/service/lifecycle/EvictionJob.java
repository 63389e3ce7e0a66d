package dev.realtime.service.lifecycle;

import dev.realtime.buffer.OrgBuffers;
import dev.realtime.service.config.DomainBuffers;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Drops expired events and evicts idle orgs on a schedule ({@code realtime.sweep.interval}). Reads expire
 * lazily anyway; this bounds the memory of orgs nobody touches. One failing run is logged, never fatal.
 */
@ApplicationScoped
public class EvictionJob {
    private static final Logger LOG = Logger.getLogger(EvictionJob.class);

    private final DomainBuffers buffers;

    EvictionJob(DomainBuffers buffers) {
        this.buffers = buffers;
    }

    @Scheduled(every = "${realtime.sweep.interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "realtime-sweep")
    void sweep() {
        try {
            int evicted = 0;
            for (OrgBuffers stream : buffers.all()) {
                evicted += stream.sweep();
            }
            if (evicted > 0) {
                LOG.debugf("sweep evicted idle orgs: count=%d", evicted);
            }
        } catch (RuntimeException e) {
            LOG.error("sweep failed; retrying at the next interval", e);
        }
    }
}
