package dev.realtime.finance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.realtime.service.contract.Tokens;
import dev.realtime.service.process.RedisServer;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two replicas of the packaged finance service (two processes) on one real redis-server: events published on
 * one reach subscribers of the other, cursors travel between them, and neither a killed replica nor a Redis
 * restart loses an event that was acknowledged with 202.
 */
class ScaleOutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TYPE = "transaction.created";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private RedisServer redis;
    private ServiceProcess a;
    private ServiceProcess b;

    @BeforeEach
    void start() {
        redis = RedisServer.start();
        Map<String, String> scaleOut = Map.of("realtime.fanout", "redis", "quarkus.redis.hosts", redis.url(),
                "realtime.redis.max-backoff", "500ms");
        a = ServiceProcess.start(scaleOut);
        b = ServiceProcess.start(scaleOut);
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // Best effort: the next test starts fresh processes on fresh ports.
            }
        }
    }

    @Test
    void publishOnA_reachesAPollParkedOnB_within100ms_andCursorsTravel() throws Exception {
        // Warm both JVMs up (first requests load classes and compile the Lua script): steady state is measured.
        String warm = Tokens.subscriber("org-warm");
        for (int i = 0; i < 20; i++) {
            String c = poll(b, warm, null, 0).get("cursor").asText();
            publish(a, List.of(event("org-warm", "w" + i)));
            poll(b, warm, c, 2_000);
        }
        String org = "org-scale";
        String auth = Tokens.subscriber(org);
        String cursor = poll(b, auth, null, 0).get("cursor").asText();
        CompletableFuture<JsonNode> parked = CompletableFuture.supplyAsync(() -> poll(b, auth, cursor, 20_000));
        Thread.sleep(300);
        long start = System.nanoTime();
        assertThat(publish(a, List.of(event(org, "e1"))).statusCode()).isEqualTo(202);
        JsonNode reply = parked.get(10, TimeUnit.SECONDS);
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(ids(reply)).containsExactly("e1");
        assertThat(latencyMs).as("publish on A -> poll on B, ms").isLessThan(100);

        // A cursor from A continues on B with no gap and no duplicate.
        String fromA = poll(a, auth, cursor, 0).get("cursor").asText();
        publish(b, List.of(event(org, "e2"), event(org, "e3"))).statusCode();
        JsonNode onB = poll(b, auth, fromA, 0);
        assertThat(onB.get("reset").asBoolean()).isFalse();
        assertThat(ids(onB)).containsExactly("e2", "e3");
        JsonNode onA = poll(a, auth, fromA, 5_000);
        assertThat(ids(onA)).containsExactly("e2", "e3");
        assertThat(onA.get("cursor").asText()).isEqualTo(onB.get("cursor").asText());
    }

    @Test
    void repeatedEventId_isAcceptedOnceAcrossReplicas() {
        String org = "org-idem";
        String auth = Tokens.subscriber(org);
        String start = poll(a, auth, null, 0).get("cursor").asText();
        HttpResponse<String> first = publish(a, List.of(event(org, "once")));
        HttpResponse<String> again = publish(b, List.of(event(org, "once")));
        assertThat(first.statusCode()).isEqualTo(202);
        assertThat(first.body()).contains("\"duplicates\":0");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.body()).contains("\"duplicates\":1");
        publish(b, List.of(event(org, "next")));
        assertThat(readAll(a, auth, start, 2)).containsExactly("once", "next");
        assertThat(readAll(b, auth, start, 2)).containsExactly("once", "next");
    }

    @Test
    void killedReplica_restarts_andEverySubscriberSeesEveryEventOnceInOrder() throws Exception {
        String org = "org-kill";
        String auth = Tokens.subscriber(org);
        String start = poll(b, auth, null, 0).get("cursor").asText();
        List<String> published = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            if (i == 20) {
                a.kill();
            }
            if (i == 40) {
                a.restart();
            }
            String id = "k" + i;
            assertThat(publish(b, List.of(event(org, id))).statusCode()).isEqualTo(202);
            published.add(id);
        }
        assertThat(readAll(a, auth, start, published.size())).containsExactlyElementsOf(published);
        assertThat(readAll(b, auth, start, published.size())).containsExactlyElementsOf(published);
    }

    @Test
    void redisRestart_publishesDuringTheOutageAre503_acknowledgedEventsAreDelivered_andServiceRecovers()
            throws Exception {
        String org = "org-outage";
        String auth = Tokens.subscriber(org);
        String start = poll(a, auth, null, 0).get("cursor").asText();
        assertThat(publish(a, List.of(event(org, "before"))).statusCode()).isEqualTo(202);
        assertThat(ids(poll(b, auth, start, 5_000))).containsExactly("before");

        redis.kill();
        HttpResponse<String> refused = publish(a, List.of(event(org, "during")));
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("\"code\":\"log_unavailable\"");
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        // Subscribers keep being served from the local buffers meanwhile.
        assertThat(ids(poll(a, auth, start, 0))).containsExactly("before");

        redis.restart();
        List<String> after = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (after.size() < 5 && System.nanoTime() < deadline) {
            String id = "after" + after.size();
            if (publish(a, List.of(event(org, id))).statusCode() == 202) {
                after.add(id);
            } else {
                Thread.sleep(100);
            }
        }
        assertThat(after).as("publishes accepted after Redis came back").hasSize(5);
        a.awaitReady(Duration.ofSeconds(20));
        b.awaitReady(Duration.ofSeconds(20));
        // Redis lost its data: a new epoch. An old cursor is reset, never silently continued; every event
        // acknowledged since is delivered, in order, on both replicas.
        for (ServiceProcess replica : List.of(a, b)) {
            JsonNode stale = poll(replica, auth, start, 0);
            assertThat(stale.get("reset").asBoolean()).as("old cursor on %s", replica.baseUrl()).isTrue();
            String epoch = stale.get("cursor").asText().split("\\.")[0];
            assertThat(readAll(replica, auth, epoch + ".0", after.size())).containsExactlyElementsOf(after);
        }
    }

    private List<String> readAll(ServiceProcess replica, String auth, String from, int expected) {
        List<String> seen = new ArrayList<>();
        String cursor = from;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (seen.size() < expected && System.nanoTime() < deadline) {
            JsonNode reply = poll(replica, auth, cursor, 2_000);
            assertThat(reply.get("reset").asBoolean()).as("reset on %s", replica.baseUrl()).isFalse();
            seen.addAll(ids(reply));
            cursor = reply.get("cursor").asText();
        }
        return seen;
    }

    private static Map<String, Object> event(String org, String entityId) {
        return Map.of("orgId", org, "type", TYPE, "entityId", entityId, "eventId", "id-" + entityId);
    }

    private static List<String> ids(JsonNode reply) {
        List<String> ids = new ArrayList<>();
        reply.get("events").forEach(e -> ids.add(e.get("entityId").asText()));
        return ids;
    }

    private HttpResponse<String> publish(ServiceProcess replica, List<Map<String, Object>> events) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(replica.baseUrl() + "/finance/realtime/events"))
                    .header("Authorization", Tokens.publisher()).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(events))).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode poll(ServiceProcess replica, String auth, String cursor, int waitMs) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(replica.baseUrl()
                + "/finance/realtime/subscribe?waitMs=" + waitMs)).header("Authorization", auth)
                .timeout(Duration.ofSeconds(30));
        if (cursor != null) {
            request.header("Last-Event-ID", cursor);
        }
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            return JSON.readTree(response.body());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
