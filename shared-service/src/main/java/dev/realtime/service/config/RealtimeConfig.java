package dev.realtime.service.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every tunable of a domain service, under the prefix {@code realtime}. The Javadoc of each key is its operator
 * documentation (the README's configuration table repeats it). Values are validated at start-up: a bad value
 * fails the boot, never the first request.
 */
@ConfigMapping(prefix = "realtime")
public interface RealtimeConfig {

    /** The domain this service serves; the first segment of every API path, e.g. {@code finance}. */
    String domain();

    /**
     * Event types publishers may use: exact names, or a prefix ending in {@code .*} (e.g. {@code invoice.*}
     * allows {@code invoice.created}). Anything else is refused with {@code type_not_allowed}.
     */
    List<String> eventTypes();

    /** Per-org buffer limits. */
    Buffer buffer();

    /** Long-poll limits. */
    Poll poll();

    /** Publish limits. */
    Publish publish();

    /** Hints handed to clients in the handshake. */
    Client client();

    /** Scheduled maintenance. */
    Sweep sweep();

    /** Token verification. */
    Auth auth();

    /** Payload redaction for subscribers outside the admin group (domains that enable it). */
    Redaction redaction();

    /**
     * How events reach every replica: {@code embedded} (one replica, nothing else needed) or {@code redis}
     * (publishes go through one Redis Stream per domain stream, which every replica reads;
     * {@code quarkus.redis.hosts} names the server).
     */
    @WithDefault("embedded")
    Fanout fanout();

    /** Scale-out mode settings. */
    Redis redis();

    /** How events reach every replica. */
    enum Fanout {
        /** One replica; buffers are the only store. */
        EMBEDDED,
        /** Several replicas sharing a Redis Stream per domain stream. */
        REDIS
    }

    /** Scale-out mode settings. */
    interface Redis {
        /** Prefix of every Redis key this domain uses; the domain and stream names complete it. */
        @WithDefault("realtime")
        String keyPrefix();

        /** Hard cap on entries kept per stream, beyond the TTL-based trimming. */
        @WithDefault("100000")
        int maxLength();

        /** Longest a publish waits for Redis before answering 503. */
        @WithDefault("2s")
        Duration commandTimeout();

        /** Longest pause between reconnection attempts after Redis failed. */
        @WithDefault("5s")
        Duration maxBackoff();
    }

    /** Seconds a client is told to wait (Retry-After) when refused for load (429) or shutdown (503). */
    @WithDefault("5s")
    Duration retryAfter();

    /** Per-org buffer limits. */
    interface Buffer {
        /** Most events one org's buffer holds; the oldest is dropped (and later readers reset) beyond it. */
        @WithDefault("200")
        int capacity();

        /** Longest time an event stays buffered. */
        @WithDefault("25s")
        Duration ttl();

        /** An org with no events and no parked polls is evicted after this long untouched. */
        @WithDefault("60s")
        Duration idleAfter();

        /** Most orgs buffered at once; beyond it new orgs get 503 {@code org_limit} until idle ones are evicted. */
        @WithDefault("1000000")
        int maxOrgs();

        /**
         * Events of the same type, entity and scope published within this window merge into one event carrying
         * the latest payload and a {@code count}. {@code 0s} disables coalescing.
         */
        @WithDefault("0s")
        Duration coalesceWindow();
    }

    /** Long-poll limits. */
    interface Poll {
        /** Longest a poll is parked; {@code waitMs} is clamped to it. */
        @WithDefault("25s")
        Duration maxWait();

        /** Most events in one reply; a client that gets a full batch polls again at once. */
        @WithDefault("500")
        int maxBatch();

        /** Most polls one token subject may have parked at once; more get 429 {@code too_many_polls}. */
        @WithDefault("32")
        int maxParkedPerSubject();
    }

    /** Publish limits. */
    interface Publish {
        /** Most events in one publish request. */
        @WithDefault("1000")
        int maxEvents();

        /** Largest publish body, in bytes. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /** Largest serialized payload of one event, in bytes. */
        @WithDefault("65536")
        int maxPayloadBytes();
    }

    /** Hints handed to clients in the handshake. */
    interface Client {
        /** How long clients should debounce refetches of aggregates after events. */
        @WithDefault("1000ms")
        Duration debounce();
    }

    /** Scheduled maintenance. */
    interface Sweep {
        /** How often expired events are dropped and idle orgs evicted. */
        @WithDefault("5s")
        Duration interval();
    }

    /** Token verification. */
    interface Auth {
        /** Most verified tokens remembered (a long-poll client presents the same token on every poll). */
        @WithDefault("10000")
        int tokenCacheSize();

        /** Group that may publish to any org. */
        @WithDefault("realtime-publisher")
        String publisherGroup();

        /** Group that may read metrics and sees unredacted payloads. */
        @WithDefault("realtime-admin")
        String adminGroup();
    }

    /** Payload redaction (the users domain). */
    interface Redaction {
        /**
         * Payload fields subscribers outside the admin group may see; when absent, payloads are not redacted.
         */
        Optional<List<String>> visibleFields();
    }
}
