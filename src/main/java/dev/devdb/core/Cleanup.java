package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Undoes what an operation created when it fails, or when the process is stopped while it runs
 * (Ctrl-C, SIGTERM: the JVM then runs its shutdown hooks while the operation's thread goes on).
 *
 * <p>Everything an operation creates on the engine goes through {@link #create}. The undo finds what
 * was created by a label the operation stamps on it, and a create request still on its way is exactly
 * what such a search misses: the engine makes the container after the search, and nobody ever learns
 * its id. So once the process is stopping, no new create is sent, and those already sent are waited
 * for before the undo looks.
 */
final class Cleanup {
    /** How long a stopping process waits for create requests already sent. */
    private static final long IN_FLIGHT_MILLIS = 30_000;

    /** Where undo actions are registered to run when the process is stopped. */
    interface Hooks {
        void add(Thread hook);

        void remove(Thread hook);
    }

    /** The JVM's shutdown hooks. */
    static final Hooks RUNTIME = new Hooks() {
        @Override
        public void add(Thread hook) {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        @Override
        public void remove(Thread hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs, and undoes
            }
        }
    };

    private final Engine engine;
    private final Hooks hooks;
    private int creating;
    private boolean stopping;

    Cleanup(Engine engine, Hooks hooks) {
        this.engine = engine;
        this.hooks = hooks;
    }

    /**
     * Sends a create request, unless the process is stopping.
     *
     * @throws DevDbException with exit code 130 when the process is stopping
     */
    <T> T create(Supplier<T> request) {
        synchronized (this) {
            if (stopping) {
                throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
            }
            creating++;
        }
        try {
            return request.get();
        } finally {
            synchronized (this) {
                creating--;
                notifyAll();
            }
        }
    }

    /**
     * Runs an operation; {@code undo} runs when it throws, or when the process is stopped before it
     * returns. Undo must tolerate running twice and finding nothing.
     *
     * @param what names the hook's thread
     */
    <T> T guard(String what, Runnable undo, Supplier<T> operation) {
        Thread hook = new Thread(() -> {
            stopCreating();
            undo.run();
        }, "devdb-cleanup-" + what);
        hooks.add(hook);
        boolean done = false;
        try {
            T result = operation.get();
            done = true;
            return result;
        } catch (RuntimeException e) {
            if (stopping()) {
                // what the operation ran into once its containers were being removed is the stop itself
                throw e instanceof DevDbException d && d.exitCode() == ExitCodes.INTERRUPTED ? d
                        : new DevDbException(ExitCodes.INTERRUPTED, "interrupted", e);
            }
            throw e;
        } finally {
            if (!done) {
                undo.run();
            }
            hooks.remove(hook);
        }
    }

    /**
     * Throws once the process is stopping: what an operation does next (keeping data in the cache, say)
     * would work on what the clean-up is removing.
     *
     * @throws DevDbException with exit code 130
     */
    void checkNotStopping() {
        if (stopping()) {
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private synchronized boolean stopping() {
        return stopping;
    }

    /** No more create requests; waits (a while) for those already sent to be answered. */
    private synchronized void stopCreating() {
        stopping = true;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(IN_FLIGHT_MILLIS);
        try {
            while (creating > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Removes what one operation created: the containers carrying its token (label {@code devdb.up-token})
     * and, when given, the network it made for them. Best effort: the engine may be gone too.
     */
    void removeByToken(String token, String network) {
        try {
            for (ContainerInfo c : engine.list(Map.of(Labels.MANAGED, "true", Labels.UP_TOKEN, token))) {
                engine.remove(c.id(), Duration.ZERO);
            }
            if (network != null) {
                engine.removeNetwork(network);
            }
        } catch (RuntimeException e) {
            // best effort: what is left carries devdb's labels, so `devdb prune` or `down` finds it
        }
    }
}
