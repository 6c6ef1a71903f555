package dev.devdb.core;

import java.time.Instant;

/**
 * A container {@code devdb prune} removed (or, with a dry run, would remove).
 *
 * @param name instance name (the container name for devdb's own helper containers)
 * @param container container name
 * @param state the container's state when it was found
 * @param exitCode the server's exit code when it exited, or null
 * @param reason {@link #EXPIRED}, {@link #STOPPED} or {@link #NEVER_STARTED}
 * @param expires the expiry {@code up --ttl} recorded, or null
 */
public record Pruned(String name, String container, String state, Integer exitCode, String reason, Instant expires) {
    /** Past the expiry {@code up --ttl} recorded. */
    public static final String EXPIRED = "expired";
    /** The server exited or the container is dead. */
    public static final String STOPPED = "stopped";
    /** Created more than a minute ago and never started: an up was killed between the two. */
    public static final String NEVER_STARTED = "never-started";
}
