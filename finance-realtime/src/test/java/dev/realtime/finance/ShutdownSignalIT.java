package dev.realtime.finance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.realtime.service.contract.Tokens;
import dev.realtime.service.process.ServiceProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A real graceful shutdown: the packaged service gets SIGTERM while polls are parked. Every parked poll is
 * answered 200 (empty, with a cursor) at once; during the shutdown delay new polls get 503 and readiness is
 * down; nothing answers 5xx and the process exits cleanly.
 */
class ShutdownSignalIT {
    private static final Pattern CURSOR = Pattern.compile("\"cursor\":\"([^\"]+)\"");
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void sigterm_answersParkedPolls_thenRefusesNewOnes_andExitsCleanly() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(Map.of("quarkus.shutdown.delay-enabled", "true",
                "quarkus.shutdown.delay", "3s"))) {
            String subscribe = service.baseUrl() + "/finance/realtime/subscribe";
            String ready = service.managementUrl() + "/q/health/ready";
            // The management port serves liveness and Prometheus, apart from the public API.
            assertThat(http.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/health/live"))
                    .build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
            String metrics = http.send(HttpRequest.newBuilder(URI.create(service.managementUrl() + "/q/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).contains("realtime_waiters{domain=\"finance\"}")
                    .contains("realtime_poll_outcome_total").contains("realtime_events_dropped_total");
            String auth = Tokens.subscriber("org-sigterm");
            String cursor = cursorOf(get(subscribe, auth, null).body());
            List<CompletableFuture<HttpResponse<String>>> parked = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                parked.add(http.sendAsync(request(subscribe + "?waitMs=20000", auth, cursor),
                        HttpResponse.BodyHandlers.ofString()));
            }
            Thread.sleep(500);

            service.process().toHandle().destroy();
            long signalled = System.nanoTime();
            for (CompletableFuture<HttpResponse<String>> poll : parked) {
                HttpResponse<String> reply = poll.get(5, TimeUnit.SECONDS);
                assertThat(reply.statusCode()).isEqualTo(200);
                assertThat(reply.body()).contains("\"events\":[]").contains("\"reset\":false");
                assertThat(cursorOf(reply.body())).isNotBlank();
            }
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled)).isLessThan(2_000);
            HttpResponse<String> refused = get(subscribe, auth, cursor);
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.body()).contains("\"code\":\"shutting_down\"");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(ready)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(503);

            assertThat(service.process().waitFor(20, TimeUnit.SECONDS)).as("service exited").isTrue();
            assertThat(service.output()).doesNotContain("ERROR");
        }
    }

    private HttpRequest request(String url, String auth, String cursor) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth);
        if (cursor != null) {
            builder.header("Last-Event-ID", cursor);
        }
        return builder.build();
    }

    private HttpResponse<String> get(String url, String auth, String cursor) throws IOException, InterruptedException {
        return http.send(request(url, auth, cursor), HttpResponse.BodyHandlers.ofString());
    }

    private static String cursorOf(String body) {
        Matcher m = CURSOR.matcher(body);
        assertThat(m.find()).as("cursor in %s", body).isTrue();
        return m.group(1);
    }
}
