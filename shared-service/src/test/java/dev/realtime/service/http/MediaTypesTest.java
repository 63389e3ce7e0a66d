package dev.realtime.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MediaTypesTest {

    @Test
    void absentOrWildcardAccept_admitsJson() {
        assertThat(MediaTypes.acceptsJson(null)).isTrue();
        assertThat(MediaTypes.acceptsJson(" ")).isTrue();
        assertThat(MediaTypes.acceptsJson("*/*")).isTrue();
        assertThat(MediaTypes.acceptsJson("application/*")).isTrue();
        assertThat(MediaTypes.acceptsJson("Application/JSON; charset=utf-8")).isTrue();
        assertThat(MediaTypes.acceptsJson("text/html, application/json;q=0.5")).isTrue();
    }

    @Test
    void otherTypesOrZeroQuality_refuseJson() {
        assertThat(MediaTypes.acceptsJson("text/html")).isFalse();
        assertThat(MediaTypes.acceptsJson("text/*")).isFalse();
        assertThat(MediaTypes.acceptsJson("application/xml, text/plain")).isFalse();
        assertThat(MediaTypes.acceptsJson("application/json;q=0")).isFalse();
        assertThat(MediaTypes.acceptsJson("*/*; q=0.000")).isFalse();
    }

    @Test
    void jsonContentType_withOrWithoutParameters() {
        assertThat(MediaTypes.isJson("application/json")).isTrue();
        assertThat(MediaTypes.isJson("Application/JSON ; charset=UTF-8")).isTrue();
        assertThat(MediaTypes.isJson(null)).isFalse();
        assertThat(MediaTypes.isJson("text/plain")).isFalse();
        assertThat(MediaTypes.isJson("application/jsonx")).isFalse();
        assertThat(MediaTypes.isJson("application/problem+json")).isFalse();
    }
}
