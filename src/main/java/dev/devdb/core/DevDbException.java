package dev.devdb.core;

/** A failure the user can act on: a one-line message and the process exit code that goes with it. */
public class DevDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public DevDbException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public DevDbException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
