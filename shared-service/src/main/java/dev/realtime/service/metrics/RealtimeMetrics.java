package dev.realtime.service.metrics;

import dev.realtime.buffer.BufferStats;
import dev.realtime.buffer.DropReason;
import dev.realtime.service.config.DomainBuffers;
import dev.realtime.service.config.RealtimeConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.quarkus.runtime.Startup;
import jakarta.inject.Singleton;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The service's figures, for Prometheus ({@code /q/metrics} on the management port) and for the domain metrics
 * JSON. Buffer figures are read from the buffers on each scrape; request figures are counted here. Every meter
 * is tagged with the domain only: never with an org. Thread-safe.
 */
@Startup
@Singleton
public class RealtimeMetrics {

    /** How a poll ended. */
    public enum Outcome {
        /** Answered with events. */
        EVENTS,
        /** Answered with no events (timeout, handshake, drain). */
        EMPTY,
        /** Answered with {@code reset: true}. */
        RESET,
        /** Refused (429, 503). */
        REJECTED;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final DomainBuffers buffers;
    private final Map<Outcome, Counter> outcomes = new EnumMap<>(Outcome.class);
    private final Counter delivered;
    private final Counter publishRequests;
    private final Timer deliveryLatency;
    private final Counter serverErrors;

    RealtimeMetrics(MeterRegistry registry, DomainBuffers buffers, RealtimeConfig config) {
        this.buffers = buffers;
        Tags tags = Tags.of("domain", config.domain());
        gauge(registry, "realtime.orgs", "Orgs buffered", tags, BufferStats::orgs);
        gauge(registry, "realtime.events.buffered", "Events buffered", tags, BufferStats::events);
        gauge(registry, "realtime.waiters", "Polls parked", tags, BufferStats::waiters);
        counter(registry, "realtime.events.published", "Events appended", tags, BufferStats::appended);
        counter(registry, "realtime.events.duplicates", "Publishes ignored as repeated eventId", tags,
                BufferStats::duplicates);
        counter(registry, "realtime.events.coalesced", "Publishes merged into a recent event", tags,
                BufferStats::coalesced);
        for (DropReason reason : DropReason.values()) {
            counter(registry, "realtime.events.dropped", "Events dropped before expiry of interest",
                    tags.and("reason", reason.tag()), s -> s.dropped(reason));
        }
        counter(registry, "realtime.evictions", "Idle orgs evicted", tags, BufferStats::evictions);
        counter(registry, "realtime.org.rejections", "Operations refused by the org limit", tags,
                BufferStats::rejected);
        for (Outcome outcome : Outcome.values()) {
            outcomes.put(outcome, Counter.builder("realtime.poll.outcome").description("Polls answered, by outcome")
                    .tags(tags.and("outcome", outcome.tag())).register(registry));
        }
        delivered = Counter.builder("realtime.events.delivered").description("Events sent in poll replies")
                .tags(tags).register(registry);
        publishRequests = Counter.builder("realtime.publish.requests").description("Publish requests accepted")
                .tags(tags).register(registry);
        serverErrors = Counter.builder("realtime.http.server.errors")
                .description("Requests answered 5xx (the catch-all problem; never expected)").tags(tags)
                .register(registry);
        deliveryLatency = Timer.builder("realtime.delivery.latency")
                .description("Publish to reply, for parked polls woken by an event")
                .tags(tags).publishPercentiles(0.5, 0.9, 0.99).register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String help, Tags tags, ToDoubleFunction<BufferStats> f) {
        Gauge.builder(name, buffers, b -> f.applyAsDouble(b.totals())).description(help).tags(tags)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String help, Tags tags,
            ToDoubleFunction<BufferStats> f) {
        FunctionCounter.builder(name, buffers, b -> f.applyAsDouble(b.totals())).description(help).tags(tags)
                .register(registry);
    }

    /** Counts a poll answer and the events it carried. */
    public void pollAnswered(Outcome outcome, int events) {
        outcomes.get(outcome).increment();
        if (events > 0) {
            delivered.increment(events);
        }
    }

    /** Records the time from publish to reply of a woken poll. */
    public void delivered(long latencyMillis) {
        deliveryLatency.record(Math.max(0, latencyMillis), TimeUnit.MILLISECONDS);
    }

    /** Counts a request answered 5xx. */
    public void serverError() {
        serverErrors.increment();
    }

    /** Counts an accepted publish request. */
    public void published() {
        publishRequests.increment();
    }

    /** Returns the figures of the domain metrics endpoint. */
    public Map<String, Object> snapshot() {
        BufferStats s = buffers.totals();
        Map<String, Object> dropped = new LinkedHashMap<>();
        for (DropReason reason : DropReason.values()) {
            dropped.put(reason.tag(), s.dropped(reason));
        }
        Map<String, Object> polls = new LinkedHashMap<>();
        outcomes.forEach((outcome, counter) -> polls.put(outcome.tag(), (long) counter.count()));
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", deliveryLatency.count());
        for (ValueAtPercentile p : deliveryLatency.takeSnapshot().percentileValues()) {
            latency.put("p" + Math.round(p.percentile() * 100), p.value(TimeUnit.MILLISECONDS));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("orgs", s.orgs());
        out.put("eventsBuffered", s.events());
        out.put("waiters", s.waiters());
        out.put("published", s.appended());
        out.put("duplicates", s.duplicates());
        out.put("coalesced", s.coalesced());
        out.put("delivered", (long) delivered.count());
        out.put("dropped", dropped);
        out.put("polls", polls);
        out.put("deliveryLatencyMs", latency);
        out.put("evictions", s.evictions());
        out.put("orgRejections", s.rejected());
        out.put("publishRequests", (long) publishRequests.count());
        return out;
    }
}
