package dev.realtime.bench.load;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Medians with min-max of every numeric figure, per scenario, side by side per target (and label), as a Markdown
 * table.
 */
final class Summary {

    private Summary() {
    }

    static void print(List<Path> files) throws IOException {
        // scenario -> metric -> target -> values, in first-seen order.
        Map<String, Map<String, Map<String, List<Double>>>> table = new LinkedHashMap<>();
        List<String> targets = new ArrayList<>();
        Map<String, Integer> runs = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        for (Path file : files) {
            lines.addAll(Files.readAllLines(file));
        }
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            JsonObject run = new JsonObject(line);
            String scenario = run.getString("scenario");
            // S2 is recorded at several sizes: each size is a table of its own.
            Object polls = run.getJsonObject("params").getValue("polls");
            if (scenario.equals("s2") && polls != null) {
                scenario = scenario + ", " + polls + " polls";
            }
            // Runs of one target with different server settings (a label) are kept apart.
            String label = run.getJsonObject("params").getString("label", "");
            String target = run.getString("target") + (label.isEmpty() ? "" : " " + label);
            if (!targets.contains(target)) {
                targets.add(target);
            }
            runs.merge(scenario + "/" + target, 1, Integer::sum);
            Map<String, Map<String, List<Double>>> metrics = table.computeIfAbsent(scenario, k -> new LinkedHashMap<>());
            run.getJsonObject("metrics").forEach(e -> {
                if (e.getValue() instanceof Number n) {
                    metrics.computeIfAbsent(e.getKey(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(target, k -> new ArrayList<>()).add(n.doubleValue());
                }
            });
        }
        table.forEach((scenario, metrics) -> {
            System.out.printf("%n### %s%n%n| figure |", scenario);
            targets.forEach(t -> System.out.printf(" %s (%d runs) |", t, runs.getOrDefault(scenario + "/" + t, 0)));
            System.out.printf("%n|---|%s%n", "---|".repeat(targets.size()));
            metrics.forEach((metric, byTarget) -> {
                System.out.printf("| %s |", metric);
                targets.forEach(t -> System.out.printf(" %s |", cell(byTarget.get(t))));
                System.out.println();
            });
        });
    }

    private static String cell(List<Double> values) {
        if (values == null || values.isEmpty()) {
            return "";
        }
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return n == 1 ? format(median) : format(median) + " (" + format(sorted.get(0)) + "–" + format(sorted.get(n - 1)) + ")";
    }

    private static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format("%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format("%,.0f", v) : String.format("%.2f", v);
    }
}
