package dev.realtime.bench.load;

/** One long-poll client: which org it follows, where it is, and the next sequence number it expects. */
final class Subscriber {

    final int index;
    final int org;
    final String token;
    /** Its own keep-alive connection (null until opened, replaced when the server closes it). */
    Connection connection;
    /** The service's cursor (null before the handshake). */
    String cursor;
    /** The peer's position: the Last-Modified and Etag of the last message (null before the first). */
    String lastModified;
    String etag;
    long nextSeq;

    Subscriber(int index, int org, String token) {
        this.index = index;
        this.org = org;
        this.token = token;
    }
}
