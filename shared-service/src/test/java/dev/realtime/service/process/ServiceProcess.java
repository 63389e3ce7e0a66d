package dev.realtime.service.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One packaged domain service ({@code target/quarkus-app/quarkus-run.jar}) as a real process on free ports,
 * trusting the test key. For tests about processes: replicas, SIGKILL, SIGTERM.
 */
public final class ServiceProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> properties;
    private final int port = Ports.free();
    private final int managementPort = Ports.free();
    private final Path log;
    private Process process;

    private ServiceProcess(Map<String, String> properties) {
        this.properties = properties;
        try {
            this.log = Files.createTempFile("service-", ".log");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the service with extra system properties and waits until it is ready. */
    public static ServiceProcess start(Map<String, String> properties) {
        ServiceProcess service = new ServiceProcess(properties);
        service.launch();
        return service;
    }

    private void launch() {
        Path jar = Path.of("target", "quarkus-app", "quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: run the package phase first");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-XX:+UseSerialGC", "-Xmx256m", "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort, "-Dmp.jwt.verify.publickey.location="
                        + testPublicKey().toUri()));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.add("-jar");
        command.add(jar.toString());
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady(Duration.ofSeconds(60));
    }

    /** Starts the same service again (same ports) after a kill, and waits until it is ready. */
    public void restart() {
        kill();
        launch();
    }

    /** Returns the public API base URL, e.g. {@code http://127.0.0.1:1234}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Returns the management base URL. */
    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Returns everything the process printed so far. */
    public String output() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the process. */
    public Process process() {
        return process;
    }

    /** Waits (bounded) until readiness answers 200. */
    public void awaitReady(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("service exited: " + output());
            }
            try {
                HttpResponse<Void> ready = HTTP.send(HttpRequest.newBuilder(URI.create(managementUrl()
                        + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            sleep(100);
        }
        throw new IllegalStateException("service not ready within " + within + ": " + output());
    }

    /** SIGKILL: no shutdown hook, no drain. */
    public void kill() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() {
        kill();
    }

    private static Path testPublicKey() {
        try (InputStream key = ServiceProcess.class.getResourceAsStream("/keys/test-public.pem")) {
            Path file = Files.createTempFile("test-public", ".pem");
            Files.copy(key, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
