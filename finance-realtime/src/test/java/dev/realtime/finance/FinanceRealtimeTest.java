package dev.realtime.finance;

import dev.realtime.service.contract.ContractTestResource;
import dev.realtime.service.contract.RealtimeContractTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The API contract against the finance service. */
@QuarkusTest
@QuarkusTestResource(ContractTestResource.class)
class FinanceRealtimeTest extends RealtimeContractTest {}
