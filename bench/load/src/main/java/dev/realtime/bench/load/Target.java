package dev.realtime.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpClient;
import java.util.List;

/**
 * What the load tool drives: the service (API.md) or the peer (nginx + Nchan). Every method is called on the
 * tool's single event loop and returns at once; the futures complete on that loop.
 */
interface Target {

    String name();

    /** The channel name of org {@code index} (API.md's {@code orgId}). */
    default String orgId(int index) {
        return "org-" + index;
    }

    /**
     * Sends one long-poll for {@code s}, completing {@code written} once the request is on the wire, and updates
     * {@code s}'s position from the reply. Fails on a transport error or an unexpected status.
     */
    Future<Reply> poll(Subscriber s, long waitMs, Promise<Void> written);

    /** Whether the first poll of a subscriber only learns the current position (a handshake) instead of parking. */
    boolean handshakes();

    /** Publishes {@code batch} (at most {@link #maxBatch()} messages) in one request; completes with the count accepted. */
    Future<Integer> publish(HttpClient client, List<Message> batch);

    /** The most messages one publish request carries. */
    int maxBatch();

    /** Long-polls the server holds right now, over orgs 0..orgs-1 (the peer counts per channel). */
    Future<Long> parked(HttpClient client, int orgs);

    /** Orgs (channels) the server still holds anything for, or -1 when the target cannot tell. */
    Future<Long> orgsHeld(HttpClient client);
}
