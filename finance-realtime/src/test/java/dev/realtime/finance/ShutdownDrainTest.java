package dev.realtime.finance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.matchesPattern;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.Tokens;
import dev.realtime.service.lifecycle.DrainReadiness;
import dev.realtime.service.lifecycle.ShutdownDrain;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

/**
 * The drain that begins a shutdown, in a boot of its own (it leaves the service draining): parked polls are
 * answered empty with a cursor, new polls get 503 with Retry-After, readiness is down, publishing still works.
 * (Readiness over HTTP, on the management port, is checked by {@link ShutdownSignalIT}.)
 * {@link ShutdownSignalIT} checks the same on a real SIGTERM to the packaged service.
 */
@QuarkusTest
@TestProfile(ShutdownDrainTest.Draining.class)
@QuarkusTestResource(ContractTestResource.class)
class ShutdownDrainTest {
    private static final String SUBSCRIBE = "/finance/realtime/subscribe";

    /** A profile of its own, so this test gets a fresh service. */
    public static final class Draining implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("realtime.poll.max-parked-per-subject", "8");
        }
    }

    @Inject
    ShutdownDrain drain;

    @Inject
    @Readiness
    DrainReadiness readiness;

    @Test
    void drain_answersParkedPolls_refusesNewOnes_andTakesReadinessDown() throws Exception {
        String org = "org-drain";
        String auth = Tokens.subscriber(org);
        String cursor = given().header("Authorization", auth).get(SUBSCRIBE).then().statusCode(200)
                .extract().path("cursor");
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        List<CompletableFuture<Response>> parked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            parked.add(CompletableFuture.supplyAsync(() -> given().header("Authorization", auth)
                    .header("Last-Event-ID", cursor).queryParam("waitMs", 20_000).get(SUBSCRIBE)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (parked() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(parked()).isEqualTo(3);

        long start = System.nanoTime();
        drain.begin();
        for (CompletableFuture<Response> poll : parked) {
            poll.get(5, TimeUnit.SECONDS).then().statusCode(200).body("events", empty())
                    .body("reset", equalTo(false)).body("cursor", matchesPattern("[A-Za-z0-9_-]+\\.\\d+"));
        }
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_000);

        Response refused = given().header("Authorization", auth).header("Last-Event-ID", cursor).get(SUBSCRIBE);
        refused.then().statusCode(503).contentType("application/problem+json").body("code", equalTo("shutting_down"));
        assertThat(refused.header("Retry-After")).matches("\\d+");
        assertThat(readiness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON)
                .body(Map.of("orgId", org, "type", "transaction.created", "entityId", "late"))
                .post("/finance/realtime/events").then().statusCode(202);
    }

    private long parked() {
        return given().header("Authorization", Tokens.admin("ops")).get("/finance/realtime/metrics").then()
                .extract().jsonPath().getLong("waiters");
    }
}
