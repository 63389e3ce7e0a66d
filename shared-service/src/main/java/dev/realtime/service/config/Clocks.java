package dev.realtime.service.config;

import dev.realtime.buffer.TimeSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Produces the service's clocks, so tests can replace them instead of sleeping. */
@ApplicationScoped
public class Clocks {

    /** The wall clock: event timestamps and token expiry. */
    @Produces
    @ApplicationScoped
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The monotonic clock of the buffers: TTL, idle eviction, coalescing windows. */
    @Produces
    @ApplicationScoped
    TimeSource timeSource() {
        return TimeSource.system();
    }
}
