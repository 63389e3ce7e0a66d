package dev.realtime.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The service through its public API (API.md): long-poll with Last-Event-ID, batch publish, JSON metrics. */
final class Ours implements Target {

    private final String host;
    private final int port;
    private final String domain;
    private final String type;
    private final String publisherToken;

    Ours(String host, int port, String domain, String type, String publisherToken) {
        this.host = host;
        this.port = port;
        this.domain = domain;
        this.type = type;
        this.publisherToken = "Bearer " + publisherToken;
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
    public Future<Reply> poll(Subscriber s, long waitMs, Promise<Void> written) {
        boolean handshake = s.cursor == null;
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.GET)
                .setURI("/" + domain + "/realtime/subscribe" + (handshake ? "" : "?waitMs=" + waitMs))
                .putHeader("Authorization", s.token)
                .setIdleTimeout(waitMs + 15_000);
        if (!handshake) {
            options.putHeader("Last-Event-ID", s.cursor);
        }
        return s.client.request(options).compose(request -> {
            Future<HttpClientResponse> response = request.response();
            request.end().onComplete(ignored -> written.tryComplete());
            return response;
        }).compose(response -> response.body().map(body -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("subscribe answered " + response.statusCode() + ": " + body);
            }
            Reply reply = Replies.ours(body);
            s.cursor = reply.cursor;
            return reply;
        }));
    }

    @Override
    public Future<Integer> publish(HttpClient client, List<Message> batch) {
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
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.POST)
                .setURI("/" + domain + "/realtime/events").putHeader("Authorization", publisherToken)
                .putHeader("Content-Type", "application/json").setIdleTimeout(30_000);
        return client.request(options).compose(r -> r.send(Buffer.buffer(json.toString())))
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 202) {
                        throw new IllegalStateException("publish answered " + response.statusCode() + ": " + body);
                    }
                    return new JsonObject(body).getInteger("accepted");
                }));
    }

    @Override
    public int maxBatch() {
        return 1000;
    }

    @Override
    public Future<Long> parked(HttpClient client, int orgs) {
        return metrics(client).map(m -> m.getLong("waiters"));
    }

    @Override
    public Future<Long> orgsHeld(HttpClient client) {
        return metrics(client).map(m -> m.getLong("orgs"));
    }

    private Future<JsonObject> metrics(HttpClient client) {
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.GET)
                .setURI("/" + domain + "/realtime/metrics").putHeader("Authorization", publisherToken)
                .setIdleTimeout(30_000);
        return client.request(options).compose(r -> r.send()).compose(response -> response.body().map(body -> {
            if (response.statusCode() != 200) {
                throw new IllegalStateException("metrics answered " + response.statusCode() + ": " + body);
            }
            return new JsonObject(body);
        }));
    }
}
