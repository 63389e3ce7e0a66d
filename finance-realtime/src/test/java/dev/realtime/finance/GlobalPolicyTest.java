package dev.realtime.finance;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.Tokens;
import dev.realtime.service.http.AheadOfFilters;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Inject;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A global {@link HttpSecurityPolicy} bean holds on the hot paths too, in a boot of its own that enables one: the
 * long-poll is then not served ahead of Quarkus' filters ({@link AheadOfFilters}), and the policy refuses it.
 */
@QuarkusTest
@TestProfile(GlobalPolicyTest.WithGlobalPolicy.class)
@QuarkusTestResource(ContractTestResource.class)
class GlobalPolicyTest {

    /** Enables {@link ClosedRealtimePaths}. */
    public static final class WithGlobalPolicy implements QuarkusTestProfile {
        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ClosedRealtimePaths.class);
        }
    }

    /** A global policy (no name): denies every request under {@code /finance/realtime/}. */
    @Alternative
    @ApplicationScoped
    public static class ClosedRealtimePaths implements HttpSecurityPolicy {
        @Override
        public Uni<CheckResult> checkPermission(RoutingContext request, Uni<SecurityIdentity> identity,
                AuthorizationRequestContext context) {
            return Uni.createFrom().item(request.normalizedPath().startsWith("/finance/realtime/")
                    ? CheckResult.DENY : CheckResult.PERMIT);
        }
    }

    @Inject
    AheadOfFilters aheadOfFilters;

    @Test
    void aGlobalPolicy_keepsTheHotPathsBehindTheFilters() {
        assertThat(aheadOfFilters.enabled()).isFalse();
    }

    @Test
    void globalPolicy_refusesALongPollWithAValidToken() {
        int status = given().header("Authorization", Tokens.subscriber("org-policy"))
                .get("/finance/realtime/subscribe").statusCode();
        assertThat(status).isIn(401, 403);
    }
}
