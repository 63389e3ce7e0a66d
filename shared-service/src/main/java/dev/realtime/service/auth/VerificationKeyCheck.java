package dev.realtime.service.auth;

import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Fails the start-up when no token could ever be verified: no verification key is configured, or the key file
 * named by {@code mp.jwt.verify.publickey.location} cannot be read. Without this check such a service would
 * report ready and answer every request 401.
 */
@Startup
@ApplicationScoped
public class VerificationKeyCheck {
    private static final Logger LOG = Logger.getLogger(VerificationKeyCheck.class);

    VerificationKeyCheck(@ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> inline) {
        if (inline.filter(k -> !k.isBlank()).isPresent()) {
            return;
        }
        String where = location.filter(l -> !l.isBlank()).orElseThrow(() -> new IllegalStateException(
                "no token verification key: set mp.jwt.verify.publickey.location (MP_JWT_VERIFY_PUBLICKEY_LOCATION)"));
        if (where.startsWith("http://") || where.startsWith("https://")) {
            LOG.infof("token verification keys fetched from: location=%s", where);
            return;
        }
        if (!readable(where)) {
            throw new IllegalStateException("token verification key unreadable: mp.jwt.verify.publickey.location="
                    + where);
        }
    }

    private static boolean readable(String location) {
        try {
            if (location.startsWith("file:")) {
                return nonEmpty(Path.of(URI.create(location)));
            }
            String resource = location.startsWith("classpath:") ? location.substring("classpath:".length())
                    : location;
            Path file = Path.of(resource);
            if (Files.exists(file)) {
                return nonEmpty(file);
            }
            try (InputStream in = Thread.currentThread().getContextClassLoader()
                    .getResourceAsStream(resource.startsWith("/") ? resource.substring(1) : resource)) {
                return in != null && in.read() >= 0;
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean nonEmpty(Path file) throws IOException {
        return Files.isReadable(file) && Files.size(file) > 0;
    }
}
