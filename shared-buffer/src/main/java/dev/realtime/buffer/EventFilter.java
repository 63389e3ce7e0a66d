package dev.realtime.buffer;

import java.util.Objects;
import java.util.Set;

/**
 * Which events of an org one subscriber may see. Events without a scope are visible to every subscriber of
 * the org; a scoped event (e.g. a task of one property) only to filters that accept its scope.
 *
 * <p>Filters are values: two filters accepting the same scopes are equal, which lets the buffer answer every
 * waiter parked with the same cursor and filter from one read. Because a filter is defined by scopes, the
 * buffer can tell whether a dropped event was one this subscriber could have seen: dropping an event a
 * subscriber may not see never resets that subscriber.
 */
public sealed interface EventFilter {

    /** The filter that sees every event of the org. */
    EventFilter ALL = new All();

    /** Returns a filter that sees unscoped events and events whose scope is in {@code scopes}. */
    static EventFilter scopes(Set<String> scopes) {
        return new Scopes(Set.copyOf(scopes));
    }

    /** Returns whether a subscriber with this filter may see events of {@code scope} ({@code null}: unscoped). */
    boolean acceptsScope(String scope);

    /** Returns whether a subscriber with this filter may see {@code event}. */
    default boolean accepts(Event event) {
        return acceptsScope(event.scope());
    }

    /** Sees everything. */
    record All() implements EventFilter {
        @Override
        public boolean acceptsScope(String scope) {
            return true;
        }
    }

    /** Sees unscoped events and the listed scopes. */
    record Scopes(Set<String> scopes) implements EventFilter {
        /** Requires an immutable set; use {@link EventFilter#scopes}. */
        public Scopes {
            Objects.requireNonNull(scopes, "scopes");
        }

        @Override
        public boolean acceptsScope(String scope) {
            return scope == null || scopes.contains(scope);
        }
    }
}
