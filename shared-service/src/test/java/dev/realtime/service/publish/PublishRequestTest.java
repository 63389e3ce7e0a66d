package dev.realtime.service.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.buffer.Event;
import dev.realtime.service.problem.ProblemCode;
import dev.realtime.service.problem.ProblemException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishRequestTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final EventIds ids = new EventIds(7L);
    private final PublishRequest.Limits limits = new PublishRequest.Limits(1000, 1 << 20, 1 << 16,
            new TypeAllowList(List.of("invoice.*", "summary.updated")));

    private List<Event> parse(String body) {
        return PublishRequest.parse(body.getBytes(StandardCharsets.UTF_8), limits, mapper, 42L, ids);
    }

    private static ProblemCode codeOf(Runnable call) {
        try {
            call.run();
        } catch (ProblemException e) {
            return e.problem();
        }
        throw new AssertionError("no problem raised");
    }

    @Test
    void validEvent_isSerializedOnceWithTheWireFields() {
        Event event = parse("{\"orgId\":\"o\",\"type\":\"invoice.paid\",\"entityId\":\"i1\",\"eventId\":\"k\","
                + "\"payload\":{\"a\":1}}").get(0);
        assertThat(new String(event.json(), StandardCharsets.UTF_8)).isEqualTo("{\"eventId\":\"k\",\"type\":"
                + "\"invoice.paid\",\"orgId\":\"o\",\"entityId\":\"i1\",\"propertyId\":null,\"ts\":42,\"payload\":{\"a\":1}}");
        assertThat(event.idempotent()).isTrue();
    }

    @Test
    void generatedIds_areNotIdempotencyKeys() {
        Event event = parse("{\"orgId\":\"o\",\"type\":\"summary.updated\",\"entityId\":\"s\"}").get(0);
        assertThat(event.eventId()).isNotBlank();
        assertThat(event.idempotent()).isFalse();
    }

    @Test
    void generatedIds_areDistinct() {
        String body = "{\"orgId\":\"o\",\"type\":\"summary.updated\",\"entityId\":\"s\"}";
        List<Event> events = parse("[" + String.join(",", java.util.Collections.nCopies(500, body)) + "]");
        assertThat(events.stream().map(Event::eventId).distinct().count()).isEqualTo(500);
    }

    @Test
    void payloadLimit_countsThePayloadsSerializedBytes() {
        PublishRequest.Limits small = new PublishRequest.Limits(10, 1 << 20, 12, limits.types());
        // {"s":"\u00e9aa"} is 12 bytes in UTF-8 (é takes two); one more character is over the limit.
        String atLimit = "{\"orgId\":\"o\",\"type\":\"invoice.x\",\"entityId\":\"e\",\"payload\":{\"s\":\"\u00e9aa\"}}";
        String overLimit = atLimit.replace("\u00e9aa", "\u00e9aaa");
        assertThat(PublishRequest.parse(atLimit.getBytes(StandardCharsets.UTF_8), small, mapper, 1L, ids)).hasSize(1);
        byte[] over = overLimit.getBytes(StandardCharsets.UTF_8);
        assertThat(codeOf(() -> PublishRequest.parse(over, small, mapper, 1L, ids)))
                .isEqualTo(ProblemCode.PAYLOAD_TOO_LARGE);
    }

    @Test
    void deeplyNestedOrHugeBodies_areJsonInvalid_notServerErrors() {
        assertThat(codeOf(() -> parse("[".repeat(5_000)))).isEqualTo(ProblemCode.JSON_INVALID);
        assertThat(codeOf(() -> parse("{\"orgId\":\"o\",\"type\":\"invoice.x\",\"entityId\":\"e\",\"payload\":"
                + "{\"n\":" + "9".repeat(2_000) + "}}"))).isIn(ProblemCode.JSON_INVALID, ProblemCode.EVENT_INVALID);
    }

    @Test
    void typeAllowList_prefixesAndExactNames() {
        TypeAllowList types = new TypeAllowList(List.of("invoice.*", "summary.updated"));
        assertThat(types.allows("invoice.created")).isTrue();
        assertThat(types.allows("invoice")).isFalse();
        assertThat(types.allows("invoices.created")).isFalse();
        assertThat(types.allows("summary.updated")).isTrue();
        assertThat(types.allows("summary.deleted")).isFalse();
        assertThatThrownBy(() -> new TypeAllowList(List.of("*"))).isInstanceOf(IllegalArgumentException.class);
    }
}
