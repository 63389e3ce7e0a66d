package dev.realtime.finance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.Tokens;
import dev.realtime.service.http.AheadOfFilters;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An HTTP path permission holds on the hot paths too, in a boot of its own: with one configured, the long-poll and
 * the publish are not served ahead of Quarkus' filters ({@link AheadOfFilters}), so the permission refuses requests
 * whose tokens the hot paths themselves would accept.
 */
@QuarkusTest
@TestProfile(FilterConfigTest.ClosedByPermission.class)
@QuarkusTestResource(ContractTestResource.class)
class FilterConfigTest {
    private static final String SUBSCRIBE = "/finance/realtime/subscribe";
    private static final String EVENTS = "/finance/realtime/events";

    /** Both hot paths closed by a path permission. */
    public static final class ClosedByPermission implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.auth.permission.closed.paths", SUBSCRIBE + "," + EVENTS,
                    "quarkus.http.auth.permission.closed.policy", "deny");
        }
    }

    @Inject
    AheadOfFilters aheadOfFilters;

    @Test
    void aPathPermission_keepsTheHotPathsBehindTheFilters() {
        assertThat(aheadOfFilters.enabled()).isFalse();
    }

    @Test
    void pathPermission_refusesALongPollWithAValidToken() {
        int status = given().header("Authorization", Tokens.subscriber("org-filters")).get(SUBSCRIBE).statusCode();
        assertThat(status).isIn(401, 403);
    }

    @Test
    void pathPermission_refusesAPublishWithAValidToken() {
        int status = given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON)
                .body(Map.of("orgId", "org-filters", "type", "transaction.created", "entityId", "x")).post(EVENTS)
                .statusCode();
        assertThat(status).isIn(401, 403);
    }
}
