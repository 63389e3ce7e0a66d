package dev.realtime.users;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.buffer.Event;
import dev.realtime.service.auth.Subject;
import dev.realtime.service.json.EventJson;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UsersPolicyTest {
    private final ObjectMapper mapper = new ObjectMapper();
    private final UsersPolicy policy = new UsersPolicy(mapper, "realtime-admin", List.of("id", "displayName"));

    private Event event(String type, String entityId) {
        JsonNode payload = mapper.valueToTree(java.util.Map.of("id", entityId, "displayName", "Ada", "email", "a@x"));
        return Event.of("e1", "org", type, entityId, null, 1L,
                EventJson.encode("e1", type, "org", entityId, null, 1L, payload, mapper).json());
    }

    private static Subject subject(String sub, Set<String> groups) {
        return new Subject(sub, "org", groups, Set.of(), Long.MAX_VALUE);
    }

    @Test
    void admin_getsTheSerializedBytesUntouched() {
        Event event = event("user.updated", "u1");
        assertThat(policy.render(subject("boss", Set.of("realtime-admin")), event)).isSameAs(event.json());
    }

    @Test
    void member_getsAllowListedFieldsAndARedactedFlag() throws IOException {
        JsonNode json = mapper.readTree(policy.render(subject("u2", Set.of()), event("user.updated", "u1")));
        assertThat(json.get("payload").fieldNames()).toIterable().containsExactlyInAnyOrder("id", "displayName");
        assertThat(json.get("redacted").asBoolean()).isTrue();
        assertThat(json.get("type").asText()).isEqualTo("user.updated");
    }

    @Test
    void roleChangeAboutTheCaller_becomesPermissionsChanged_evenForAdmins() throws IOException {
        JsonNode own = mapper.readTree(policy.render(subject("u1", Set.of("realtime-admin")),
                event("user.role_changed", "u1")));
        assertThat(own.get("type").asText()).isEqualTo(UsersPolicy.PERMISSIONS_CHANGED);
        JsonNode other = mapper.readTree(policy.render(subject("u2", Set.of()), event("user.role_changed", "u1")));
        assertThat(other.get("type").asText()).isEqualTo("user.role_changed");
    }
}
