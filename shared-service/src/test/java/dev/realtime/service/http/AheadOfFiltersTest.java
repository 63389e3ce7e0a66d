package dev.realtime.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class AheadOfFiltersTest {

    @Test
    void theServicesOwnConfiguration_allowsTheHotPathsAheadOfTheFilters() {
        assertThat(AheadOfFilters.filterConfigKey(List.of(
                "quarkus.http.auth.proactive", "quarkus.http.cors.enabled", "quarkus.http.cors.origins",
                "quarkus.http.limits.max-body-size", "quarkus.http.access-log.enabled", "realtime.domain",
                "QUARKUS_HTTP_PORT", "quarkus.security.users.embedded.enabled"))).isEmpty();
    }

    @Test
    void aPathPermission_keepsTheHotPathsBehindTheFilters() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("realtime.domain",
                "quarkus.http.auth.permission.admins.paths"))).contains("quarkus.http.auth.permission.admins.paths");
        assertThat(AheadOfFilters.filterConfigKey(List.of("quarkus.http.auth.permission.\"my-perm\".policy")))
                .isPresent();
    }

    @Test
    void aRestSecurityDefault_keepsThePublishBehindTheRestLayer() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("quarkus.security.jaxrs.deny-unannotated-endpoints")))
                .isPresent();
        assertThat(AheadOfFilters.filterConfigKey(List.of("QUARKUS_SECURITY_JAXRS_DEFAULT_ROLES_ALLOWED")))
                .isPresent();
    }

    @Test
    void headersAndFiltersInTheirDefaultOrder_doNotCount_theyRunAheadOfTheHotPaths() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("quarkus.http.header.\"X-Frame-Options\".value",
                "quarkus.http.filter.static.header.\"Cache-Control\"", "quarkus.http.filter.static.matches")))
                .isEmpty();
    }

    @Test
    void aFilterWithAnOrderOfItsOwn_keepsTheHotPathsBehindTheFilters() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("quarkus.http.filter.late.order"))).isPresent();
        assertThat(AheadOfFilters.filterConfigKey(List.of("QUARKUS_HTTP_FILTER_LATE_ORDER"))).isPresent();
    }

    @Test
    void namesFromTheEnvironment_count() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("QUARKUS_HTTP_AUTH_PERMISSION_ADMINS_POLICY")))
                .contains("QUARKUS_HTTP_AUTH_PERMISSION_ADMINS_POLICY");
    }
}
