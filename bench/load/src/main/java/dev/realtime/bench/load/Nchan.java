package dev.realtime.bench.load;

import dev.realtime.bench.load.Connection.HttpReply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.List;

/**
 * The peer: nginx + Nchan as {@code bench/load/nchan/start.sh} configures it. One channel per org; a long-poll
 * reply carries one message and its position in {@code Last-Modified} + {@code Etag}, sent back as
 * {@code If-Modified-Since} + {@code If-None-Match}; a subscriber timeout is {@code 408}; publishing is one POST
 * per message ({@code 201} or {@code 202}); {@code nchan_stub_status} counts channels and subscribers.
 */
final class Nchan implements Target {

    private final String host;
    private final int port;
    private final String hostPort;

    Nchan(String host, int port) {
        this.host = host;
        this.port = port;
        this.hostPort = host + ":" + port;
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
    public Buffer pollRequest(Subscriber s, long waitMs) {
        String headers = s.lastModified == null ? ""
                : "If-Modified-Since: " + s.lastModified + "\r\nIf-None-Match: " + s.etag + "\r\n";
        return Target.request("GET", "/sub?id=" + orgId(s.org), hostPort, headers, null);
    }

    @Override
    public Reply pollReply(Subscriber s, HttpReply reply) {
        if (reply.status() == 200) {
            s.lastModified = reply.lastModified();
            s.etag = reply.etag();
            return Replies.bare(reply.body());
        }
        if (reply.status() == 408) {
            return new Reply(null, false);
        }
        throw new IllegalStateException("subscribe answered " + reply.status() + ": " + reply.body());
    }

    @Override
    public Buffer publishRequest(List<Message> batch) {
        Message m = batch.get(0);
        return Target.request("POST", "/pub?id=" + orgId(m.org()), hostPort, "Content-Type: application/json\r\n",
                m.payload());
    }

    @Override
    public int publishReply(HttpReply reply) {
        if (reply.status() != 201 && reply.status() != 202) {
            throw new IllegalStateException("publish answered " + reply.status() + ": " + reply.body());
        }
        return 1;
    }

    @Override
    public int maxBatch() {
        return 1;
    }

    @Override
    public Future<Long> parked(HttpClient admin) {
        return status(admin, "subscribers");
    }

    @Override
    public Future<Long> orgsHeld(HttpClient admin) {
        return status(admin, "channels");
    }

    private Future<Long> status(HttpClient admin, String field) {
        RequestOptions options = new RequestOptions().setHost(host).setPort(port).setMethod(HttpMethod.GET)
                .setURI("/nchan_status").setIdleTimeout(30_000);
        return admin.request(options).compose(r -> r.send()).compose(response -> response.body().map(body -> {
            for (String line : body.toString().split("\n")) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.substring(field.length() + 1).trim());
                }
            }
            throw new IllegalStateException("no '" + field + "' in nchan_stub_status: " + body);
        }));
    }
}
