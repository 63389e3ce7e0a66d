package dev.realtime.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection, one request at a time, owned by one subscriber or publisher slot. A pooled
 * client would look for a free connection on every request, which at 19,000 parked polls costs the load tool more
 * than the server spends answering; here the owner holds its connection. Replies are framed by
 * {@code Content-Length} or chunked encoding. Not thread-safe: used on the run's event loop only.
 */
final class Connection {

    private static final byte[] HEADER_END = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);

    private final NetSocket socket;
    private Buffer received = Buffer.buffer();
    private Promise<HttpReply> current;
    private long sentAtNanos;
    private boolean closed;

    private Connection(NetSocket socket) {
        this.socket = socket;
        socket.handler(this::onData);
        socket.closeHandler(v -> {
            closed = true;
            fail("connection closed by the server");
        });
        socket.exceptionHandler(e -> {
            closed = true;
            fail(String.valueOf(e.getMessage()));
            socket.close();
        });
    }

    static Future<Connection> open(NetClient client, String host, int port) {
        return client.connect(port, host).map(Connection::new);
    }

    boolean isClosed() {
        return closed;
    }

    /** Whether a request has been waiting longer than {@code limitNanos} (checked by the run's watchdog). */
    boolean overdue(long nowNanos, long limitNanos) {
        return current != null && nowNanos - sentAtNanos > limitNanos;
    }

    /** Sends {@code request} (a complete HTTP/1.1 request) and completes with its reply. */
    Future<HttpReply> send(Buffer request, Promise<Void> written) {
        if (closed) {
            return Future.failedFuture("connection closed");
        }
        if (current != null) {
            return Future.failedFuture("a request is already in flight on this connection");
        }
        current = Promise.promise();
        sentAtNanos = System.nanoTime();
        Future<HttpReply> reply = current.future();
        socket.write(request).onComplete(r -> {
            if (written != null) {
                written.tryComplete();
            }
        });
        return reply;
    }

    void close(String why) {
        closed = true;
        fail(why);
        socket.close();
    }

    private void fail(String why) {
        Promise<HttpReply> p = current;
        current = null;
        if (p != null) {
            p.tryFail(why);
        }
    }

    private void onData(Buffer data) {
        received = received.length() == 0 ? data : received.appendBuffer(data);
        HttpReply reply;
        while (current != null && (reply = parse()) != null) {
            Promise<HttpReply> p = current;
            current = null;
            p.complete(reply);
        }
    }

    /** Parses one complete reply off the front of {@link #received}, or returns null if more bytes are needed. */
    private HttpReply parse() {
        byte[] b = received.getBytes();
        int headerEnd = Replies.indexOf(b, HEADER_END, 0);
        if (headerEnd < 0) {
            return null;
        }
        String head = new String(b, 0, headerEnd, StandardCharsets.ISO_8859_1);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        int contentLength = -1;
        boolean chunked = false;
        String lastModified = null;
        String etag = null;
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim().toLowerCase();
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = Integer.parseInt(value);
                case "transfer-encoding" -> chunked = value.equalsIgnoreCase("chunked");
                case "last-modified" -> lastModified = value;
                case "etag" -> etag = value;
                default -> { }
            }
        }
        int bodyStart = headerEnd + HEADER_END.length;
        Buffer body;
        int end;
        if (chunked) {
            Buffer assembled = Buffer.buffer();
            int at = bodyStart;
            while (true) {
                int lineEnd = Replies.indexOf(b, CRLF, at);
                if (lineEnd < 0) {
                    return null;
                }
                String sizeText = new String(b, at, lineEnd - at, StandardCharsets.US_ASCII);
                int semicolon = sizeText.indexOf(';');
                int size = Integer.parseInt((semicolon >= 0 ? sizeText.substring(0, semicolon) : sizeText).trim(), 16);
                int dataStart = lineEnd + 2;
                if (b.length < dataStart + size + 2) {
                    return null;
                }
                if (size == 0) {
                    end = dataStart + 2;
                    break;
                }
                assembled.appendBytes(b, dataStart, size);
                at = dataStart + size + 2;
            }
            body = assembled;
        } else {
            int length = Math.max(0, contentLength);
            if (b.length < bodyStart + length) {
                return null;
            }
            body = received.slice(bodyStart, bodyStart + length).copy();
            end = bodyStart + length;
        }
        received = end == b.length ? Buffer.buffer() : received.getBuffer(end, b.length);
        return new HttpReply(status, lastModified, etag, body);
    }

    /** A reply: status, the two headers Nchan positions travel in, and the body. */
    record HttpReply(int status, String lastModified, String etag, Buffer body) {}
}
