package dev.realtime.bench.load;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** The figures of one scenario run: printed as a table and appended to a JSON-lines file. */
final class Result {

    private final String scenario;
    private final String target;
    private final Map<String, Object> params;
    private final Map<String, Object> metrics = new LinkedHashMap<>();

    Result(String scenario, String target, Map<String, Object> params) {
        this.scenario = scenario;
        this.target = target;
        this.params = new LinkedHashMap<>(params);
    }

    Result put(String name, Object value) {
        metrics.put(name, value instanceof Double d ? Math.round(d * 1000) / 1000.0 : value);
        return this;
    }

    /** Latency percentiles of {@code h} (nanoseconds) in milliseconds, named {@code prefix_p50_ms} etc. */
    Result latency(String prefix, Histogram h) {
        put(prefix + "_count", h.getTotalCount());
        put(prefix + "_p50_ms", h.getValueAtPercentile(50) / 1e6);
        put(prefix + "_p90_ms", h.getValueAtPercentile(90) / 1e6);
        put(prefix + "_p99_ms", h.getValueAtPercentile(99) / 1e6);
        put(prefix + "_max_ms", h.getMaxValue() / 1e6);
        return this;
    }

    void print() {
        System.out.printf("%n%s against %s  %s%n", scenario, target, params);
        int width = metrics.keySet().stream().mapToInt(String::length).max().orElse(10);
        metrics.forEach((k, v) -> System.out.printf("  %-" + width + "s  %s%n", k, v));
    }

    void append(Path file) throws IOException {
        if (file == null) {
            return;
        }
        JsonObject line = new JsonObject().put("scenario", scenario).put("target", target)
                .put("at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                .put("params", new JsonObject(params)).put("metrics", new JsonObject(metrics));
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        Files.writeString(file, line.encode() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
