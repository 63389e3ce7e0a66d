package dev.realtime.service.http;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.Config;

/**
 * The CORS headers of a non-preflight request, exactly as Quarkus' CORS filter adds them, for the requests it can
 * decide without that filter: no {@code Origin}, or an {@code Origin} listed literally in
 * {@code quarkus.http.cors.origins} and a method listed in {@code quarkus.http.cors.methods}. Everything else
 * (preflights, other origins or methods, wildcard or regular-expression configuration) is left to Quarkus' filter,
 * which then also gives the refusals.
 *
 * <p>It exists so the two hot paths, the long-poll and the publish, can be answered ahead of Quarkus' HTTP filter
 * chain ({@link AheadOfFilters}); it reads the same {@code quarkus.http.cors.*} keys, so there is one
 * configuration. Immutable and thread-safe.
 */
@Singleton
public final class CorsHeaders {
    private final boolean enabled;
    private final Set<String> literalOrigins;
    private final Set<String> methods;
    private final String allowCredentials;
    private final String allowHeaders;
    private final String allowMethods;
    private final String exposeHeaders;

    /** Reads the {@code quarkus.http.cors.*} keys from {@code config}. */
    public CorsHeaders(Config config) {
        Optional<List<String>> origins = config.getOptionalValues("quarkus.http.cors.origins", String.class);
        Optional<List<String>> methods = config.getOptionalValues("quarkus.http.cors.methods", String.class);
        Optional<List<String>> headers = config.getOptionalValues("quarkus.http.cors.headers", String.class);
        Optional<List<String>> exposed = config.getOptionalValues("quarkus.http.cors.exposed-headers", String.class);
        boolean on = config.getOptionalValue("quarkus.http.cors.enabled", Boolean.class).orElse(false);
        // Only the plain configuration is mirrored; with wildcards or patterns Quarkus' filter decides.
        boolean plain = origins.isPresent() && methods.isPresent()
                && !hasWildcard(origins) && !hasWildcard(methods) && !hasWildcard(headers) && !hasWildcard(exposed)
                && origins.get().stream().noneMatch(o -> o.startsWith("/") && o.endsWith("/"));
        this.enabled = on;
        this.literalOrigins = on && plain ? Set.copyOf(origins.get().stream().map(String::trim).toList()) : Set.of();
        // Compared as Quarkus does: exactly (a method configured as "get" allows no GET).
        this.methods = methods.map(list -> Set.copyOf(list.stream().map(String::trim).toList())).orElse(Set.of());
        this.allowCredentials = String.valueOf(config.getOptionalValue(
                "quarkus.http.cors.access-control-allow-credentials", Boolean.class).orElse(true));
        this.allowHeaders = headers.map(CorsHeaders::join).orElse(null);
        this.allowMethods = methods.map(CorsHeaders::join).orElse(null);
        this.exposeHeaders = exposed.map(CorsHeaders::join).orElse(null);
    }

    /**
     * Adds the CORS headers a non-preflight request with {@code method} from {@code origin} gets, when this class
     * can decide it.
     *
     * @param origin the request's {@code Origin} header; null when absent
     * @return false when Quarkus' CORS filter must handle the request (nothing was added)
     */
    public boolean add(HttpMethod method, String origin, MultiMap responseHeaders) {
        if (origin == null || !enabled) {
            return true;
        }
        if (!literalOrigins.contains(origin) || !methods.contains(method.name())) {
            return false;
        }
        responseHeaders.set(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, allowCredentials);
        responseHeaders.set(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin);
        if (allowHeaders != null) {
            responseHeaders.add(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, allowHeaders);
        }
        if (allowMethods != null) {
            responseHeaders.add(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, allowMethods);
        }
        if (exposeHeaders != null) {
            responseHeaders.add(HttpHeaders.ACCESS_CONTROL_EXPOSE_HEADERS, exposeHeaders);
        }
        return true;
    }

    private static boolean hasWildcard(Optional<List<String>> values) {
        return values.isPresent() && values.get().stream().anyMatch(v -> v.trim().equals("*"));
    }

    private static String join(List<String> values) {
        return String.join(",", values);
    }
}
