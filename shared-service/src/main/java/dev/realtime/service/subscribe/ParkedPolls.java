package dev.realtime.service.subscribe;

import dev.realtime.service.config.RealtimeConfig;
import jakarta.inject.Singleton;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts the polls each token subject has parked, so one client (or one stolen token) cannot hold thousands
 * of connections. An entry exists only while its subject has a parked poll. Thread-safe.
 */
@Singleton
public class ParkedPolls {
    private final int maxPerSubject;
    private final ConcurrentHashMap<String, Integer> bySubject = new ConcurrentHashMap<>();

    ParkedPolls(RealtimeConfig config) {
        this.maxPerSubject = config.poll().maxParkedPerSubject();
    }

    /** Reserves a slot for {@code sub}; returns false when it already has the most parked polls allowed. */
    public boolean tryReserve(String sub) {
        boolean[] reserved = {false};
        bySubject.compute(sub, (k, count) -> {
            int current = count == null ? 0 : count;
            if (current >= maxPerSubject) {
                return count;
            }
            reserved[0] = true;
            return current + 1;
        });
        return reserved[0];
    }

    /** Releases a slot reserved by {@link #tryReserve}. */
    public void release(String sub) {
        bySubject.computeIfPresent(sub, (k, count) -> count <= 1 ? null : count - 1);
    }

    /** Returns how many subjects have parked polls. */
    public int subjects() {
        return bySubject.size();
    }
}
