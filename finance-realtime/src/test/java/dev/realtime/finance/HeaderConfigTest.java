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
 * Configured response headers and filters in their default order reach the hot paths while those are served ahead
 * of Quarkus' filters, in a boot of its own: Quarkus runs them first of all.
 */
@QuarkusTest
@TestProfile(HeaderConfigTest.Headers.class)
@QuarkusTestResource(ContractTestResource.class)
class HeaderConfigTest {

    /** A configured header and a header filter on every response. */
    public static final class Headers implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "quarkus.http.header.\"X-Frame-Options\".value", "DENY",
                    "quarkus.http.filter.all.header.\"X-Filtered\"", "yes",
                    "quarkus.http.filter.all.matches", "/.*");
        }
    }

    @Inject
    AheadOfFilters aheadOfFilters;

    @Test
    void headers_leaveTheHotPathsAheadOfTheFilters() {
        // Also: none of Quarkus' own HttpSecurityPolicy beans counts as a global policy.
        assertThat(aheadOfFilters.enabled()).isTrue();
    }

    @Test
    void configuredHeaders_areOnTheLongPollsAnswer() {
        given().header("Authorization", Tokens.subscriber("org-headers")).get("/finance/realtime/subscribe")
                .then().statusCode(200).header("X-Frame-Options", "DENY").header("X-Filtered", "yes");
    }

    @Test
    void configuredHeaders_areOnThePublishAnswer() {
        given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON)
                .body(Map.of("orgId", "org-headers", "type", "transaction.created", "entityId", "x"))
                .post("/finance/realtime/events")
                .then().statusCode(202).header("X-Frame-Options", "DENY").header("X-Filtered", "yes");
    }
}
