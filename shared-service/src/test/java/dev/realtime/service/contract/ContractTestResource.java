package dev.realtime.service.contract;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * Configures the service under test, whether it runs in the test JVM ({@code @QuarkusTest}) or as the packaged
 * artifact ({@code @QuarkusIntegrationTest}, which receives these as system properties): the test key pair's
 * public half, and limits small enough for the contract suite to reach.
 */
public final class ContractTestResource implements QuarkusTestResourceLifecycleManager {
    /** Parked polls one subject may hold in the service under test. */
    public static final int MAX_PARKED_PER_SUBJECT = 4;

    /**
     * One key file for every boot of the JVM, deleted at exit: boots of different test profiles overlap in
     * start and stop, so a file owned by one boot could vanish under the next.
     */
    private static Path publicKey;

    private static synchronized Path publicKey() {
        if (publicKey == null) {
            try (InputStream key = ContractTestResource.class.getResourceAsStream("/keys/test-public.pem")) {
                if (key == null) {
                    throw new IllegalStateException("keys/test-public.pem is missing from the test classpath");
                }
                publicKey = Files.createTempFile("realtime-test-public", ".pem");
                Files.copy(key, publicKey, StandardCopyOption.REPLACE_EXISTING);
                publicKey.toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKey;
    }

    @Override
    public Map<String, String> start() {
        // Fixed ports may be taken on a shared machine: the management interface gets a free one too.
        String managementPort = Integer.toString(freePort());
        return Map.of(
                "quarkus.management.port", managementPort,
                "quarkus.management.test-port", managementPort,
                "mp.jwt.verify.publickey.location", publicKey().toUri().toString(),
                "realtime.poll.max-parked-per-subject", Integer.toString(MAX_PARKED_PER_SUBJECT),
                "realtime.sweep.interval", "1h",
                "quarkus.shutdown.delay-enabled", "false");
    }

    private static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        // The key file outlives single boots (see publicKey()).
    }
}
