package dev.realtime.service.http;

import io.quarkus.vertx.http.runtime.security.HttpSecurityPolicy;
import io.quarkus.vertx.http.runtime.security.PathMatchingHttpSecurityPolicy;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Singleton;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;
import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

/**
 * Whether the two hot paths (the long-poll and the publish) may be served ahead of Quarkus' HTTP filter chain and
 * REST layer, and the route order that puts them there.
 *
 * <p>Ahead of the filters, Quarkus' security handlers and the REST layer do not run. The service needs neither
 * there: the hot paths check the token and add the CORS headers themselves ({@link CorsHeaders}). But an operator
 * may configure security that lives in them, and it must then hold on these paths too. So the hot paths are not
 * installed ahead, and every request takes the ordinary way through the filters (the price is the filters' CPU per
 * request, bench/README.md), when any of these is present:
 * <ul>
 *   <li>an HTTP path permission, {@code quarkus.http.auth.permission.*};</li>
 *   <li>a REST security default, {@code quarkus.security.jaxrs.*} (e.g. deny unannotated endpoints), which the
 *       publish resource would get;</li>
 *   <li>a configured filter with an explicit {@code quarkus.http.filter.*.order}: by default Quarkus runs such
 *       filters (and {@code quarkus.http.header.*}) first of all, ahead of the hot paths too, but with an order of
 *       its own a filter may come after them;</li>
 *   <li>a global {@link HttpSecurityPolicy} bean (one without a name) besides Quarkus' own path matching, which
 *       Quarkus applies to every request.</li>
 * </ul>
 * Permissions added in code through {@code HttpSecurity} are not seen here: a service that adds them must set one
 * in configuration too. Immutable and thread-safe.
 */
@Singleton
public final class AheadOfFilters {
    /**
     * Route order ahead of every Quarkus HTTP filter (a filter of priority p is a route of order -p: CORS -300,
     * authentication -200, authorization -100) and behind only the handlers Quarkus puts first of all.
     */
    public static final int ORDER = -10_000;

    private static final Logger LOG = Logger.getLogger(AheadOfFilters.class);

    private final Optional<String> blockedBy;

    /**
     * Looks through the property names of {@code config} for security or filter configuration that applies in the
     * filter chain, and through {@code policies} for a global one.
     */
    public AheadOfFilters(Config config, @Any Instance<HttpSecurityPolicy> policies) {
        Optional<String> blocked = filterConfigKey(config.getPropertyNames());
        if (blocked.isEmpty()) {
            // Quarkus' own path-matching policy is global too; it enforces the permissions looked for above.
            blocked = policies.stream()
                    .filter(policy -> policy.name() == null && !(policy instanceof PathMatchingHttpSecurityPolicy))
                    .findFirst()
                    .map(policy -> "the global HttpSecurityPolicy " + policy.getClass().getName());
        }
        this.blockedBy = blocked;
        blocked.ifPresent(reason -> LOG.infof("Because of %s, the long-poll and the publish go through Quarkus' "
                + "HTTP filters like every other request (slower; bench/README.md)", reason));
    }

    /** Returns whether the hot paths are served ahead of the filter chain. */
    public boolean enabled() {
        return blockedBy.isEmpty();
    }

    /**
     * Routes {@code path} to {@code handler} ahead of the filter chain, unless configuration forbids it; then nothing
     * is installed and the path's ordinary route (behind the filters) serves every request.
     */
    public void route(Router router, String path, Handler<RoutingContext> handler) {
        if (enabled()) {
            router.route(path).order(ORDER).handler(handler);
        }
    }

    /**
     * Returns the first name among {@code names} that configures security or filters applied in the filter chain,
     * as written (a name from the environment, such as {@code QUARKUS_HTTP_AUTH_PERMISSION_ADMINS_PATHS}, counts
     * too); empty if none does.
     */
    static Optional<String> filterConfigKey(Iterable<String> names) {
        Predicate<String> applies = dotted -> dotted.startsWith("quarkus.http.auth.permission.")
                || dotted.startsWith("quarkus.security.jaxrs.")
                || dotted.startsWith("quarkus.http.filter.") && dotted.endsWith(".order");
        return StreamSupport.stream(names.spliterator(), false)
                .filter(name -> applies.test(name.toLowerCase(Locale.ROOT).replace('_', '.')))
                .findFirst();
    }
}
