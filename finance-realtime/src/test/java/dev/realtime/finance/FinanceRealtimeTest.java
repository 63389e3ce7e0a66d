package dev.realtime.finance;

import dev.realtime.service.contract.RealtimeContractTest;
import io.quarkus.test.junit.QuarkusTest;

/** The API contract against the finance service. */
@QuarkusTest
class FinanceRealtimeTest extends RealtimeContractTest {}
