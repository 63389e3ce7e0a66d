package dev.realtime.bench.load;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
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
 * locked), HTTP clients bound to the configured source addresses, the target and the server probe. The main thread
 * only starts work on the loop and waits for it, always with a deadline.
 */
final class Run implements AutoCloseable {

    final Vertx vertx;
    final Context loop;
    final Target target;
    final Probe server;
    final HttpClient publishClient;
    private final List<HttpClient> subscriberClients = new ArrayList<>();
    private final long base = System.nanoTime();

    Run(Target target, Probe server, List<String> sourceAddresses, int maxConnections, int publishConnections) {
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1)
                .setInternalBlockingPoolSize(1).setBlockedThreadCheckInterval(10_000));
        this.loop = vertx.getOrCreateContext();
        this.target = target;
        this.server = server;
        int perAddress = maxConnections / sourceAddresses.size() + 1;
        for (String address : sourceAddresses) {
            subscriberClients.add(client(address, perAddress));
        }
        this.publishClient = client(sourceAddresses.get(0), publishConnections);
    }

    private HttpClient client(String localAddress, int connections) {
        HttpClientOptions options = new HttpClientOptions().setLocalAddress(localAddress).setKeepAlive(true)
                .setKeepAliveTimeout(120).setConnectTimeout(10_000).setTcpNoDelay(true);
        return vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** The client subscriber {@code index} connects through (spreads connections over source addresses). */
    HttpClient subscriberClient(int index) {
        return subscriberClients.get(index % subscriberClients.size());
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
