package dev.realtime.bench.load;

/**
 * One benchmark event: the org index, its per-org sequence number and the send time (nanoseconds on the load
 * tool's clock). The payload is {@code {"o":org,"n":seq,"t":sentNanos}}, read back by {@link Replies}.
 */
record Message(int org, long seq, long sentNanos) {

    String payload() {
        return "{\"o\":" + org + ",\"n\":" + seq + ",\"t\":" + sentNanos + "}";
    }
}
