package dev.realtime.finance;

import io.quarkus.test.junit.QuarkusIntegrationTest;

/** The same suite against the packaged application (and, in the native workflow, the native executable). */
@QuarkusIntegrationTest
class FinanceRealtimeIT extends FinanceRealtimeTest {}
