package dev.realtime.bench.load;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads benchmark payloads out of reply bodies without a JSON tree: the load tool shares the cores with the
 * server, so it must stay cheap. Only the tool's own payload shape ({@link Message#payload()}) is recognised.
 */
final class Replies {

    private static final byte[] PAYLOAD = "\"payload\":{\"o\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CURSOR = "\"cursor\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESET = "\"reset\":true".getBytes(StandardCharsets.US_ASCII);

    private Replies() {
    }

    /** The service's reply: cursor, reset flag and the payloads of its events. */
    static Reply ours(Buffer body) {
        byte[] b = body.getBytes();
        int c = indexOf(b, CURSOR, 0);
        String cursor = null;
        if (c >= 0) {
            int start = c + CURSOR.length;
            int end = start;
            while (b[end] != '"') {
                end++;
            }
            cursor = new String(b, start, end - start, StandardCharsets.US_ASCII);
        }
        Reply reply = new Reply(cursor, indexOf(b, RESET, 0) >= 0);
        for (int at = indexOf(b, PAYLOAD, 0); at >= 0; at = indexOf(b, PAYLOAD, at)) {
            at = readTriple(b, at + PAYLOAD.length - "\"o\":".length(), reply);
        }
        return reply;
    }

    /** An Nchan long-poll reply: the body is one message, the payload itself. */
    static Reply bare(Buffer body) {
        Reply reply = new Reply(null, false);
        readTriple(body.getBytes(), 0, reply);
        return reply;
    }

    /** Reads {"o":..,"n":..,"t":..} starting at or after {@code from}; returns the index after it. */
    private static int readTriple(byte[] b, int from, Reply reply) {
        long[] values = new long[3];
        int at = from;
        for (int i = 0; i < 3; i++) {
            while (b[at] != ':') {
                at++;
            }
            at++;
            long v = 0;
            boolean negative = b[at] == '-';
            if (negative) {
                at++;
            }
            while (at < b.length && b[at] >= '0' && b[at] <= '9') {
                v = v * 10 + (b[at++] - '0');
            }
            values[i] = negative ? -v : v;
        }
        reply.add((int) values[0], values[1], values[2]);
        return at;
    }

    /** The first index of {@code needle} in {@code haystack} at or after {@code from}, or -1. */
    static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
