package dev.realtime.service.contract;

import dev.realtime.service.process.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.Map;

/** Runs the service under test in scale-out mode against a real redis-server started for the test. */
public final class RedisTestResource implements QuarkusTestResourceLifecycleManager {
    private RedisServer redis;

    @Override
    public Map<String, String> start() {
        redis = RedisServer.start();
        return Map.of("realtime.fanout", "redis", "quarkus.redis.hosts", redis.url());
    }

    @Override
    public void stop() {
        if (redis != null) {
            redis.close();
        }
    }
}
