package dev.realtime.tasks;

import dev.realtime.buffer.EventFilter;
import dev.realtime.service.auth.Subject;
import dev.realtime.service.policy.DomainPolicy;
import jakarta.inject.Singleton;

/**
 * Tasks are property-scoped: an event with a {@code propertyId} reaches only tokens whose {@code propertyIds}
 * claim contains it; events without one reach the whole org. Drops of other properties' events never reset a
 * subscriber (the buffer tracks drops per scope). Status transitions are their own type,
 * {@code task.status_changed}, allowed in configuration.
 */
@Singleton
public class TasksPolicy implements DomainPolicy {

    @Override
    public EventFilter filterFor(Subject subject) {
        return EventFilter.scopes(subject.propertyIds());
    }
}
