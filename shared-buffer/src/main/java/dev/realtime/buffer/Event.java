package dev.realtime.buffer;

import java.util.Objects;

/**
 * An event as the buffer stores it: identity, routing fields and its wire JSON, serialized
 * once by the publisher side and reused for every subscriber.
 *
 * <p>{@code json} is the complete JSON object of the event as it appears in a subscribe reply. It is shared,
 * never copied: callers must not modify the array after constructing the event.
 *
 * @param eventId unique id; publishers may supply it for idempotency
 * @param orgId the org the event belongs to
 * @param type event type, e.g. {@code transaction.updated}
 * @param entityId id of the row the event is about
 * @param scope optional narrower audience inside the org (e.g. a property id); {@code null} means the whole org
 * @param tsMillis publish time, epoch milliseconds
 * @param count how many published events this one stands for (greater than 1 only after coalescing)
 * @param seq position in the domain, assigned at append; {@link #UNASSIGNED} before that
 * @param json the serialized event, UTF-8
 * @param idempotent whether the publisher chose the id, so that a repeat within the TTL must be recognised; ids
 *     the service generated cannot repeat and are not remembered
 */
public record Event(
        String eventId,
        String orgId,
        String type,
        String entityId,
        String scope,
        long tsMillis,
        int count,
        long seq,
        byte[] json,
        boolean idempotent) {

    /** The seq of an event that has not been appended yet. */
    public static final long UNASSIGNED = -1;

    /** Validates the fields; {@code scope} alone may be null. */
    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(entityId, "entityId");
        Objects.requireNonNull(json, "json");
        if (count < 1) {
            throw new IllegalArgumentException("count must be positive, was " + count);
        }
        if (seq < UNASSIGNED) {
            throw new IllegalArgumentException("seq must be non-negative or UNASSIGNED, was " + seq);
        }
    }

    /** Returns a not yet appended event standing for one publish, with a publisher-chosen (idempotent) id. */
    public static Event of(
            String eventId, String orgId, String type, String entityId, String scope, long tsMillis, byte[] json) {
        return of(eventId, orgId, type, entityId, scope, tsMillis, json, /* idempotent= */ true);
    }

    /** Returns a not yet appended event standing for one publish. */
    public static Event of(String eventId, String orgId, String type, String entityId, String scope, long tsMillis,
            byte[] json, boolean idempotent) {
        return new Event(eventId, orgId, type, entityId, scope, tsMillis, 1, UNASSIGNED, json, idempotent);
    }

    /** Returns this event positioned at {@code seq}; the JSON bytes are shared, not copied. */
    public Event withSeq(long seq) {
        return new Event(eventId, orgId, type, entityId, scope, tsMillis, count, seq, json, idempotent);
    }

    /** Returns this event standing for {@code count} publishes, serialized as {@code json} (coalescing). */
    public Event withCount(int count, byte[] json) {
        return new Event(eventId, orgId, type, entityId, scope, tsMillis, count, seq, json, idempotent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Event e
                && seq == e.seq
                && count == e.count
                && idempotent == e.idempotent
                && tsMillis == e.tsMillis
                && eventId.equals(e.eventId)
                && orgId.equals(e.orgId)
                && type.equals(e.type)
                && entityId.equals(e.entityId)
                && Objects.equals(scope, e.scope)
                && java.util.Arrays.equals(json, e.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(eventId, orgId, seq);
    }

    @Override
    public String toString() {
        // No payload: logs must never carry one.
        return "Event[eventId=" + eventId + ", orgId=" + orgId + ", type=" + type + ", seq=" + seq
                + ", count=" + count + "]";
    }
}
