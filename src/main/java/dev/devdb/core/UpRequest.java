package dev.devdb.core;

import java.time.Duration;
import java.util.Map;

/**
 * What {@code devdb up} was asked for.
 *
 * @param profile profile name or path, or null for the default
 * @param name instance name, or null for the profile's name
 * @param port fixed host port, or null
 * @param set server options given on the command line (override the profile's)
 * @param slowLogSeconds long_query_time for the slow log, or null to leave it off
 * @param generalLog turn on the general log
 * @param pull when to pull the image
 * @param timeout how long to wait for the server
 * @param recreate replace an existing instance of that name
 * @param init seed scripts or directories added to the profile's
 * @param noWait return once the container started, without waiting for the server
 * @param ttl how long the instance may live before {@code devdb prune} removes it, or null
 * @param cdc configure the server for change-data-capture connectors (also when the profile does not)
 * @param replicas how many replicas to start with the primary, or null for the profile's number
 * @param network an existing Docker network to attach the instance to as well, or null
 * @param alias the instance's host name on that network, or null for its name
 * @param bind the address of the engine's host to publish the port on, or null for 127.0.0.1
 */
public record UpRequest(
        String profile,
        String name,
        Integer port,
        Map<String, String> set,
        Double slowLogSeconds,
        boolean generalLog,
        PullPolicy pull,
        Duration timeout,
        boolean recreate,
        java.util.List<java.nio.file.Path> init,
        boolean noWait,
        Duration ttl,
        boolean cdc,
        Integer replicas,
        String network,
        String alias,
        String bind) {

    /** A request publishing the port on the engine host's 127.0.0.1. */
    public UpRequest(String profile, String name, Integer port, Map<String, String> set, Double slowLogSeconds,
            boolean generalLog, PullPolicy pull, Duration timeout, boolean recreate, java.util.List<java.nio.file.Path> init,
            boolean noWait, Duration ttl, boolean cdc, Integer replicas, String network, String alias) {
        this(profile, name, port, set, slowLogSeconds, generalLog, pull, timeout, recreate, init, noWait, ttl, cdc,
                replicas, network, alias, null);
    }

    /** A request that waits for the server, sets no expiry and asks for a standalone instance. */
    public UpRequest(String profile, String name, Integer port, Map<String, String> set, Double slowLogSeconds,
            boolean generalLog, PullPolicy pull, Duration timeout, boolean recreate,
            java.util.List<java.nio.file.Path> init) {
        this(profile, name, port, set, slowLogSeconds, generalLog, pull, timeout, recreate, init, false, null, false,
                null, null, null, null);
    }

    /** When {@code up} pulls the image. */
    public enum PullPolicy {
        MISSING,
        ALWAYS,
        NEVER
    }
}
