package dev.realtime.service.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventJsonTest {
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void payloadBytes_holdsWithAPrettyPrintingMapper() throws Exception {
        ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        JsonNode node = pretty.readTree("{\"a\":[1,2],\"b\":{\"c\":\"d\"}}");
        EventJson.Encoded encoded = EventJson.encode("e-1", "t.x", "org", "ent", null, 7L, node, pretty);
        assertThat(encoded.payloadBytes()).isEqualTo(pretty.writeValueAsBytes(node).length);
        assertThat(pretty.readTree(encoded.json()).get("payload")).isEqualTo(node);
    }

    @Test
    void payloadBytes_isTheSizeOfThePayloadAsTheMapperWritesIt() throws Exception {
        for (String payload : List.of("{}", "{\"a\":1}", "{\"s\":\"\\u00e9\\u4e2d\\ud83d\\ude00 \\\"q\\\" \\\\ \\n\"}",
                "{\"nested\":{\"list\":[1,2.5,null,true,{\"x\":\"y\"}]},\"big\":12345678901234567890}")) {
            JsonNode node = mapper.readTree(payload);
            EventJson.Encoded encoded = EventJson.encode("e-1", "t.x", "org", "ent", null, 7L, node, mapper);
            assertThat(encoded.payloadBytes()).as(payload).isEqualTo(mapper.writeValueAsBytes(node).length);
            JsonNode event = mapper.readTree(encoded.json());
            assertThat(event.get("payload")).isEqualTo(node);
            assertThat(event.get("eventId").asText()).isEqualTo("e-1");
            assertThat(event.get("ts").asLong()).isEqualTo(7L);
        }
    }
}
