package dev.realtime.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;
import org.HdrHistogram.Histogram;

/**
 * S subscribers over C orgs (subscriber i follows org i mod C), each in its own long-poll loop, and the check of
 * what they receive against what was published: loss, duplicates, foreign events (another org's: a tenant leak),
 * resets and publish-to-delivery latency. Lives on the run's event loop; read its fields only through
 * {@link Run#read}.
 */
final class Fleet {

    private final Run run;
    private final long waitMs;
    final Subscriber[] subscribers;
    final int orgs;
    private final int[] subscribersPerOrg;
    /** Next sequence number per org (handed out at publish time) and how many the target accepted. */
    final long[] nextSeq;
    final long[] accepted;
    final Histogram latency = new Histogram(60_000_000_000L, 3);
    /** Only events sent at or after this instant are recorded in {@link #latency}. */
    long recordFrom = Long.MAX_VALUE;
    long delivered;
    long duplicates;
    long gaps;
    long foreign;
    long resets;
    long emptyReplies;
    long errors;
    String firstError;
    boolean running = true;
    /** Called with the org of each delivered event, after it is counted (closed-loop publishing). */
    IntConsumer onDelivery = org -> { };

    Fleet(Run run, int subscriberCount, int orgs, long waitMs, Tokens tokens) {
        this.run = run;
        this.orgs = orgs;
        this.waitMs = waitMs;
        this.subscribers = new Subscriber[subscriberCount];
        this.subscribersPerOrg = new int[orgs];
        this.nextSeq = new long[orgs];
        this.accepted = new long[orgs];
        String[] orgTokens = new String[orgs];
        for (int org = 0; org < orgs; org++) {
            // One token per org (its users' tabs share it): signing one per subscriber would take minutes at 19k.
            orgTokens[org] = tokens == null ? null : "Bearer " + tokens.subscriber("bench-" + org, run.target.orgId(org));
        }
        for (int i = 0; i < subscriberCount; i++) {
            int org = i % orgs;
            subscribers[i] = new Subscriber(i, org, orgTokens[org]);
            subscribersPerOrg[org]++;
        }
    }

    /**
     * Starts every subscriber, {@code step} at a time (a burst of thousands of connects overflows accept queues),
     * each step once the previous step's subscribers are parked (their parking poll is on the wire).
     */
    Future<Void> start(int step) {
        Promise<Void> all = Promise.promise();
        startFrom(0, step, all);
        return all.future();
    }

    private void startFrom(int from, int step, Promise<Void> all) {
        if (from >= subscribers.length) {
            all.complete();
            return;
        }
        List<Future<Void>> parked = new ArrayList<>();
        for (int i = from; i < Math.min(subscribers.length, from + step); i++) {
            Promise<Void> p = Promise.promise();
            parked.add(p.future());
            Subscriber s = subscribers[i];
            if (run.target.handshakes()) {
                poll(s, Promise.promise()).onComplete(r -> {
                    if (r.failed()) {
                        error(r.cause());
                        p.tryFail(r.cause());
                    } else {
                        pollLoop(s, p);
                    }
                });
            } else {
                pollLoop(s, p);
            }
        }
        Future.all(parked).onComplete(r -> {
            if (r.failed()) {
                all.tryFail(r.cause());
            } else {
                startFrom(from + step, step, all);
            }
        });
    }

    private void pollLoop(Subscriber s, Promise<Void> written) {
        if (!running) {
            written.tryComplete();
            return;
        }
        poll(s, written).onComplete(r -> {
            if (r.failed()) {
                error(r.cause());
                written.tryFail(r.cause());
                if (running) {
                    run.vertx.setTimer(100, t -> pollLoop(s, Promise.promise()));
                }
                return;
            }
            receive(s, r.result());
            pollLoop(s, Promise.promise());
        });
    }

    /** One poll on the subscriber's own connection, opened (again) when needed. */
    private Future<Reply> poll(Subscriber s, Promise<Void> written) {
        Future<Connection> connection = s.connection == null || s.connection.isClosed()
                ? run.connect(s.index).map(c -> s.connection = c)
                : Future.succeededFuture(s.connection);
        return connection.compose(c -> c.send(run.target.pollRequest(s, waitMs), written))
                .map(reply -> run.target.pollReply(s, reply));
    }

    private void receive(Subscriber s, Reply reply) {
        if (reply.reset) {
            resets++;
        }
        if (reply.count == 0) {
            emptyReplies++;
        }
        long now = run.now();
        for (int i = 0; i < reply.count; i++) {
            if (reply.orgs[i] != s.org) {
                foreign++;
                continue;
            }
            long seq = reply.seqs[i];
            if (seq < s.nextSeq) {
                duplicates++;
                continue;
            }
            gaps += seq - s.nextSeq;
            s.nextSeq = seq + 1;
            delivered++;
            if (reply.sent[i] >= recordFrom) {
                latency.recordValue(Math.max(0, now - reply.sent[i]));
            }
            onDelivery.accept(s.org);
        }
    }

    void error(Throwable e) {
        errors++;
        if (firstError == null) {
            firstError = String.valueOf(e.getMessage());
        }
    }

    /** Deliveries owed so far: each accepted event once to every subscriber of its org. */
    long expected() {
        long sum = 0;
        for (int org = 0; org < orgs; org++) {
            sum += accepted[org] * subscribersPerOrg[org];
        }
        return sum;
    }

    /**
     * Waits on the main thread until {@code publisher} has nothing queued or in flight and every owed delivery
     * arrived, or {@code seconds} passed.
     */
    void drain(Publisher publisher, long seconds) {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline
                && run.read(() -> publisher.inFlight() + publisher.pending() > 0 || delivered < expected())) {
            Run.sleep(50);
        }
    }
}
