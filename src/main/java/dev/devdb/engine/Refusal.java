package dev.devdb.engine;

import dev.devdb.error.DevDbException;

/**
 * The Docker engine answered a request with an error: its HTTP status and its own reason, already
 * worded for the user. {@link DockerEngine} turns every docker-java failure into this (or into the
 * unreachable or interrupted error), and reads the status where a refusal is an answer, not a
 * failure (an image that is not there, a container already gone).
 */
final class Refusal extends DevDbException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final String reason;

    Refusal(int exitCode, String message, int status, String reason, Throwable cause) {
        super(exitCode, message, cause);
        this.status = status;
        this.reason = reason;
    }

    /** The HTTP status the engine answered with (404 not found, 409 conflict, 500 ...). */
    int status() {
        return status;
    }

    /** The engine's own words, first line only. */
    String reason() {
        return reason;
    }

    boolean notFound() {
        return status == 404;
    }

    boolean conflict() {
        return status == 409;
    }
}
