package dev.realtime.finance;

import dev.realtime.service.contract.RedisTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The whole contract suite again, with the packaged service in scale-out mode on a real redis-server. */
@QuarkusIntegrationTest
@QuarkusTestResource(value = RedisTestResource.class, restrictToAnnotatedClass = true)
class FinanceRedisIT extends FinanceRealtimeTest {}
