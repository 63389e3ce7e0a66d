package dev.realtime.bench.load;

import dev.realtime.bench.load.Connection.HttpReply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The service through its public API (API.md): long-poll with Last-Event-ID, batch publish, JSON metrics. */
final class Ours implements Target {

    private final String host;
    private final int port;
    private final String hostPort;
    private final String domain;
    private final String type;
    private final String publisherAuth;

    Ours(String host, int port, String domain, String type, String publisherToken) {
        this.host = host;
        this.port = port;
        this.hostPort = host + ":" + port;
        this.domain = domain;
        this.type = type;
        this.publisherAuth = "Authorization: Bearer " + publisherToken + "\r\n";
    }

    @Override
    public String name() {
        return "ours";
    }

    @Override
    public boolean handshakes() {
        return true;
    }

    @Override
    public Buffer pollRequest(Subscriber s, long waitMs) {
        String auth = "Authorization: " + s.token + "\r\n";
        if (s.cursor == null) {
            return Target.request("GET", "/" + domain + "/realtime/subscribe", hostPort, auth, null);
        }
        return Target.request("GET", "/" + domain + "/realtime/subscribe?waitMs=" + waitMs, hostPort,
                auth + "Last-Event-ID: " + s.cursor + "\r\n", null);
    }

    @Override
    public Reply pollReply(Subscriber s, HttpReply reply) {
        if (reply.status() != 200) {
            throw new IllegalStateException("subscribe answered " + reply.status() + ": " + reply.body());
        }
        Reply parsed = Replies.ours(reply.body());
        s.cursor = parsed.cursor;
        return parsed;
    }

    @Override
    public Buffer publishRequest(List<Message> batch) {
        StringBuilder json = new StringBuilder(batch.size() * 120).append('[');
        for (Message m : batch) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"orgId\":\"").append(orgId(m.org())).append("\",\"type\":\"").append(type)
                    .append("\",\"entityId\":\"e-").append(m.seq()).append("\",\"payload\":").append(m.payload())
                    .append('}');
        }
        json.append(']');
        return Target.request("POST", "/" + domain + "/realtime/events", hostPort,
                publisherAuth + "Content-Type: application/json\r\n", json.toString());
    }

    @Override
    public int publishReply(HttpReply reply) {
        if (reply.status() != 202) {
            throw new IllegalStateException("publish answered " + reply.status() + ": " + reply.body());
        }
        return new JsonObject(reply.body()).getInteger("accepted");
    }

    @Override
    public int maxBatch() {
        return 1000;
    }

    @Override
    public Future<Long> parked(HttpClient admin) {
        return metrics(admin).map(m -> m.getLong("waiters"));
    }

    @Override
    public Future<Long> orgsHeld(HttpClient admin) {
        return metrics(admin).map(m -> m.getLong("orgs"));
    }

    private Future<JsonObject> metrics(HttpClient admin) {
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.GET)
                .setURI("/" + domain + "/realtime/metrics")
                .putHeader("Authorization", publisherAuth.substring("Authorization: ".length()).trim())
                .setIdleTimeout(30_000);
        return admin.request(options).compose(r -> r.send()).compose(response -> response.body().map(body -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("metrics answered " + response.statusCode() + ": " + body);
            }
            return new JsonObject(body);
        }));
    }
}
