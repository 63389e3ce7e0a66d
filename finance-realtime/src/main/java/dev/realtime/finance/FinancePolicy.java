package dev.realtime.finance;

import dev.realtime.service.policy.DomainPolicy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Finance, the reference domain: org-scoped events, delivered as published. Everything that makes finance
 * finance (allowed types, buffer size, TTL, debounce hint) is configuration in {@code application.properties}.
 */
@ApplicationScoped
public class FinancePolicy implements DomainPolicy {}
