package dev.realtime.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.RealtimeContractTest;
import dev.realtime.service.contract.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API contract against the analytics service, plus coalescing at buffer level. */
@QuarkusTest
@QuarkusTestResource(ContractTestResource.class)
class AnalyticsRealtimeTest extends RealtimeContractTest {

    @Test
    void burstAboutOneEntity_coalescesIntoOneEventWithLatestPayloadAndCount() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String cursor = handshake(auth);
        for (int i = 1; i <= 3; i++) {
            publish(Map.of("orgId", org, "type", "kpi.updated", "entityId", "revenue", "payload", Map.of("value", i)))
                    .then().statusCode(202);
        }
        publish(Map.of("orgId", org, "type", "kpi.updated", "entityId", "margin", "payload", Map.of("value", 9)))
                .then().statusCode(202);
        JsonPath reply = poll(auth, cursor).get(subscribePath()).then().statusCode(200).extract().jsonPath();
        assertThat(reply.getList("events.entityId")).isEqualTo(List.of("revenue", "margin"));
        assertThat(reply.getInt("events[0].count")).isEqualTo(3);
        assertThat(reply.getInt("events[0].payload.value")).isEqualTo(3);
        assertThat(reply.getMap("events[1]")).doesNotContainKey("count");
    }
}
