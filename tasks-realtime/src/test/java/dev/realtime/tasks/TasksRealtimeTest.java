package dev.realtime.tasks;

import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.RealtimeContractTest;
import dev.realtime.service.contract.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API contract against the tasks service, plus its property scoping. */
@QuarkusTest
@QuarkusTestResource(ContractTestResource.class)
class TasksRealtimeTest extends RealtimeContractTest {

    private Map<String, Object> task(String org, String entityId, String propertyId, String type) {
        Map<String, Object> event = new HashMap<>(Map.of("orgId", org, "type", type, "entityId", entityId));
        event.put("propertyId", propertyId);
        return event;
    }

    private String token(String org, List<String> properties) {
        return Tokens.subscriber("u-" + properties, org, properties, Set.of());
    }

    @Test
    void propertyScopedEvents_reachOnlyTokensWithThatProperty() {
        String org = newOrg();
        String p1 = token(org, List.of("p1"));
        String p2 = token(org, List.of("p2"));
        String c1 = handshake(p1);
        String c2 = handshake(p2);
        publish(List.of(task(org, "t1", "p1", "task.updated"), task(org, "t2", "p2", "task.updated"),
                task(org, "t3", null, "task.created"))).then().statusCode(202);
        poll(p1, c1).get(subscribePath()).then().statusCode(200).body("events.entityId", equalTo(List.of("t1", "t3")));
        poll(p2, c2).get(subscribePath()).then().statusCode(200).body("events.entityId", equalTo(List.of("t2", "t3")));
    }

    @Test
    void statusTransitions_haveTheirOwnType() {
        String org = newOrg();
        String auth = token(org, List.of("p1"));
        String cursor = handshake(auth);
        publish(task(org, "t1", "p1", "task.status_changed")).then().statusCode(202);
        poll(auth, cursor).get(subscribePath()).then().body("events.type", equalTo(List.of("task.status_changed")));
    }

    @Test
    void burstOfOtherPropertiesEvents_neverResetsASubscriber() {
        String org = newOrg();
        String auth = token(org, List.of("p1"));
        String cursor = handshake(auth);
        List<Map<String, Object>> burst = new ArrayList<>();
        for (int i = 0; i < capacity + 50; i++) {
            burst.add(task(org, "other" + i, "p2", "task.updated"));
        }
        publish(burst).then().statusCode(202);
        publish(task(org, "mine", "p1", "task.updated")).then().statusCode(202);
        poll(auth, cursor).get(subscribePath()).then().statusCode(200).body("reset", equalTo(false))
                .body("events.entityId", equalTo(List.of("mine")));
        // A subscriber of p2 did lose events, and is told so.
        String p2 = token(org, List.of("p2"));
        poll(p2, cursor).get(subscribePath()).then().statusCode(200).body("reset", equalTo(true))
                .body("events", empty());
    }
}
