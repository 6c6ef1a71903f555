package dev.devdb.core;

import java.time.Duration;

/**
 * The outcome of {@code up}.
 *
 * @param instance the ready instance, credentials included
 * @param reused true when an identical instance was already running
 * @param elapsed wall time of the call
 */
public record UpResult(Instance instance, boolean reused, Duration elapsed) {}
