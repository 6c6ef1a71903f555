package dev.devdb.core;

/**
 * A failure the user can act on: a one-line message and the process exit code that goes with it.
 * Line breaks and NULs a message picks up from what it quotes are escaped ({@code \n}), so it
 * stays one line.
 */
public class DevDbException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public DevDbException(int exitCode, String message) {
        super(oneLine(message));
        this.exitCode = exitCode;
    }

    public DevDbException(int exitCode, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }

    private static String oneLine(String message) {
        if (message == null) {
            return null;
        }
        return message.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
