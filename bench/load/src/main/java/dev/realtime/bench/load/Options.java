package dev.realtime.bench.load;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Command-line options ({@code --name value}), each read with its default. Immutable; every value read is also
 * recorded so that the JSON line of a run names the parameters it ran with.
 */
final class Options {

    private final Map<String, String> given;
    private final Map<String, Object> used = new LinkedHashMap<>();

    private Options(Map<String, String> given) {
        this.given = given;
    }

    static Options parse(List<String> args) {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            if (!name.startsWith("--") || i + 1 >= args.size()) {
                throw new IllegalArgumentException("expected --name value, got: " + name);
            }
            given.put(name.substring(2), args.get(++i));
        }
        return new Options(given);
    }

    String string(String name, String fallback) {
        String value = given.getOrDefault(name, fallback);
        used.put(name, value);
        return value;
    }

    int integer(String name, int fallback) {
        int value = given.containsKey(name) ? Integer.parseInt(given.get(name).replace("_", "")) : fallback;
        used.put(name, value);
        return value;
    }

    double decimal(String name, double fallback) {
        double value = given.containsKey(name) ? Double.parseDouble(given.get(name)) : fallback;
        used.put(name, value);
        return value;
    }

    Path path(String name, String fallback) {
        String value = string(name, fallback);
        return value.isEmpty() ? null : Path.of(value);
    }

    /** Fails on an option nobody read: a misspelt option must not silently run the default. */
    void requireAllRead() {
        TreeSet<String> unknown = new TreeSet<>(given.keySet());
        unknown.removeAll(used.keySet());
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown options for this scenario: " + unknown);
        }
    }

    Map<String, Object> used() {
        return used;
    }
}
