package dev.devdb.core;

import java.time.Duration;

/**
 * The outcome of {@code up}.
 *
 * @param instance the ready instance, credentials included
 * @param reused true when an identical instance was already running
 * @param elapsed wall time of the call
 * @param ready true when the server accepted connections before up returned (false only with noWait)
 * @param replicas the replicas of a topology's primary, in order; empty for a standalone instance
 */
public record UpResult(Instance instance, boolean reused, Duration elapsed, boolean ready,
        java.util.List<Instance> replicas) {

    /** The result of an up that waited for the server. */
    public UpResult(Instance instance, boolean reused, Duration elapsed) {
        this(instance, reused, elapsed, true, java.util.List.of());
    }

    /** The result of an up of a standalone instance. */
    public UpResult(Instance instance, boolean reused, Duration elapsed, boolean ready) {
        this(instance, reused, elapsed, ready, java.util.List.of());
    }
}
