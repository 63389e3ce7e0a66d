package dev.realtime.service.publish;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The event types a domain accepts: exact names, or prefixes written {@code invoice.*} (which allows
 * {@code invoice.created} but not {@code invoice} itself nor {@code invoices.x}). Immutable.
 */
public final class TypeAllowList {
    private final Set<String> exact = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    /** Parses patterns; blank ones are ignored, a lone {@code *} is refused (allow-lists are explicit). */
    public TypeAllowList(List<String> patterns) {
        for (String raw : patterns) {
            String pattern = raw.trim();
            if (pattern.isEmpty()) {
                continue;
            }
            if (pattern.equals("*") || pattern.equals(".*")) {
                throw new IllegalArgumentException("realtime.event-types must list types or prefixes, not '*'");
            }
            if (pattern.endsWith(".*")) {
                prefixes.add(pattern.substring(0, pattern.length() - 1));
            } else {
                exact.add(pattern);
            }
        }
        if (exact.isEmpty() && prefixes.isEmpty()) {
            throw new IllegalArgumentException("realtime.event-types must allow at least one type");
        }
    }

    /** Returns whether {@code type} is allowed. */
    public boolean allows(String type) {
        if (exact.contains(type)) {
            return true;
        }
        for (String prefix : prefixes) {
            if (type.length() > prefix.length() && type.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
