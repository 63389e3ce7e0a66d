package dev.realtime.staff;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.RealtimeContractTest;
import dev.realtime.service.contract.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API contract against the staff service, plus the separate leave-request stream. */
@QuarkusTest
@QuarkusTestResource(ContractTestResource.class)
class StaffRealtimeTest extends RealtimeContractTest {

    private String leaveHandshake(String auth) {
        return given().header("Authorization", auth).queryParam("stream", "leave").get(subscribePath())
                .then().statusCode(200).extract().path("cursor");
    }

    @Test
    void leaveRequests_travelOnTheirOwnStream() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String main = handshake(auth);
        String leave = leaveHandshake(auth);
        publish(List.of(Map.of("orgId", org, "type", "leave.requested", "entityId", "lr-1"),
                Map.of("orgId", org, "type", "staff.updated", "entityId", "s-1"))).then().statusCode(202);
        poll(auth, main).get(subscribePath()).then().body("events.entityId", equalTo(List.of("s-1")));
        poll(auth, leave).queryParam("stream", "leave").get(subscribePath())
                .then().body("events.entityId", equalTo(List.of("lr-1")));
    }

    @Test
    void leaveBurst_neverPushesStaffEventsOut() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String main = handshake(auth);
        publish(Map.of("orgId", org, "type", "staff.updated", "entityId", "s-1")).then().statusCode(202);
        List<Map<String, Object>> burst = new ArrayList<>();
        for (int i = 0; i < capacity * 2; i++) {
            burst.add(Map.of("orgId", org, "type", "leave.requested", "entityId", "lr-" + i));
        }
        publish(burst).then().statusCode(202);
        poll(auth, main).get(subscribePath()).then().statusCode(200).body("reset", equalTo(false))
                .body("events.entityId", equalTo(List.of("s-1")));
    }
}
