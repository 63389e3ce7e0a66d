package dev.realtime.service.subscribe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AcceptsJsonTest {

    @Test
    void absentOrWildcardAccept_admitsJson() {
        assertThat(SubscribeRoute.acceptsJson(null)).isTrue();
        assertThat(SubscribeRoute.acceptsJson(" ")).isTrue();
        assertThat(SubscribeRoute.acceptsJson("*/*")).isTrue();
        assertThat(SubscribeRoute.acceptsJson("application/*")).isTrue();
        assertThat(SubscribeRoute.acceptsJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(SubscribeRoute.acceptsJson("text/html, application/json;q=0.5")).isTrue();
    }

    @Test
    void otherTypesOrZeroQuality_refuseJson() {
        assertThat(SubscribeRoute.acceptsJson("text/html")).isFalse();
        assertThat(SubscribeRoute.acceptsJson("text/*")).isFalse();
        assertThat(SubscribeRoute.acceptsJson("application/xml, text/plain")).isFalse();
        assertThat(SubscribeRoute.acceptsJson("application/json;q=0")).isFalse();
        assertThat(SubscribeRoute.acceptsJson("*/*; q=0.000")).isFalse();
    }
}
