package dev.realtime.bench.load;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends events to the target from the run's event loop, at most {@code maxInFlight} requests at a time and at most
 * {@code batch} events per request. Two ways to feed it: {@link #atRate} (round-robin over the orgs, open loop) and
 * {@link #offer} (closed loop: the caller decides which org gets its next event, e.g. when the last one arrived).
 */
final class Publisher {

    private final Run run;
    private final long[] nextSeq;
    private final long[] accepted;
    private final int batch;
    private final int maxInFlight;
    private final ArrayDeque<Integer> pending = new ArrayDeque<>();
    private final ArrayDeque<Connection> idle = new ArrayDeque<>();
    private int inFlight;
    long requests;
    long sent;
    long acceptedTotal;
    long errors;
    String firstError;

    Publisher(Run run, long[] nextSeq, long[] accepted, int batch, int maxInFlight) {
        this.run = run;
        this.nextSeq = nextSeq;
        this.accepted = accepted;
        this.batch = Math.min(batch, run.target.maxBatch());
        this.maxInFlight = maxInFlight;
    }

    /** Queues one event for {@code org} and sends what the in-flight limit allows. */
    void offer(int org) {
        pending.add(org);
        pump();
    }

    /** Queues one event for each of orgs {@code 0..orgs-1}, then sends (so batches fill up). */
    void offerEach(int orgs) {
        for (int org = 0; org < orgs; org++) {
            pending.add(org);
        }
        pump();
    }

    /** Requests that have not been answered yet. */
    int inFlight() {
        return inFlight;
    }

    int pending() {
        return pending.size();
    }

    private void pump() {
        while (!pending.isEmpty() && inFlight < maxInFlight) {
            List<Message> messages = new ArrayList<>(Math.min(batch, pending.size()));
            while (!pending.isEmpty() && messages.size() < batch) {
                int org = pending.poll();
                messages.add(new Message(org, nextSeq[org]++, run.now()));
            }
            send(messages);
        }
    }

    private void send(List<Message> messages) {
        inFlight++;
        requests++;
        sent += messages.size();
        Connection free = idle.poll();
        Future<Connection> connection = free != null && !free.isClosed() ? Future.succeededFuture(free)
                : run.connect(0);
        connection.compose(c -> c.send(run.target.publishRequest(messages), null).map(reply -> {
            idle.push(c);
            return run.target.publishReply(reply);
        })).onComplete(r -> {
            inFlight--;
            if (r.succeeded() && r.result() == messages.size()) {
                for (Message m : messages) {
                    accepted[m.org()]++;
                }
                acceptedTotal += messages.size();
            } else {
                errors++;
                if (firstError == null) {
                    firstError = r.failed() ? String.valueOf(r.cause().getMessage()) : "accepted " + r.result();
                }
            }
            pump();
        });
    }

    /**
     * Publishes {@code total} events at {@code perSecond}, round-robin over {@code orgs} orgs, from a 1 ms timer;
     * completes once all were sent and answered. A target slower than the rate makes the queue, not the rate, grow.
     */
    Future<Void> atRate(double perSecond, long total, int orgs) {
        Promise<Void> done = Promise.promise();
        long start = run.now();
        long[] queued = {0};
        run.vertx.setPeriodic(1, id -> {
            long due = Math.min(total, (long) ((run.now() - start) / 1e9 * perSecond));
            while (queued[0] < due) {
                pending.add((int) (queued[0]++ % orgs));
            }
            pump();
            if (queued[0] == total && pending.isEmpty() && inFlight == 0) {
                run.vertx.cancelTimer(id);
                done.complete();
            }
        });
        return done.future();
    }
}
