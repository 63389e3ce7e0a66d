package dev.realtime.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The machinery every scenario shares: one Vert.x event loop (all load-tool state lives on it, so none of it is
 * locked), connections from the configured source addresses, the target and the server probe. The main thread
 * only starts work on the loop and waits for it, always with a deadline; a watchdog closes any connection whose
 * request has waited longer than {@link #REQUEST_LIMIT_NANOS}, so no single request can hang a run either.
 */
final class Run implements AutoCloseable {

    /** Longest a request may wait for its reply: the 25 s long-poll plus a generous margin. */
    static final long REQUEST_LIMIT_NANOS = 45_000_000_000L;

    final Vertx vertx;
    final Context loop;
    final Target target;
    final Probe server;
    /** For the rare status reads (metrics, channel counts), not for load. */
    final HttpClient admin;
    private final String host;
    private final int port;
    private final List<NetClient> clients = new ArrayList<>();
    private final List<Connection> connections = new ArrayList<>();
    private final long base = System.nanoTime();

    Run(Target target, Probe server, String host, int port, List<String> sourceAddresses) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(10_000));
        this.loop = vertx.getOrCreateContext();
        this.target = target;
        this.server = server;
        this.host = host;
        this.port = port;
        for (String address : sourceAddresses) {
            NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(10_000);
            // An explicit bind(addr, 0) searches the whole port range for every connection, which at 19,000
            // connections costs milliseconds each; let connect() pick the source address unless one was asked for.
            if (!address.isEmpty()) {
                options.setLocalAddress(address);
            }
            clients.add(vertx.createNetClient(options));
        }
        this.admin = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setConnectTimeout(10_000),
                new PoolOptions().setHttp1MaxSize(4));
        loop.runOnContext(v -> vertx.setPeriodic(1_000, id -> {
            long now = System.nanoTime();
            connections.removeIf(Connection::isClosed);
            for (Connection c : connections) {
                if (c.overdue(now, REQUEST_LIMIT_NANOS)) {
                    c.close("no reply within " + REQUEST_LIMIT_NANOS / 1_000_000_000L + " s");
                }
            }
        }));
    }

    /** Opens a connection to the target for owner {@code index} (spread over the source addresses). */
    Future<Connection> connect(int index) {
        return Connection.open(clients.get(index % clients.size()), host, port).map(c -> {
            connections.add(c);
            return c;
        });
    }

    /** Nanoseconds on the tool's clock (the clock of {@link Message#sentNanos()}). */
    long now() {
        return System.nanoTime() - base;
    }

    /** Runs {@code work} on the loop and waits for the future it returns, at most {@code seconds}. */
    <T> T await(Supplier<Future<T>> work, long seconds) {
        CompletableFuture<T> done = new CompletableFuture<>();
        loop.runOnContext(ignored -> {
            try {
                work.get().onComplete(r -> {
                    if (r.succeeded()) {
                        done.complete(r.result());
                    } else {
                        done.completeExceptionally(r.cause());
                    }
                });
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        });
        try {
            return done.get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer within " + seconds + " s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Reads loop state from the main thread. */
    <T> T read(Supplier<T> value) {
        return await(() -> Future.succeededFuture(value.get()), 30);
    }

    /** CPU seconds this load tool has used. */
    static double ownCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null)
                .join();
    }
}
