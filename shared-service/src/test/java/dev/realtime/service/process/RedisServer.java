package dev.realtime.service.process;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real {@code redis-server} for tests (never a mock): started on a free port with no persistence, so a
 * restart loses everything, as a Redis without persistence does in production.
 */
public final class RedisServer implements AutoCloseable {
    private final int port;
    private Process process;

    private RedisServer(int port) {
        this.port = port;
    }

    /** Starts a server on a free port; fails with a clear message when redis-server is not installed. */
    public static RedisServer start() {
        RedisServer server = new RedisServer(Ports.free());
        server.startProcess();
        return server;
    }

    /** Returns the port. */
    public int port() {
        return port;
    }

    /** Returns the {@code quarkus.redis.hosts} value. */
    public String url() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server abruptly (SIGKILL): every key is gone. */
    public void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Starts the server again on the same port (empty). */
    public void restart() {
        kill();
        startProcess();
    }

    private void startProcess() {
        String binary = List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server").stream()
                .filter(p -> Files.isExecutable(Path.of(p))).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "redis-server is not installed: apt-get install -y redis-server (.ci/run does)"));
        try {
            process = new ProcessBuilder(binary, "--bind", "127.0.0.1", "--port", Integer.toString(port), "--save", "",
                    "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start redis-server", e);
        }
        Ports.awaitListening(port, Duration.ofSeconds(10));
    }

    @Override
    public void close() {
        kill();
    }

    /** Returns whether something accepts connections on {@code port}. */
    static boolean listening(int port) {
        try (Socket ignored = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
