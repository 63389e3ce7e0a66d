package dev.realtime.finance;

import dev.realtime.service.policy.DomainPolicy;
import jakarta.inject.Singleton;

/**
 * Finance, the reference domain: org-scoped events, delivered as published. Everything that makes finance
 * finance (allowed types, buffer size, TTL, debounce hint) is configuration in {@code application.properties}.
 */
@Singleton
public class FinancePolicy implements DomainPolicy {}
