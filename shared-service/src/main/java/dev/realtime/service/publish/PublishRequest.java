package dev.realtime.service.publish;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.realtime.buffer.Event;
import dev.realtime.service.json.EventJson;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A publish body, validated item by item before anything is applied: one event object or an array of them.
 * The first invalid item refuses the whole batch with a problem naming its index and field.
 */
public final class PublishRequest {
    private static final Set<String> FIELDS = Set.of("orgId", "type", "entityId", "propertyId", "eventId", "payload");
    private static final int MAX_ID_LENGTH = 128;
    private static final int MAX_ENTITY_ID_LENGTH = 256;

    /** Limits a body is validated against. */
    public record Limits(int maxEvents, int maxBodyBytes, int maxPayloadBytes, TypeAllowList types) {}

    private PublishRequest() {}

    /**
     * Returns the body's events, serialized for the wire and ready to append, in body order.
     *
     * @param ids where the ids of events published without one come from
     *
     * @throws ProblemException {@code json_invalid}, {@code batch_too_large}, {@code event_invalid},
     *     {@code type_not_allowed} or {@code payload_too_large}
     */
    public static List<Event> parse(byte[] body, Limits limits, ObjectMapper mapper, long nowMillis,
            EventIds ids) {
        if (body == null || body.length == 0) {
            throw new ProblemException(ProblemCode.JSON_INVALID, "The body is empty; send an event or an array.");
        }
        if (body.length > limits.maxBodyBytes()) {
            throw new ProblemException(ProblemCode.BATCH_TOO_LARGE,
                    "The body exceeds " + limits.maxBodyBytes() + " bytes.");
        }
        JsonNode root = readStrictly(body, mapper);
        if (root.isObject()) {
            return List.of(toEvent(root, null, limits, mapper, nowMillis, ids));
        }
        if (!root.isArray()) {
            throw new ProblemException(ProblemCode.EVENT_INVALID, "The body must be an event object or an array.");
        }
        if (root.isEmpty()) {
            throw new ProblemException(ProblemCode.EVENT_INVALID, "The batch is empty.");
        }
        if (root.size() > limits.maxEvents()) {
            throw new ProblemException(ProblemCode.BATCH_TOO_LARGE,
                    "A batch holds at most " + limits.maxEvents() + " events.");
        }
        List<Event> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            events.add(toEvent(root.get(i), i, limits, mapper, nowMillis, ids));
        }
        return events;
    }

    private static JsonNode readStrictly(byte[] body, ObjectMapper mapper) {
        ObjectReader reader = mapper.reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try (JsonParser parser = reader.createParser(body)) {
            JsonNode root = reader.readTree(parser);
            if (root == null || root.isMissingNode()) {
                throw new ProblemException(ProblemCode.JSON_INVALID, "The body is empty; send an event or an array.");
            }
            if (parser.nextToken() != null) {
                throw new ProblemException(ProblemCode.JSON_INVALID, "The body holds more than one JSON value.");
            }
            return root;
        } catch (JsonProcessingException e) {
            // Limits violations (nesting depth, number length) carry no location.
            String where = e.getLocation() == null ? ""
                    : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new ProblemException(ProblemCode.JSON_INVALID, "The body is not valid JSON" + where + ".");
        } catch (IOException e) {
            throw new ProblemException(ProblemCode.JSON_INVALID, "The body could not be read as JSON.");
        }
    }

    private static Event toEvent(JsonNode item, Integer index, Limits limits, ObjectMapper mapper, long nowMillis,
            EventIds ids) {
        if (!item.isObject()) {
            throw invalid(index, null, "must be a JSON object");
        }
        for (Iterator<String> names = item.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw invalid(index, name, "is not a field of an event (allowed: " + String.join(", ",
                        new java.util.TreeSet<>(FIELDS)) + ")");
            }
        }
        String orgId = requiredString(item, "orgId", MAX_ID_LENGTH, index);
        String type = requiredString(item, "type", MAX_ID_LENGTH, index);
        String entityId = requiredString(item, "entityId", MAX_ENTITY_ID_LENGTH, index);
        String propertyId = optionalString(item, "propertyId", MAX_ID_LENGTH, index);
        String eventId = optionalString(item, "eventId", MAX_ID_LENGTH, index);
        if (!limits.types().allows(type)) {
            throw new ProblemException(ProblemCode.TYPE_NOT_ALLOWED,
                    at(index) + "type '" + type + "' is not allowed in this domain.", index, "type");
        }
        JsonNode payload = item.get("payload");
        if (payload == null || payload.isNull()) {
            payload = mapper.createObjectNode();
        } else if (!payload.isObject()) {
            throw invalid(index, "payload", "must be a JSON object");
        }
        // Only ids the publisher chose can repeat: generated ones are not remembered for idempotency.
        boolean idempotent = eventId != null;
        if (eventId == null) {
            eventId = ids.next();
        }
        EventJson.Encoded encoded = EventJson.encode(eventId, type, orgId, entityId, propertyId, nowMillis, payload,
                mapper);
        if (encoded.payloadBytes() > limits.maxPayloadBytes()) {
            throw new ProblemException(ProblemCode.PAYLOAD_TOO_LARGE,
                    at(index) + "payload exceeds " + limits.maxPayloadBytes() + " bytes.", index, "payload");
        }
        return Event.of(eventId, orgId, type, entityId, propertyId, nowMillis, encoded.json(), idempotent);
    }

    private static String requiredString(JsonNode item, String field, int maxLength, Integer index) {
        String value = optionalString(item, field, maxLength, index);
        if (value == null) {
            throw invalid(index, field, "is required");
        }
        return value;
    }

    private static String optionalString(JsonNode item, String field, int maxLength, Integer index) {
        JsonNode node = item.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalid(index, field, "must be a string");
        }
        String value = node.textValue();
        if (value.isEmpty() || value.length() > maxLength) {
            throw invalid(index, field, "must be 1-" + maxLength + " characters");
        }
        for (int i = 0; i < value.length(); i++) {
            if (Character.isISOControl(value.charAt(i))) {
                throw invalid(index, field, "must not contain control characters");
            }
        }
        return value;
    }

    private static ProblemException invalid(Integer index, String field, String rule) {
        String subject = field == null ? "the event" : "'" + field + "'";
        return new ProblemException(ProblemCode.EVENT_INVALID, at(index) + subject + " " + rule + ".", index, field);
    }

    private static String at(Integer index) {
        return index == null ? "" : "Item " + index + ": ";
    }
}
