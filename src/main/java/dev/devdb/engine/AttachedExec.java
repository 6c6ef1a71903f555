package dev.devdb.engine;

/** A command started inside a container with its streams attached; see {@link Engine#execAttached}. */
public interface AttachedExec {

    /** Sets the size of the command's terminal; does nothing for a command without one. */
    void resize(int columns, int rows);

    /**
     * Waits until the command ends and its output has been written.
     *
     * @return the command's exit code
     * @throws dev.devdb.error.DevDbException when the connection ended without the command
     *     ending (the container stopped, or the engine went away)
     */
    int waitFor() throws InterruptedException;

    /**
     * Whether the command's output could not be written because its reader went away (a closed
     * pipe); the connection to the command is then closed, and {@link #waitFor} returns 141 at once
     * while the command itself may still run.
     */
    boolean outputClosed();
}
