package dev.realtime.finance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.Tokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The org limit, in a boot of its own with room for two orgs: a third org is refused with 503
 * {@code org_limit} and Retry-After, on subscribe and on publish, while buffered orgs keep working.
 */
@QuarkusTest
@TestProfile(OrgLimitTest.TwoOrgs.class)
@QuarkusTestResource(ContractTestResource.class)
class OrgLimitTest {
    private static final String SUBSCRIBE = "/finance/realtime/subscribe";

    /** Room for two orgs. */
    public static final class TwoOrgs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("realtime.buffer.max-orgs", "2");
        }
    }

    @Test
    void thirdOrg_isRefusedWith503_buffersOrgsKeepWorking() {
        given().header("Authorization", Tokens.subscriber("org-1")).get(SUBSCRIBE).then().statusCode(200);
        given().header("Authorization", Tokens.subscriber("org-2")).get(SUBSCRIBE).then().statusCode(200);

        Response poll = given().header("Authorization", Tokens.subscriber("org-3")).get(SUBSCRIBE);
        poll.then().statusCode(503).contentType("application/problem+json").body("code", equalTo("org_limit"));
        assertThat(poll.header("Retry-After")).matches("\\d+");

        Response publish = given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON)
                .body(Map.of("orgId", "org-3", "type", "transaction.created", "entityId", "x")).post(
                        "/finance/realtime/events");
        publish.then().statusCode(503).contentType("application/problem+json").body("code", equalTo("org_limit"));

        given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON)
                .body(Map.of("orgId", "org-1", "type", "transaction.created", "entityId", "x"))
                .post("/finance/realtime/events").then().statusCode(202);
    }

    @Test
    void unacceptableMediaType_is406Problem() {
        given().header("Authorization", Tokens.subscriber("org-1")).accept("text/html").get(SUBSCRIBE)
                .then().statusCode(406).contentType("application/problem+json").body("code", equalTo("not_acceptable"));
    }
}
