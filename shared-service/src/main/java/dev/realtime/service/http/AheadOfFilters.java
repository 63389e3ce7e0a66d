package dev.realtime.service.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.inject.Singleton;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Whether the two hot paths (the long-poll and the publish) may be served ahead of Quarkus' HTTP filter chain, and
 * the route order that puts them there.
 *
 * <p>Ahead of the filters, Quarkus' security handlers do not run, so path-based HTTP permissions
 * ({@code quarkus.http.auth.permission.*}) would not apply there. The service configures none; the hot paths check
 * the token and add the CORS headers themselves ({@link CorsHeaders}). When an operator configures a permission,
 * the hot paths are not installed ahead and every request takes the ordinary way through the filters, so the
 * permission holds everywhere (the price is the filters' CPU per request, bench/README.md). Configured response
 * headers and filters ({@code quarkus.http.header.*}, {@code quarkus.http.filter.*}) reach the hot paths either way.
 * Permissions set up in code ({@code HttpSecurity}) are not seen here: a service that adds them must set one in
 * configuration too. Immutable and thread-safe.
 */
@Singleton
public final class AheadOfFilters {
    /**
     * Route order ahead of every Quarkus HTTP filter (a filter of priority p is a route of order -p: CORS -300,
     * authentication -200, authorization -100) and behind only the handlers Quarkus puts first of all.
     */
    public static final int ORDER = -10_000;

    /** Configuration that takes effect in the filter chain, so a route ahead of it would skip it. */
    static final List<String> FILTER_CONFIG_PREFIXES = List.of("quarkus.http.auth.permission.");

    private static final Logger LOG = Logger.getLogger(AheadOfFilters.class);

    private final Optional<String> blockedBy;

    /** Looks through the property names of {@code config} for configuration of the filter chain. */
    public AheadOfFilters(Config config) {
        this.blockedBy = filterConfigKey(config.getPropertyNames());
        blockedBy.ifPresent(key -> LOG.infof("%s is configured, so the long-poll and the publish go through "
                + "Quarkus' HTTP filters like every other request (slower; bench/README.md)", key));
    }

    /** Returns whether the hot paths are served ahead of the filter chain. */
    public boolean enabled() {
        return blockedBy.isEmpty();
    }

    /**
     * Routes {@code path} to {@code handler} ahead of the filter chain, unless filter configuration forbids it;
     * then nothing is installed and the path's ordinary route (behind the filters) serves every request.
     */
    public void route(Router router, String path, Handler<RoutingContext> handler) {
        if (enabled()) {
            router.route(path).order(ORDER).handler(handler);
        }
    }

    /**
     * Returns the first name among {@code names} that configures the filter chain, as written (a name from the
     * environment, such as {@code QUARKUS_HTTP_AUTH_PERMISSION_ADMINS_PATHS}, counts too); empty if none does.
     */
    static Optional<String> filterConfigKey(Iterable<String> names) {
        return StreamSupport.stream(names.spliterator(), false)
                .filter(name -> {
                    String dotted = name.toLowerCase(Locale.ROOT).replace('_', '.');
                    return FILTER_CONFIG_PREFIXES.stream().anyMatch(dotted::startsWith);
                })
                .findFirst();
    }
}
