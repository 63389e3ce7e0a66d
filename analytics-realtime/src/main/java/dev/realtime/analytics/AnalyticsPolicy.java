package dev.realtime.analytics;

import dev.realtime.service.policy.DomainPolicy;
import jakarta.inject.Singleton;

/**
 * Analytics is very high frequency: events of the same type and entity within
 * {@code realtime.buffer.coalesce-window} merge at buffer level into one event with the latest payload and a
 * {@code count}, and clients debounce heavy aggregates longer ({@code realtime.client.debounce}). Both are
 * configuration; the domain needs no logic of its own.
 */
@Singleton
public class AnalyticsPolicy implements DomainPolicy {}
