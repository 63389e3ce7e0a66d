package dev.realtime.service.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.buffer.Event;
import dev.realtime.buffer.ReadResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The wire forms of events and replies. An event is serialized once, at publish; a reply is those bytes
 * concatenated between a small header and footer, never re-serialized.
 */
public final class EventJson {
    private static final JsonFactory FACTORY = new ObjectMapper().getFactory();
    private static final byte[] EVENTS_OPEN = ",\"events\":[".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESET_FALSE = "],\"reset\":false".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESET_TRUE = "],\"reset\":true".getBytes(StandardCharsets.US_ASCII);

    private EventJson() {}

    /**
     * An event as subscribers receive it, and how many of its bytes are the payload (the limit applies to those).
     *
     * @param json the event's JSON object, UTF-8
     * @param payloadBytes length of the serialized {@code payload} member's value within {@code json}
     */
    public record Encoded(byte[] json, int payloadBytes) {}

    /**
     * Returns the serialized event as subscribers receive it: {@code eventId, type, orgId, entityId, propertyId,
     * ts, payload}, with the payload's size measured in the same pass (the payload is serialized once).
     *
     * @param payload a JSON object (validated by the caller)
     */
    public static Encoded encode(String eventId, String type, String orgId, String entityId, String propertyId,
            long tsMillis, JsonNode payload, ObjectMapper mapper) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        int beforePayload;
        int afterPayload;
        try (JsonGenerator json = FACTORY.createGenerator(out)) {
            json.setCodec(mapper);
            json.writeStartObject();
            json.writeStringField("eventId", eventId);
            json.writeStringField("type", type);
            json.writeStringField("orgId", orgId);
            json.writeStringField("entityId", entityId);
            json.writeStringField("propertyId", propertyId);
            json.writeNumberField("ts", tsMillis);
            json.writeFieldName("payload");
            json.flush();
            beforePayload = out.size();
            json.writeTree(payload);
            json.flush();
            afterPayload = out.size();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] bytes = out.toByteArray();
        // The name/value separator is written with the value: ':', or ' : ' should a mapper pretty-print.
        int payloadStart = beforePayload;
        while (bytes[payloadStart] == ':' || bytes[payloadStart] == ' ') {
            payloadStart++;
        }
        return new Encoded(bytes, afterPayload - payloadStart);
    }

    /** Returns {@code json} (an event serialized by {@link #encode}) with a leading {@code "count":n} member. */
    public static byte[] withCount(byte[] json, int count) {
        byte[] prefix = ("{\"count\":" + count + ",").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[prefix.length + json.length - 1];
        System.arraycopy(prefix, 0, out, 0, prefix.length);
        System.arraycopy(json, 1, out, prefix.length, json.length - 1);
        return out;
    }

    /** Returns the serialized reply for {@code result}, each event's bytes as {@code render} gives them. */
    public static byte[] reply(ReadResult result, java.util.function.Function<Event, byte[]> render,
            Duration maxWait, Duration debounce, boolean handshake) {
        String cursor = result.cursor().format();
        int size = 64 + cursor.length();
        byte[][] events = new byte[result.events().size()][];
        for (int i = 0; i < events.length; i++) {
            events[i] = render.apply(result.events().get(i));
            size += events[i].length + 1;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + (handshake ? 64 : 0));
        out.writeBytes(("{\"cursor\":\"" + cursor + "\"").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(EVENTS_OPEN);
        for (int i = 0; i < events.length; i++) {
            if (i > 0) {
                out.write(',');
            }
            out.writeBytes(events[i]);
        }
        out.writeBytes(result.reset() ? RESET_TRUE : RESET_FALSE);
        if (handshake) {
            out.writeBytes((",\"config\":{\"maxWaitMs\":" + maxWait.toMillis() + ",\"debounceMs\":"
                    + debounce.toMillis() + "}").getBytes(StandardCharsets.US_ASCII));
        }
        out.write('}');
        return out.toByteArray();
    }

    /** Returns the payload object of a serialized event (for domains that transform what they deliver). */
    public static JsonNode readTree(byte[] json, ObjectMapper mapper) {
        try {
            return mapper.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns {@code node} serialized. */
    public static byte[] write(JsonNode node, ObjectMapper mapper) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
