package dev.devdb.engine;

/** Output that arrives from the engine while something runs: container logs, or a command's output. */
public interface Streaming extends AutoCloseable {

    /**
     * Waits until the stream ends (the command exits, the container stops, or {@link #close} is
     * called); returns the command's exit code, 0 for container logs, -1 when it is not known.
     */
    int await() throws InterruptedException;

    /** Stops reading; {@link #await} returns. A command inside the container is not killed by this. */
    @Override
    void close();
}
