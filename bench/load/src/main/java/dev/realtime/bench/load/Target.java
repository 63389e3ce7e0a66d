package dev.realtime.bench.load;

import dev.realtime.bench.load.Connection.HttpReply;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import java.util.List;

/**
 * What the load tool drives: the service (API.md) or the peer (nginx + Nchan). It turns polls and publishes into
 * raw HTTP/1.1 requests and reads their replies; {@link Connection} carries them. Called on the tool's event loop.
 */
interface Target {

    String name();

    /** The channel name of org {@code index} (API.md's {@code orgId}). */
    default String orgId(int index) {
        return "org-" + index;
    }

    /** Whether the first poll of a subscriber only learns the current position (a handshake) instead of parking. */
    boolean handshakes();

    /** The next long-poll of {@code s}, from its current position. */
    Buffer pollRequest(Subscriber s, long waitMs);

    /** Reads a poll reply and moves {@code s} on; throws on an unexpected status. */
    Reply pollReply(Subscriber s, HttpReply reply);

    /** One publish request carrying {@code batch} (at most {@link #maxBatch()} messages). */
    Buffer publishRequest(List<Message> batch);

    /** How many messages a publish reply accepted; throws on an unexpected status. */
    int publishReply(HttpReply reply);

    /** The most messages one publish request carries. */
    int maxBatch();

    /** Long-polls the server holds right now. */
    Future<Long> parked(HttpClient admin);

    /** Orgs (channels) the server still holds anything for. */
    Future<Long> orgsHeld(HttpClient admin);

    /** An HTTP/1.1 request with a body (or none when {@code body} is null); {@code headers} end in CRLF each. */
    static Buffer request(String method, String uri, String hostPort, String headers, String body) {
        StringBuilder head = new StringBuilder(256).append(method).append(' ').append(uri).append(" HTTP/1.1\r\nHost: ")
                .append(hostPort).append("\r\n").append(headers);
        if (body == null) {
            return Buffer.buffer(head.append("\r\n").toString());
        }
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        return Buffer.buffer(head.toString()).appendBytes(bytes);
    }
}
