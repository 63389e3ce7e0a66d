package dev.realtime.users;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.RealtimeContractTest;
import dev.realtime.service.contract.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API contract against the users service, plus redaction and the permissions signal. */
@QuarkusTest
@QuarkusTestResource(ContractTestResource.class)
class UsersRealtimeTest extends RealtimeContractTest {
    private static final Map<String, Object> PAYLOAD = Map.of("id", "u-7", "displayName", "Ada", "email",
            "ada@example.com", "phone", "+1 555");

    @Test
    void nonAdmins_getAllowListedFieldsOnly_adminsEverything() {
        String org = newOrg();
        String member = Tokens.subscriber("member", org, List.of(), Set.of());
        String admin = Tokens.admin(org);
        String c1 = handshake(member);
        String c2 = handshake(admin);
        publish(Map.of("orgId", org, "type", "user.updated", "entityId", "u-7", "payload", PAYLOAD))
                .then().statusCode(202);
        JsonPath redacted = poll(member, c1).get(subscribePath()).then().statusCode(200).extract().jsonPath();
        assertThat(redacted.getMap("events[0].payload")).containsOnlyKeys("id", "displayName");
        assertThat(redacted.getBoolean("events[0].redacted")).isTrue();
        JsonPath full = poll(admin, c2).get(subscribePath()).then().statusCode(200).extract().jsonPath();
        assertThat(full.getMap("events[0].payload")).containsKeys("email", "phone");
    }

    @Test
    void ownRoleChange_isDeliveredAsPermissionsChanged_othersSeeTheRoleChange() {
        String org = newOrg();
        String self = Tokens.subscriber("u-7", org, List.of(), Set.of());
        String colleague = Tokens.subscriber("u-8", org, List.of(), Set.of());
        String c1 = handshake(self);
        String c2 = handshake(colleague);
        publish(Map.of("orgId", org, "type", "user.role_changed", "entityId", "u-7",
                "payload", Map.of("id", "u-7", "role", "manager"))).then().statusCode(202);
        assertThat(poll(self, c1).get(subscribePath()).then().extract().jsonPath().getList("events.type"))
                .isEqualTo(List.of(UsersPolicy.PERMISSIONS_CHANGED));
        assertThat(poll(colleague, c2).get(subscribePath()).then().extract().jsonPath().getList("events.type"))
                .isEqualTo(List.of("user.role_changed"));
    }
}
