package dev.realtime.service.auth;

import java.util.Set;

/**
 * Who is calling, as a verified token says: built once per token (and remembered while the token is valid).
 *
 * @param sub the token's subject
 * @param orgId the org the caller belongs to, or null when the token has no {@code orgId} claim
 * @param groups the token's groups
 * @param propertyIds the properties the caller may see (property-scoped domains)
 * @param expiresAtMillis when the token expires, epoch milliseconds
 */
public record Subject(String sub, String orgId, Set<String> groups, Set<String> propertyIds, long expiresAtMillis) {

    /** Returns whether the token carries {@code group}. */
    public boolean inGroup(String group) {
        return groups.contains(group);
    }
}
