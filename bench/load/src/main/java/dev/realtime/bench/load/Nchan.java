package dev.realtime.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * The peer: nginx + Nchan as {@code bench/load/nchan/start.sh} configures it. One channel per org; a long-poll
 * reply carries one message, its position in {@code Last-Modified} + {@code Etag}, sent back as
 * {@code If-Modified-Since} + {@code If-None-Match}; publishing is one POST per message; {@code nchan_stub_status}
 * counts channels and subscribers.
 */
final class Nchan implements Target {

    private final String host;
    private final int port;

    Nchan(String host, int port) {
        this.host = host;
        this.port = port;
    }

    @Override
    public String name() {
        return "nchan";
    }

    @Override
    public boolean handshakes() {
        return false;
    }

    @Override
    public Future<Reply> poll(Subscriber s, long waitMs, Promise<Void> written) {
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.GET)
                .setURI("/sub?id=" + orgId(s.org)).setIdleTimeout(waitMs + 15_000);
        if (s.lastModified != null) {
            options.putHeader("If-Modified-Since", s.lastModified).putHeader("If-None-Match", s.etag);
        }
        return s.client.request(options).compose(request -> {
            Future<HttpClientResponse> response = request.response();
            request.end().onComplete(ignored -> written.tryComplete());
            return response;
        }).compose(response -> response.body().map(body -> {
            int status = response.statusCode();
            if (status == 200) {
                s.lastModified = response.getHeader("Last-Modified");
                s.etag = response.getHeader("Etag");
                return Replies.bare(body);
            }
            if (status == 304 || status == 408) {
                return new Reply(null, false);
            }
            throw new IllegalStateException("subscribe answered " + status + ": " + body);
        }));
    }

    @Override
    public Future<Integer> publish(HttpClient client, List<Message> batch) {
        Message m = batch.get(0);
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.POST)
                .setURI("/pub?id=" + orgId(m.org())).putHeader("Content-Type", "application/json")
                .setIdleTimeout(30_000);
        return client.request(options).compose(r -> r.send(Buffer.buffer(m.payload())))
                .compose(response -> response.body().map(body -> {
                    if (response.statusCode() != 201 && response.statusCode() != 202) {
                        throw new IllegalStateException("publish answered " + response.statusCode() + ": " + body);
                    }
                    return 1;
                }));
    }

    @Override
    public int maxBatch() {
        return 1;
    }

    @Override
    public Future<Long> parked(HttpClient client, int orgs) {
        return status(client, "subscribers");
    }

    @Override
    public Future<Long> orgsHeld(HttpClient client) {
        return status(client, "channels");
    }

    private Future<Long> status(HttpClient client, String field) {
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.GET)
                .setURI("/nchan_status").setIdleTimeout(30_000);
        return client.request(options).compose(r -> r.send()).compose(response -> response.body().map(body -> {
            for (String line : body.toString().split("\n")) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim());
                }
            }
            throw new IllegalStateException("no '" + field + "' in nchan_stub_status: " + body);
        }));
    }
}
