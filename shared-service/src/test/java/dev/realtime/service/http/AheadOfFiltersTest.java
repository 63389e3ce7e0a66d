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
                "QUARKUS_HTTP_PORT"))).isEmpty();
    }

    @Test
    void aPathPermission_keepsTheHotPathsBehindTheFilters() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("realtime.domain",
                "quarkus.http.auth.permission.admins.paths"))).contains("quarkus.http.auth.permission.admins.paths");
    }

    @Test
    void headersAndFilters_doNotCount_theyReachTheHotPathsAnyway() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("quarkus.http.header.\"X-Frame-Options\".value",
                "quarkus.http.filter.static.header.\"Cache-Control\""))).isEmpty();
    }

    @Test
    void namesFromTheEnvironment_count() {
        assertThat(AheadOfFilters.filterConfigKey(List.of("QUARKUS_HTTP_AUTH_PERMISSION_ADMINS_POLICY")))
                .contains("QUARKUS_HTTP_AUTH_PERMISSION_ADMINS_POLICY");
    }
}
