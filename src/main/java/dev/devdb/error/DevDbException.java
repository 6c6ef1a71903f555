package dev.devdb.error;

/**
 * A failure the user can act on: a one-line message and the process exit code that goes with it.
 * Control characters a message picks up from what it quotes are escaped ({@code \n}, {@code \x1b}),
 * so it stays one line and cannot drive the terminal.
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
        return ControlCharacters.escape(message);
    }
}
