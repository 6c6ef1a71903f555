package dev.devdb.core;

import java.time.Duration;

/**
 * The outcome of {@code reset}.
 *
 * @param result the instance, ready, and the wall time of the call
 * @param inPlace true when the reset was done inside the running server, without a restart
 * @param fallback why a reset that could have been done inside the server restarted it instead; null
 *     when it was done inside, or when a full reset was asked for
 * @param server the time the reset took inside the server (in place only, else null)
 * @param waited the time it waited there for the prepared copy of the previous reset (in place only)
 */
public record ResetResult(UpResult result, boolean inPlace, String fallback, Duration server, Duration waited) {}
