package dev.realtime.bench.load;

import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The five scenarios of issue #7. Each builds its load on the run's event loop, measures from the main thread and
 * returns its figures; every wait has a deadline, so a stuck target fails the run instead of hanging it.
 */
final class Scenarios {

    private static final long WAIT_MS = 25_000;
    private static final int RAMP_STEP = 1_000;

    private Scenarios() {
    }

    /** S1: S subscribers over C orgs, a publisher at R events/s; loss, duplicates and publish-to-delivery latency. */
    static Result fanOut(Run run, Options o, Tokens tokens) {
        int subscribers = o.integer("subscribers", 2_000);
        int orgs = o.integer("orgs", 200);
        double rate = o.decimal("rate", 200);
        int seconds = o.integer("seconds", 20);
        int warmup = o.integer("warmup", 5);
        int batch = o.integer("publish-batch", 1);
        o.requireAllRead();

        Fleet fleet = park(run, subscribers, orgs, tokens);
        Publisher publisher = new Publisher(run, fleet.nextSeq, fleet.accepted, batch, 64);
        run.await(() -> publisher.atRate(rate, Math.round(rate * warmup), orgs), warmup + 60L);
        fleet.drain(publisher, 10);

        double serverCpu = run.server.cpuSeconds();
        double ownCpu = Run.ownCpuSeconds();
        long started = System.nanoTime();
        run.read(() -> fleet.recordFrom = run.now());
        run.await(() -> publisher.atRate(rate, Math.round(rate * seconds), orgs), seconds + 60L);
        fleet.drain(publisher, 10);
        double elapsed = (System.nanoTime() - started) / 1e9;
        double serverCpuUsed = run.server.cpuSeconds() - serverCpu;
        double ownCpuUsed = Run.ownCpuSeconds() - ownCpu;
        Result result = new Result("s1", run.target.name(), o.used());
        run.read(() -> fleet.running = false);
        deliveryFigures(run, fleet, publisher, result);
        return result.latency("latency", run.read(() -> fleet.latency.copy()))
                .put("server_cpu_s", serverCpuUsed)
                .put("server_cpu_pct_of_core", 100 * serverCpuUsed / elapsed)
                .put("server_rss_mib", run.server.rssKiB() / 1024.0)
                .put("client_cpu_s", ownCpuUsed)
                .put("measured_s", elapsed);
    }

    /** S2: N idle long-polls parked; memory per poll; then one event per org and the time until all N answered. */
    static Result parkedCapacity(Run run, Options o, Tokens tokens) {
        int polls = o.integer("polls", 10_000);
        int orgs = o.integer("orgs", Math.max(1, polls / 10));
        int warmupBursts = o.integer("warmup-bursts", 3);
        o.requireAllRead();

        Result result = new Result("s2", run.target.name(), o.used());
        long rssBefore = run.server.rssKiB();
        long heapBefore = run.server.isJvm() ? run.server.heapAfterGcKiB() : -1;
        Fleet fleet = park(run, polls, orgs, tokens);
        long rssAfter = run.server.rssKiB();
        long heapAfter = run.server.isJvm() ? run.server.heapAfterGcKiB() : -1;
        result.put("parked", run.await(() -> run.target.parked(run.admin), 60))
                .put("server_rss_before_mib", rssBefore / 1024.0)
                .put("server_rss_parked_mib", rssAfter / 1024.0)
                .put("rss_per_poll_kib", (rssAfter - rssBefore) / (double) polls);
        if (heapBefore >= 0) {
            result.put("heap_after_gc_per_poll_kib", (heapAfter - heapBefore) / (double) polls);
        }

        // Warm-up bursts (a running service has served such bursts before), then the measured one; after each,
        // every poll must be parked again before the next.
        Publisher publisher = new Publisher(run, fleet.nextSeq, fleet.accepted, run.target.maxBatch(), 64);
        AtomicLong lastDelivery = new AtomicLong();
        run.read(() -> fleet.onDelivery = org -> lastDelivery.set(run.now()));
        List<Double> bursts = new ArrayList<>();
        double serverCpu = 0;
        double ownCpu = 0;
        for (int b = 0; b <= warmupBursts; b++) {
            serverCpu = run.server.cpuSeconds();
            ownCpu = Run.ownCpuSeconds();
            long burst = run.read(() -> {
                fleet.recordFrom = run.now();
                fleet.latency.reset();
                publisher.offerEach(orgs);
                return fleet.recordFrom;
            });
            fleet.drain(publisher, 30);
            bursts.add((lastDelivery.get() - burst) / 1e6);
            awaitParked(run, polls);
        }
        result.put("burst_server_cpu_ms", 1000 * (run.server.cpuSeconds() - serverCpu))
                .put("burst_client_cpu_ms", 1000 * (Run.ownCpuSeconds() - ownCpu));
        run.read(() -> fleet.running = false);
        deliveryFigures(run, fleet, publisher, result);
        return result.put("all_answered_ms", bursts.get(bursts.size() - 1))
                .put("first_burst_ms", bursts.get(0))
                .latency("latency", run.read(() -> fleet.latency.copy()));
    }

    /** S3: one subscriber per org, a closed-loop publisher (an org's next event goes out when its last arrived). */
    static Result throughput(Run run, Options o, Tokens tokens) {
        int orgs = o.integer("orgs", 1_000);
        int seconds = o.integer("seconds", 20);
        int warmup = o.integer("warmup", 5);
        int batch = o.integer("publish-batch", 1);
        int concurrency = o.integer("publish-concurrency", 32);
        o.requireAllRead();

        Fleet fleet = park(run, orgs, orgs, tokens);
        Publisher publisher = new Publisher(run, fleet.nextSeq, fleet.accepted, batch, concurrency);
        boolean[] looping = {true};
        run.read(() -> {
            fleet.onDelivery = org -> {
                if (looping[0]) {
                    publisher.offer(org);
                }
            };
            publisher.offerEach(orgs);
            return null;
        });
        Run.sleep(warmup * 1000L);
        double serverCpu = run.server.cpuSeconds();
        double ownCpu = Run.ownCpuSeconds();
        long started = System.nanoTime();
        long deliveredBefore = run.read(() -> {
            fleet.recordFrom = run.now();
            return fleet.delivered;
        });
        Run.sleep(seconds * 1000L);
        long deliveredAfter = run.read(() -> fleet.delivered);
        double elapsed = (System.nanoTime() - started) / 1e9;
        double serverCpuUsed = run.server.cpuSeconds() - serverCpu;
        double ownCpuUsed = Run.ownCpuSeconds() - ownCpu;
        run.read(() -> looping[0] = false);
        fleet.drain(publisher, 30);
        run.read(() -> fleet.running = false);
        Result result = new Result("s3", run.target.name(), o.used())
                .put("delivered_per_s", (deliveredAfter - deliveredBefore) / elapsed);
        deliveryFigures(run, fleet, publisher, result);
        return result.latency("latency", run.read(() -> fleet.latency.copy()))
                .put("server_cpu_pct_of_core", 100 * serverCpuUsed / elapsed)
                .put("client_cpu_pct_of_core", 100 * ownCpuUsed / elapsed)
                .put("measured_s", elapsed);
    }

    /** S4: a million distinct orgs receive one event each, then go idle; RSS at the peak and after eviction. */
    static Result orgChurn(Run run, Options o) {
        int orgs = o.integer("orgs", 1_000_000);
        int batch = o.integer("publish-batch", 1_000);
        int concurrency = o.integer("publish-concurrency", run.target.maxBatch() > 1 ? 4 : 64);
        int evictSeconds = o.integer("evict-timeout", 240);
        int settleSeconds = o.integer("settle", 30);
        int warmupOrgs = o.integer("warmup-orgs", 1_000);
        int warmupRounds = o.integer("warmup-rounds", 100);
        o.requireAllRead();

        // Warm the server up on a few orgs first (JIT, connection and buffer pools), so that "before" is a running
        // service's footprint rather than a fresh JVM's, and only the churn itself is compared.
        Publisher warmup = new Publisher(run, new long[warmupOrgs], new long[warmupOrgs], batch, concurrency);
        if (warmupOrgs > orgs) {
            throw new IllegalArgumentException("--warmup-orgs must not exceed --orgs");
        }
        for (int round = 0; round < warmupRounds; round++) {
            run.read(() -> {
                warmup.offerEach(warmupOrgs);
                return null;
            });
            while (run.read(() -> warmup.inFlight() + warmup.pending() > 0)) {
                Run.sleep(10);
            }
        }
        // "Before" is the warmed-up service at rest, measured like "after": once it has been idle for a while.
        Run.sleep(settleSeconds * 1000L);
        long rssBefore = run.server.rssKiB();
        AtomicLong peak = new AtomicLong(rssBefore);
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peak.accumulateAndGet(run.server.rssKiB(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "rss-sampler");
        sampler.setDaemon(true);
        sampler.start();

        // The warm-up orgs are the first of the million (still buffered, they count against the org limit).
        Publisher publisher = new Publisher(run, new long[orgs], new long[orgs], batch, concurrency);
        long started = System.nanoTime();
        run.read(() -> {
            publisher.offerEach(orgs);
            return null;
        });
        long deadline = started + 900_000_000_000L;
        while (System.nanoTime() < deadline && run.read(() -> publisher.inFlight() + publisher.pending() > 0)) {
            Run.sleep(100);
        }
        double publishSeconds = (System.nanoTime() - started) / 1e9;
        long held = run.await(() -> run.target.orgsHeld(run.admin), 60);

        long idleStarted = System.nanoTime();
        long evictDeadline = idleStarted + evictSeconds * 1_000_000_000L;
        long remaining = held;
        while (System.nanoTime() < evictDeadline && remaining != 0) {
            Run.sleep(1_000);
            remaining = run.await(() -> run.target.orgsHeld(run.admin), 60);
        }
        double evictedAfter = (System.nanoTime() - idleStarted) / 1e9;
        // Memory goes back to the OS after the eviction, not with it (a GC has to run first): watch for a while.
        long rssAfter = run.server.rssKiB();
        for (int second = 0; second < settleSeconds; second++) {
            Run.sleep(1_000);
            rssAfter = run.server.rssKiB();
        }
        sampler.interrupt();
        Result result = new Result("s4", run.target.name(), o.used());
        return result.put("published", run.read(() -> publisher.acceptedTotal))
                .put("publish_errors", run.read(() -> publisher.errors))
                .put("first_error", run.read(() -> String.valueOf(publisher.firstError)))
                .put("publish_s", publishSeconds)
                .put("published_per_s", orgs / publishSeconds)
                .put("orgs_held_after_publish", held)
                .put("orgs_held_at_end", remaining)
                .put("evicted_after_s", evictedAfter)
                .put("server_rss_before_mib", rssBefore / 1024.0)
                .put("server_rss_peak_mib", peak.get() / 1024.0)
                .put("server_rss_after_mib", rssAfter / 1024.0)
                .put("rss_after_vs_before_pct", 100.0 * (rssAfter - rssBefore) / rssBefore);
    }

    /** S5: 10,000 parked polls and 1,000 events/s for 10 minutes; heap after GC each minute, loss. */
    static Result soak(Run run, Options o, Tokens tokens) {
        int polls = o.integer("polls", 10_000);
        int orgs = o.integer("orgs", 1_000);
        double rate = o.decimal("rate", 1_000);
        int minutes = o.integer("minutes", 10);
        o.requireAllRead();

        Fleet fleet = park(run, polls, orgs, tokens);
        Publisher publisher = new Publisher(run, fleet.nextSeq, fleet.accepted, 1, 64);
        run.read(() -> fleet.recordFrom = run.now());
        Future<Void> publishing = run.read(() -> publisher.atRate(rate, Math.round(rate * minutes * 60), orgs));
        List<Long> heap = new ArrayList<>();
        List<Long> rss = new ArrayList<>();
        for (int minute = 1; minute <= minutes; minute++) {
            Run.sleep(60_000);
            if (run.server.isJvm()) {
                heap.add(run.server.heapAfterGcKiB());
            }
            rss.add(run.server.rssKiB());
            System.out.printf("  minute %d: heap after GC %s KiB, RSS %d KiB%n", minute,
                    heap.isEmpty() ? "-" : heap.get(heap.size() - 1), rss.get(rss.size() - 1));
        }
        run.await(() -> publishing, 120);
        fleet.drain(publisher, 30);
        run.read(() -> fleet.running = false);
        Result result = new Result("s5", run.target.name(), o.used());
        deliveryFigures(run, fleet, publisher, result);
        result.latency("latency", run.read(() -> fleet.latency.copy()))
                .put("rss_mib_per_minute", rss.stream().map(k -> Math.round(k / 102.4) / 10.0).toList().toString())
                .put("rss_growth_pct", growth(rss));
        if (!heap.isEmpty()) {
            result.put("heap_after_gc_mib_per_minute", heap.stream().map(k -> Math.round(k / 102.4) / 10.0).toList().toString())
                    .put("heap_growth_pct", growth(heap));
        }
        return result;
    }

    /** Growth from the first sample to the last, in percent (minute 1 is after start-up and parking settled). */
    private static double growth(List<Long> samples) {
        return 100.0 * (samples.get(samples.size() - 1) - samples.get(0)) / samples.get(0);
    }

    private static Fleet park(Run run, int subscribers, int orgs, Tokens tokens) {
        Fleet fleet = new Fleet(run, subscribers, orgs, WAIT_MS, tokens);
        run.await(() -> fleet.start(RAMP_STEP), 300);
        awaitParked(run, subscribers);
        return fleet;
    }

    /** Waits until the server holds {@code polls} parked polls (written polls may not have reached it yet). */
    private static void awaitParked(Run run, int polls) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        long parked = 0;
        while (System.nanoTime() < deadline && (parked = run.await(() -> run.target.parked(run.admin), 60)) < polls) {
            Run.sleep(100);
        }
        if (parked < polls) {
            throw new IllegalStateException("only " + parked + " of " + polls + " polls parked");
        }
    }

    private static void deliveryFigures(Run run, Fleet fleet, Publisher publisher, Result result) {
        run.read(() -> {
            result.put("published", publisher.acceptedTotal)
                    .put("publish_requests", publisher.requests)
                    .put("publish_errors", publisher.errors)
                    .put("expected", fleet.expected())
                    .put("delivered", fleet.delivered)
                    .put("lost", fleet.expected() - fleet.delivered)
                    .put("duplicates", fleet.duplicates)
                    .put("gaps", fleet.gaps)
                    .put("foreign", fleet.foreign)
                    .put("resets", fleet.resets)
                    .put("poll_errors", fleet.errors);
            if (fleet.firstError != null || publisher.firstError != null) {
                result.put("first_error", fleet.firstError != null ? fleet.firstError : publisher.firstError);
            }
            return null;
        });
    }
}
