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
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operator's configuration of Quarkus' HTTP filter chain holds on the hot paths too, in a boot of its own: with
 * a path permission configured, the long-poll and the publish are not served ahead of the filters
 * ({@link AheadOfFilters}), so the permission refuses; configured response headers and filters reach them as every
 * other path (they do ahead of the filters as well).
 */
@QuarkusTest
@TestProfile(FilterConfigTest.PermissionAndHeader.class)
@QuarkusTestResource(ContractTestResource.class)
class FilterConfigTest {
    private static final String SUBSCRIBE = "/finance/realtime/subscribe";
    private static final String EVENTS = "/finance/realtime/events";

    /** Publishing closed by a path permission; a configured header and a header filter on every response. */
    public static final class PermissionAndHeader implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.auth.permission.no-publish.paths", EVENTS,
                    "quarkus.http.auth.permission.no-publish.policy", "deny",
                    "quarkus.http.header.\"X-Frame-Options\".value", "DENY",
                    "quarkus.http.filter.all.header.\"X-Filtered\"", "yes",
                    "quarkus.http.filter.all.matches", "/.*");
        }
    }

    @Inject
    AheadOfFilters aheadOfFilters;

    @Test
    void filterConfiguration_keepsTheHotPathsBehindTheFilters() {
        assertThat(aheadOfFilters.enabled()).isFalse();
    }

    @Test
    void configuredHeaders_areOnTheLongPollsAnswer() {
        given().header("Authorization", Tokens.subscriber("org-filters")).get(SUBSCRIBE)
                .then().statusCode(200).header("X-Frame-Options", "DENY").header("X-Filtered", "yes");
    }

    @Test
    void pathPermission_refusesAPublishWithAValidToken() {
        Response publish = given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON)
                .body(Map.of("orgId", "org-filters", "type", "transaction.created", "entityId", "x")).post(EVENTS);
        assertThat(publish.statusCode()).isIn(401, 403);
    }
}
