package dev.realtime.buffer;

import java.nio.charset.StandardCharsets;

/** Test events whose JSON is a recognisable stand-in for the service's serialization. */
final class Events {
    private Events() {}

    static Event event(String orgId, String eventId) {
        return scoped(orgId, eventId, null);
    }

    static Event scoped(String orgId, String eventId, String scope) {
        return of(orgId, eventId, "thing.updated", "e-" + eventId, scope);
    }

    static Event of(String orgId, String eventId, String type, String entityId, String scope) {
        String json = "{\"eventId\":\"" + eventId + "\",\"orgId\":\"" + orgId + "\"}";
        return Event.of(eventId, orgId, type, entityId, scope, 0L, json.getBytes(StandardCharsets.UTF_8));
    }
}
