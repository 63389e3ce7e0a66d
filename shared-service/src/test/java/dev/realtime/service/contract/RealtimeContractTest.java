package dev.realtime.service.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

/**
 * The wire contract of API.md, run by every domain module against its own service ({@code @QuarkusTest}
 * subclasses). It publishes distinct entities to fresh orgs, so it holds for every domain's policy: tasks'
 * property filter and users' redaction pass unscoped, payload-agnostic events through. Subclasses declare
 * {@code @QuarkusTestResource(ContractTestResource.class)}: only annotations in the module's own test classes
 * are found when the suite runs against the packaged artifact.
 */
public abstract class RealtimeContractTest {
    protected static final String CURSOR = "[A-Za-z0-9_-]{1,32}\\.\\d+";

    protected final String domain = config("realtime.domain");
    protected final int capacity = Integer.parseInt(config("realtime.buffer.capacity"));

    protected static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    /** Returns a type this domain accepts (the first allow-list entry, a prefix completed with {@code updated}). */
    protected String allowedType() {
        String first = ConfigProvider.getConfig().getValue("realtime.event-types", String[].class)[0].trim();
        return first.endsWith(".*") ? first.substring(0, first.length() - 1) + "updated" : first;
    }

    protected String subscribePath() {
        return "/" + domain + "/realtime/subscribe";
    }

    protected String eventsPath() {
        return "/" + domain + "/realtime/events";
    }

    /** Returns how many polls the service has parked, as its metrics endpoint says. */
    protected long parkedPolls() {
        return given().header("Authorization", Tokens.admin("metrics-reader")).get("/" + domain + "/realtime/metrics")
                .then().statusCode(200).extract().jsonPath().getLong("waiters");
    }

    /** Waits (bounded) until at least {@code count} polls are parked. */
    protected void awaitParked(long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (parkedPolls() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(parkedPolls()).as("polls parked").isGreaterThanOrEqualTo(count);
    }

    protected static String newOrg() {
        return "org-" + UUID.randomUUID();
    }

    protected Map<String, Object> event(String orgId, String entityId) {
        return Map.of("orgId", orgId, "type", allowedType(), "entityId", entityId,
                "payload", Map.of("id", entityId, "amount", 12.5));
    }

    protected Response publish(Object body) {
        return given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON).body(body)
                .post(eventsPath());
    }

    protected String handshake(String auth) {
        return given().header("Authorization", auth).get(subscribePath()).then().statusCode(200)
                .extract().path("cursor");
    }

    protected RequestSpecification poll(String auth, String cursor) {
        return given().header("Authorization", auth).header("Last-Event-ID", cursor);
    }

    protected static void assertProblem(Response response, int status, String code) {
        response.then().statusCode(status).contentType("application/problem+json")
                .body("code", equalTo(code)).body("status", equalTo(status))
                .body("type", containsString(code)).body("title", notNullValue()).body("detail", notNullValue());
        assertThat(response.asString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    // ---- subscribe ----------------------------------------------------------------------------------------

    @Test
    void handshake_returnsCursorNoEventsAndClientHints() {
        given().header("Authorization", Tokens.subscriber(newOrg())).get(subscribePath())
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("cursor", matchesPattern(CURSOR)).body("events", empty()).body("reset", equalTo(false))
                .body("config.maxWaitMs", equalTo(25_000))
                .body("config.debounceMs", equalTo(debounceMs()));
    }

    private int debounceMs() {
        return (int) ConfigProvider.getConfig().getValue("realtime.client.debounce", java.time.Duration.class)
                .toMillis();
    }

    @Test
    void publishedEvent_isDeliveredToItsOrg_withTheWireFields() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String cursor = handshake(auth);
        publish(List.of(event(org, "row-1"))).then().statusCode(202).contentType(ContentType.JSON)
                .body("accepted", equalTo(1)).body("cursor", matchesPattern(CURSOR));
        JsonPath reply = poll(auth, cursor).get(subscribePath()).then().statusCode(200).extract().jsonPath();
        assertThat(reply.getList("events")).hasSize(1);
        assertThat(reply.getString("events[0].orgId")).isEqualTo(org);
        assertThat(reply.getString("events[0].type")).isEqualTo(allowedType());
        assertThat(reply.getString("events[0].entityId")).isEqualTo("row-1");
        assertThat(reply.getString("events[0].eventId")).isNotBlank();
        assertThat(reply.getLong("events[0].ts")).isPositive();
        assertThat(reply.getBoolean("reset")).isFalse();
        assertThat(reply.getString("cursor")).matches(CURSOR).isNotEqualTo(cursor);
    }

    @Test
    void cursor_inQueryWorks_andTheHeaderWins() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String start = handshake(auth);
        publish(event(org, "a")).then().statusCode(202);
        String afterA = poll(auth, start).get(subscribePath()).then().extract().path("cursor");
        publish(event(org, "b")).then().statusCode(202);
        given().header("Authorization", auth).queryParam("cursor", start).get(subscribePath())
                .then().statusCode(200).body("events.entityId", equalTo(List.of("a", "b")));
        poll(auth, afterA).queryParam("cursor", start).get(subscribePath())
                .then().statusCode(200).body("events.entityId", equalTo(List.of("b")));
    }

    @Test
    void parkedPoll_isAnsweredWithin200msOfThePublish() throws Exception {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String cursor = handshake(auth);
        long waitersBefore = parkedPolls();
        CompletableFuture<Response> parked = CompletableFuture.supplyAsync(
                () -> poll(auth, cursor).queryParam("waitMs", 20_000).get(subscribePath()));
        awaitParked(waitersBefore + 1);
        publish(event(org, "wake")).then().statusCode(202);
        long published = System.nanoTime();
        Response reply = parked.get(10, TimeUnit.SECONDS);
        long latencyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - published);
        reply.then().statusCode(200).body("events.entityId", equalTo(List.of("wake")));
        assertThat(latencyMs).as("publish → parked poll answered, ms").isLessThan(200);
    }

    @Test
    void waitZero_answersAtOnceWithTheSameCursor() {
        String auth = Tokens.subscriber(newOrg());
        String cursor = handshake(auth);
        poll(auth, cursor).queryParam("waitMs", 0).get(subscribePath()).then().statusCode(200)
                .body("events", empty()).body("reset", equalTo(false)).body("cursor", matchesPattern(CURSOR));
    }

    @Test
    void timeout_answersEmptyWithACursor() {
        String auth = Tokens.subscriber(newOrg());
        String cursor = handshake(auth);
        long start = System.nanoTime();
        poll(auth, cursor).queryParam("waitMs", 300).get(subscribePath()).then().statusCode(200)
                .body("events", empty()).body("reset", equalTo(false)).body("cursor", matchesPattern(CURSOR));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(250);
    }

    @Test
    void tenantIsolation_byTokenOrg_neverByRequest() {
        String mine = newOrg();
        String other = newOrg();
        String auth = Tokens.subscriber(mine);
        String cursor = handshake(auth);
        publish(List.of(event(other, "secret"), event(mine, "mine"))).then().statusCode(202);
        poll(auth, cursor).queryParam("orgId", other).get(subscribePath()).then().statusCode(200)
                .body("events.entityId", equalTo(List.of("mine")))
                .body("events.orgId", equalTo(List.of(mine)));
    }

    @Test
    void overflow_resetsAClientThatFellBehind_thenItContinues() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String cursor = handshake(auth);
        List<Map<String, Object>> batch = new ArrayList<>();
        for (int i = 0; i <= capacity; i++) {
            batch.add(event(org, "e" + i));
        }
        publish(batch).then().statusCode(202).body("accepted", equalTo(capacity + 1));
        String current = poll(auth, cursor).get(subscribePath()).then().statusCode(200)
                .body("reset", equalTo(true)).body("events", empty()).extract().path("cursor");
        publish(event(org, "after")).then().statusCode(202);
        poll(auth, current).get(subscribePath()).then().statusCode(200).body("reset", equalTo(false))
                .body("events.entityId", equalTo(List.of("after")));
    }

    @Test
    void foreignEpoch_isReset() {
        String auth = Tokens.subscriber(newOrg());
        handshake(auth);
        poll(auth, "someotherepoch.5").queryParam("waitMs", 0).get(subscribePath()).then().statusCode(200)
                .body("reset", equalTo(true)).body("events", empty()).body("cursor", matchesPattern(CURSOR));
    }

    @Test
    void malformedCursor_is400NotAReset() {
        String auth = Tokens.subscriber(newOrg());
        for (String bad : List.of("garbage", "a.b", "abc.-1", "abc.01", ".5", "x".repeat(70) + ".1")) {
            assertProblem(poll(auth, bad).get(subscribePath()), 400, "cursor_invalid");
        }
        assertProblem(given().header("Authorization", auth).queryParam("cursor", "nope").get(subscribePath()), 400,
                "cursor_invalid");
    }

    @Test
    void badQueryValues_are400() {
        String auth = Tokens.subscriber(newOrg());
        String cursor = handshake(auth);
        assertProblem(poll(auth, cursor).queryParam("waitMs", "soon").get(subscribePath()), 400, "parameter_invalid");
        assertProblem(poll(auth, cursor).queryParam("stream", "no-such-stream").get(subscribePath()), 400,
                "stream_unknown");
    }

    @Test
    void tooManyParkedPolls_are429WithRetryAfter() throws Exception {
        int max = ContractTestResource.MAX_PARKED_PER_SUBJECT;
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String cursor = handshake(auth);
        long waitersBefore = parkedPolls();
        List<CompletableFuture<Response>> parked = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            parked.add(CompletableFuture.supplyAsync(
                    () -> poll(auth, cursor).queryParam("waitMs", 20_000).get(subscribePath())));
        }
        awaitParked(waitersBefore + max);
        Response refused = poll(auth, cursor).queryParam("waitMs", 20_000).get(subscribePath());
        assertProblem(refused, 429, "too_many_polls");
        assertThat(refused.header("Retry-After")).matches("\\d+");
        publish(event(org, "release")).then().statusCode(202);
        for (CompletableFuture<Response> f : parked) {
            f.get(10, TimeUnit.SECONDS).then().statusCode(200).body("events", hasSize(1));
        }
    }

    // ---- auth ---------------------------------------------------------------------------------------------

    @Test
    void auth_missingEmptyMalformedExpiredForeign_are401WithCodes() {
        String org = newOrg();
        assertUnauthorized(given().get(subscribePath()), "token_missing");
        assertUnauthorized(given().header("Authorization", "").get(subscribePath()), "token_missing");
        assertUnauthorized(given().header("Authorization", "Bearer ").get(subscribePath()), "token_missing");
        assertUnauthorized(given().header("Authorization", "Bearer not.a.jwt").get(subscribePath()), "token_invalid");
        assertUnauthorized(given().header("Authorization", "Basic dXNlcjpwYXNz").get(subscribePath()),
                "token_invalid");
        assertUnauthorized(given().header("Authorization", Tokens.expired(org)).get(subscribePath()), "token_expired");
        assertUnauthorized(given().header("Authorization", Tokens.foreignIssuer(org)).get(subscribePath()),
                "token_invalid");
        assertUnauthorized(given().header("Authorization", Tokens.foreignKey(org)).get(subscribePath()),
                "token_invalid");
        assertUnauthorized(given().header("Authorization", Tokens.unsigned(org)).get(subscribePath()),
                "token_invalid");
        assertUnauthorized(given().header("Authorization", Tokens.foreignKey(org)).contentType(ContentType.JSON)
                .body(event(org, "x")).post(eventsPath()), "token_invalid");
        assertUnauthorized(given().header("Authorization", Tokens.unsigned(org)).contentType(ContentType.JSON)
                .body(event(org, "x")).post(eventsPath()), "token_invalid");
    }

    private static void assertUnauthorized(Response response, String code) {
        assertProblem(response, 401, code);
        assertThat(response.header("WWW-Authenticate")).isEqualTo("Bearer error=\"invalid_token\"");
    }

    @Test
    void auth_validTokenWithoutNeededClaimOrGroup_is403() {
        String org = newOrg();
        String noOrg = Tokens.sign(Tokens.claims("u", null, java.util.Set.of()));
        assertProblem(given().header("Authorization", noOrg).get(subscribePath()), 403, "org_claim_missing");
        assertProblem(given().header("Authorization", Tokens.subscriber(org)).contentType(ContentType.JSON)
                .body(event(org, "x")).post(eventsPath()), 403, "group_required");
        assertProblem(given().header("Authorization", Tokens.subscriber(org)).get("/" + domain + "/realtime/metrics"),
                403, "group_required");
    }

    // ---- publish ------------------------------------------------------------------------------------------

    @Test
    void publish_invalidItems_nameIndexAndField_andApplyNothing() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String cursor = handshake(auth);
        List<Object> batch = new ArrayList<>(List.of(event(org, "ok-0"), event(org, "ok-1")));
        batch.add(Map.of("orgId", org, "type", allowedType()));
        Response response = publish(batch);
        assertProblem(response, 400, "event_invalid");
        response.then().body("index", equalTo(2)).body("field", equalTo("entityId"));
        poll(auth, cursor).queryParam("waitMs", 0).get(subscribePath()).then().body("events", empty());
    }

    @Test
    void publish_validationRules() {
        String org = newOrg();
        Response notAllowed = publish(List.of(event(org, "a"), Map.of("orgId", org, "type", "nope.nope",
                "entityId", "x")));
        assertProblem(notAllowed, 400, "type_not_allowed");
        notAllowed.then().body("index", equalTo(1)).body("field", equalTo("type"));
        Response notObject = publish(Map.of("orgId", org, "type", allowedType(), "entityId", "x", "payload",
                List.of(1)));
        assertProblem(notObject, 400, "event_invalid");
        notObject.then().body("field", equalTo("payload"));
        assertProblem(publish(Map.of("orgId", 5, "type", allowedType(), "entityId", "x")), 400, "event_invalid");
        assertProblem(publish(Map.of("orgId", org, "type", allowedType(), "entityId", "x", "extra", 1)), 400,
                "event_invalid");
        assertProblem(publish(Map.of("orgId", "", "type", allowedType(), "entityId", "x")), 400, "event_invalid");
        assertProblem(publish(List.of()), 400, "event_invalid");
        assertProblem(publish("[1,2"), 400, "json_invalid");
        assertProblem(publish("{\"orgId\":\"a\",\"orgId\":\"b\"}"), 400, "json_invalid");
        assertProblem(publish("42"), 400, "event_invalid");
        assertProblem(given().header("Authorization", Tokens.publisher()).contentType(ContentType.TEXT)
                .body("hello").post(eventsPath()), 415, "media_type_unsupported");
    }

    @Test
    void publish_sizeLimits() {
        String org = newOrg();
        Map<String, Object> big = Map.of("orgId", org, "type", allowedType(), "entityId", "x",
                "payload", Map.of("blob", "x".repeat(64 * 1024)));
        Response tooBig = publish(big);
        assertProblem(tooBig, 400, "payload_too_large");
        tooBig.then().body("field", equalTo("payload"));
        List<Map<String, Object>> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(event(org, "e" + i));
        }
        assertProblem(publish(many), 413, "batch_too_large");
        List<Map<String, Object>> heavy = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            heavy.add(Map.of("orgId", org, "type", allowedType(), "entityId", "h" + i,
                    "payload", Map.of("blob", "y".repeat(60 * 1024))));
        }
        assertProblem(publish(heavy), 413, "batch_too_large");
    }

    @Test
    void publish_repeatedEventId_isAcceptedOnce() {
        String org = newOrg();
        String auth = Tokens.subscriber(org);
        String cursor = handshake(auth);
        Map<String, Object> once = Map.of("orgId", org, "type", allowedType(), "entityId", "x", "eventId", "dup-1",
                "payload", Map.of());
        publish(once).then().statusCode(202).body("duplicates", equalTo(0));
        publish(once).then().statusCode(202).body("duplicates", equalTo(1));
        poll(auth, cursor).queryParam("waitMs", 0).get(subscribePath()).then().statusCode(200)
                .body("events.eventId", equalTo(List.of("dup-1")));
    }

    /**
     * A publish with a declared length is served ahead of the REST layer (PublishRoute), a chunked one by the
     * JAX-RS resource: the same body must get the same answer either way, and the two share one duplicate check.
     */
    @Test
    void publish_answersTheSameWhicheverWayTheBodyArrives() throws Exception {
        String org = newOrg();
        String body = "{\"orgId\":\"" + org + "\",\"type\":\"" + allowedType()
                + "\",\"entityId\":\"x\",\"eventId\":\"both-ways\",\"payload\":{}}";
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        Response declared = given().header("Authorization", Tokens.publisher())
                .contentType("application/json; charset=utf-8").body(bytes).post(eventsPath());
        declared.then().statusCode(202).contentType(ContentType.JSON).body("accepted", equalTo(1))
                .body("duplicates", equalTo(0)).body("cursor", matchesPattern(CURSOR));
        HttpResponse<String> chunked = postChunked(Tokens.publisher(), bytes);
        assertThat(chunked.statusCode()).isEqualTo(202);
        assertThat(chunked.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonPath reply = JsonPath.from(chunked.body());
        assertThat(reply.getInt("accepted")).isEqualTo(1);
        assertThat(reply.getInt("duplicates")).isEqualTo(1);
        assertThat(reply.getString("cursor")).isEqualTo(declared.path("cursor"));

        assertProblem(given().header("Authorization", Tokens.publisher()).contentType(ContentType.JSON).body("{")
                .post(eventsPath()), 400, "json_invalid");
        HttpResponse<String> bad = postChunked(Tokens.publisher(), new byte[] {'{'});
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(JsonPath.from(bad.body()).getString("code")).isEqualTo("json_invalid");
        assertProblem(given().contentType(ContentType.JSON).body(bytes).post(eventsPath()), 401, "token_missing");
    }

    /** POSTs {@code body} to the publish path with chunked transfer encoding (no Content-Length). */
    private HttpResponse<String> postChunked(String authorization, byte[] body) throws Exception {
        URI uri = URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port + eventsPath());
        HttpRequest request = HttpRequest.newBuilder(uri)
                .header("Authorization", authorization).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body)))
                .build();
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                .send(request, HttpResponse.BodyHandlers.ofString());
    }

    // ---- surface ------------------------------------------------------------------------------------------

    @Test
    void unknownRoutesAndMethods_areProblems() {
        assertProblem(given().get("/no/such/path"), 404, "not_found");
        assertProblem(given().header("Authorization", Tokens.subscriber(newOrg())).get("/otherdomain/realtime/subscribe"),
                404, "not_found");
        assertProblem(given().header("Authorization", Tokens.publisher()).delete(subscribePath()), 405,
                "method_not_allowed");
        assertProblem(given().header("Authorization", Tokens.publisher()).get(eventsPath()), 405,
                "method_not_allowed");
    }

    @Test
    void metrics_forAdmins() {
        String org = newOrg();
        publish(event(org, "m")).then().statusCode(202);
        given().header("Authorization", Tokens.admin(org)).get("/" + domain + "/realtime/metrics")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("orgs", notNullValue()).body("eventsBuffered", notNullValue()).body("waiters", notNullValue())
                .body("published", notNullValue()).body("delivered", notNullValue())
                .body("dropped.capacity", notNullValue()).body("dropped.ttl", notNullValue())
                .body("dropped.idle", notNullValue()).body("polls.events", notNullValue())
                .body("polls.empty", notNullValue()).body("polls.reset", notNullValue())
                .body("polls.rejected", notNullValue()).body("deliveryLatencyMs.count", notNullValue())
                .body("evictions", notNullValue());
    }

    @Test
    void corsPreflight_isCachedAndAllowsLastEventId() {
        String origin = config("quarkus.http.cors.origins").split(",")[0].trim();
        given().header("Origin", origin).header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization,last-event-id")
                .options(subscribePath()).then().statusCode(200)
                .header("Access-Control-Allow-Origin", origin)
                .header("Access-Control-Max-Age", matchesPattern("[1-9]\\d*"))
                .header("Access-Control-Allow-Headers", containsString("Last-Event-ID"));
        given().header("Origin", "https://evil.example").header("Access-Control-Request-Method", "GET")
                .options(subscribePath()).then().header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    /**
     * A GET of the long-poll and a publish from an allowed origin are answered ahead of Quarkus' CORS filter
     * (SubscribeRoute, PublishRoute): they must carry exactly the CORS headers the filter gives a request it
     * handles (here a POST to the long-poll's path, which goes through the filter to a 405), and an origin that
     * is not allowed must still be refused by it.
     */
    @Test
    void corsOnTheHotPaths_isTheSameAsQuarkusFilterGives() {
        String origin = config("quarkus.http.cors.origins").split(",")[0].trim();
        Response direct = given().header("Origin", origin).header("Authorization", Tokens.subscriber(newOrg()))
                .queryParam("waitMs", 0).get(subscribePath());
        Response filtered = given().header("Origin", origin).post(subscribePath());
        assertThat(direct.statusCode()).isEqualTo(200);
        assertThat(filtered.statusCode()).isEqualTo(405);
        assertThat(corsHeaders(direct)).isNotEmpty().isEqualTo(corsHeaders(filtered));
        Response publish = given().header("Origin", origin).header("Authorization", Tokens.publisher())
                .contentType(ContentType.JSON).body(event(newOrg(), "cors")).post(eventsPath());
        assertThat(publish.statusCode()).isEqualTo(202);
        assertThat(corsHeaders(publish)).isEqualTo(corsHeaders(filtered));
        given().header("Origin", "https://evil.example").header("Authorization", Tokens.subscriber(newOrg()))
                .get(subscribePath()).then().statusCode(403)
                .header("Access-Control-Allow-Origin", org.hamcrest.Matchers.nullValue());
    }

    private static Map<String, List<String>> corsHeaders(Response response) {
        Map<String, List<String>> headers = new java.util.TreeMap<>();
        response.headers().asList().stream().filter(h -> h.getName().toLowerCase().startsWith("access-control-"))
                .forEach(h -> headers.computeIfAbsent(h.getName().toLowerCase(), k -> new ArrayList<>())
                        .add(h.getValue()));
        return headers;
    }

    // ---- fuzz ---------------------------------------------------------------------------------------------

    /**
     * Bounded fuzz of the HTTP surface: random and malformed methods, paths, headers, cursors, query values and
     * JSON bodies. Whatever comes in, nothing answers 5xx and nothing leaks a stack trace. The seed is printed
     * in the failure message; {@code -Dfuzz.seed=<seed>} replays it.
     */
    @Test
    void fuzz_httpSurface_neverAnswers5xxNorLeaksInternals() {
        long seed = Long.getLong("fuzz.seed", new java.util.Random().nextLong());
        java.util.Random random = new java.util.Random(seed);
        String org = newOrg();
        String[] auths = {null, "", "Bearer", "Bearer x.y.z", "Basic abc", Tokens.subscriber(org), Tokens.publisher(),
            Tokens.expired(org), Tokens.unsigned(org), "Bearer " + "a".repeat(9_000)};
        String[] cursors = {null, "", "garbage", "a.1", "a.-1", "a." + Long.MAX_VALUE, "a.99999999999999999999",
            "..", "é.1", "a.1\u0000", handshake(Tokens.subscriber(org)), "x".repeat(100) + ".1", "%00", "a b.1"};
        String[] waits = {null, "0", "-5", "abc", "99999999999999999999", "1", "1e3", "0x10", "", " 1"};
        String[] streams = {null, "", "leave", "../../etc", "main", "x".repeat(300)};
        String[] paths = {subscribePath(), eventsPath(), "/" + domain + "/realtime/metrics", "/" + domain + "/realtime",
            "/" + domain + "/realtime/subscribe/extra", "/", "/q/x", "/%2e%2e/secret", "/" + domain + "/realtime/events;x"};
        String[] bodies = {null, "", "{", "[]", "[{}]", "null", "\"str\"", "[" + "[".repeat(2_000),
            "{\"orgId\":\"" + org + "\",\"type\":\"" + allowedType() + "\",\"entityId\":\"e\",\"payload\":{\"a\":[1,{\"b\":null}]}}",
            "{\"orgId\":null,\"type\":1,\"entityId\":[],\"payload\":\"x\"}", "[1,2,3]", "{\"orgId\":\"\\u0000\"}",
            "\uFEFF{}", "{\"payload\":{\"x\":" + "1".repeat(400) + "}}"};
        String[] contentTypes = {"application/json", "text/plain", "application/xml", "application/json; charset=utf-16",
            "application/octet-stream", null};
        String[] methods = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"};
        for (int i = 0; i < 300; i++) {
            RequestSpecification request = given();
            String auth = pick(random, auths);
            if (auth != null) {
                request.header("Authorization", auth);
            }
            String cursor = pick(random, cursors);
            if (cursor != null) {
                if (random.nextBoolean()) {
                    request.header("Last-Event-ID", cursor);
                } else {
                    request.queryParam("cursor", cursor);
                }
            }
            String wait = pick(random, waits);
            if (wait != null) {
                request.queryParam("waitMs", wait);
            }
            String stream = pick(random, streams);
            if (stream != null) {
                request.queryParam("stream", stream);
            }
            String body = pick(random, bodies);
            String contentType = pick(random, contentTypes);
            if (body != null) {
                request.body(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            if (contentType != null) {
                request.contentType(contentType);
            }
            if (random.nextInt(5) == 0) {
                request.header("Accept", pick(random, new String[] {"text/html", "application/xml", "*/*"}));
            }
            String method = pick(random, methods);
            String path = pick(random, paths);
            request.queryParam("waitMs", "0");
            Response response = request.request(method, path);
            String text = response.asString();
            assertThat(response.statusCode()).as("seed %d request %d: %s %s", seed, i, method, path).isLessThan(500);
            assertThat(text).as("seed %d request %d", seed, i).doesNotContain("Exception").doesNotContain("\tat ")
                    .doesNotContain("java.");
            if (response.statusCode() >= 400 && !"HEAD".equals(method)) {
                assertThat(response.contentType()).as("seed %d request %d: %s %s -> %d", seed, i, method, path,
                        response.statusCode()).startsWith("application/problem+json");
            }
        }
    }

    private static String pick(java.util.Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }
}
