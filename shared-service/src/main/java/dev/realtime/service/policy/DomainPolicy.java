package dev.realtime.service.policy;

import dev.realtime.buffer.Event;
import dev.realtime.buffer.EventFilter;
import dev.realtime.service.auth.Subject;
import java.util.Set;

/**
 * What differs between domains, as logic (numbers and allow-lists live in configuration). A domain module
 * provides exactly one {@code @Singleton} implementation (no client proxy: it runs on every request) and overrides
 * only what differs; every method has the org-wide, unredacted default. Implementations must be thread-safe and
 * fast: they run on event loops.
 */
public interface DomainPolicy {

    /** The name of a domain's main stream, the one served when a poll names no {@code stream}. */
    String MAIN_STREAM = "";

    /** Returns which events of its org {@code subject} may see (tasks: only its {@code propertyIds}). */
    default EventFilter filterFor(Subject subject) {
        return EventFilter.ALL;
    }

    /** Returns the secondary streams of the domain (staff: {@code leave}), each with its own buffers. */
    default Set<String> secondaryStreams() {
        return Set.of();
    }

    /** Returns the stream an event of {@code type} is published to: {@link #MAIN_STREAM} or a secondary one. */
    default String streamOf(String type) {
        return MAIN_STREAM;
    }

    /**
     * Returns whether {@link #render} depends on the subject. When false, the service sends every subscriber
     * the bytes serialized at publish time, and shares one reply body among all waiters woken by one append.
     */
    default boolean rendersPerSubject() {
        return false;
    }

    /** Returns the JSON of {@code event} as {@code subject} may see it (users: redaction). */
    default byte[] render(Subject subject, Event event) {
        return event.json();
    }
}
