package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ExecResult;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Greeting;
import dev.devdb.mysql.StartScript;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Waiting for a started server: until it greets over TCP and devdb's start script says it is set up,
 * or until the script reaches a given state; failing fast, with the server's own errors or the failing
 * seed's, when the container stops.
 */
final class Readiness {
    /** At most this many lines of a failed start's log are read: enough for the seeds' output. */
    private static final int START_LOG_LINES = 20_000;

    private final Engine engine;

    Readiness(Engine engine) {
        this.engine = engine;
    }

    /**
     * Waits until the server greets over TCP; fails fast with the server's errors when it dies. Returns the
     * container as last inspected while waiting (running, its port published): nobody needs to ask again.
     */
    ContainerInfo waitReady(String id, String name, Duration timeout, UpListener listener, boolean removeOnFailure,
            Seeds seeds) {
        return await(id, name, timeout, listener, removeOnFailure, seeds, null);
    }

    /**
     * Waits until devdb's start script has created a file in its state directory; fails fast with the
     * server's errors when the container stops.
     *
     * @param removeOnFailure whether the caller removes the container on failure (the message says so)
     */
    void awaitFile(String id, String name, Duration timeout, UpListener listener, String stateFile,
            boolean removeOnFailure) {
        await(id, name, timeout, listener, removeOnFailure, Seeds.NONE, stateFile);
    }

    /**
     * Waits until the server is ready or, with a state file, until the start script has created it;
     * fails fast with the server's errors when the container stops.
     */
    private ContainerInfo await(String id, String name, Duration timeout, UpListener listener, boolean removeOnFailure,
            Seeds seeds, String stateFile) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Integer port = null;
        ContainerInfo last = null;
        Map<String, String> labels = Map.of();
        String lastRefusal = null;
        int round = 0;
        while (true) {
            if (port == null || round % 10 == 0) {
                ContainerInfo c = engine.inspect(id).orElseThrow(() -> new DevDbException(ExitCodes.SERVER_FAILED,
                        "instance " + name + " disappeared while starting"));
                if (!c.running()) {
                    throw stopped(id, name, c.image(), c.exitCode(), listener, removeOnFailure, seeds);
                }
                port = c.hostPort();
                labels = c.labels();
                last = c;
            }
            if (stateFile != null) {
                if (engine.readFiles(id, StartScript.STATE_DIRECTORY).containsKey(stateFile)) {
                    return last;
                }
            } else if (port != null) {
                Greeting.Answer answer = greet(last, port, 1000);
                if (answer.ready() && initialised(id, labels)) {
                    return last;
                }
                if (answer.error() != null) {
                    lastRefusal = answer.error();
                }
            }
            if (System.nanoTime() > deadline) {
                List<String> tail = engine.logs(id, 20);
                listener.serverErrors(tail);
                throw new DevDbException(ExitCodes.TIMEOUT, "the server in " + name
                        + (stateFile == null ? " did not accept connections" : " was not set up") + " within "
                        + Durations.format(timeout) + (lastRefusal != null ? " (last answer: " + lastRefusal + ")" : "")
                        + "; raise --timeout, or look at the log lines above"
                        + (removeOnFailure ? "; the container was removed" : ""));
            }
            round++;
            try {
                Thread.sleep(round < 100 ? 20 : 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while waiting for " + name);
            }
        }
    }

    /**
     * Whether the server in a container greets: over TCP where this machine reaches its published port,
     * else (the port is on another host's loopback) from inside the container, through the engine.
     */
    Greeting.Answer greet(ContainerInfo c, int port, int timeoutMillis) {
        String bind = PublishedPorts.bind(c.labels());
        if (PublishedPorts.reachable(engine.endpoint(), bind)) {
            return Greeting.probe(PublishedPorts.clientHost(engine.endpoint(), bind), port, timeoutMillis);
        }
        // the first five bytes of the server's first packet: its length, sequence 0, then protocol 10 (0x0a)
        ExecResult r = engine.exec(c.id(), List.of("bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/3306 && timeout "
                + Math.max(1, timeoutMillis / 1000) + " head -c 5 <&3 | od -An -tx1"), Map.of());
        String[] bytes = r.stdout().trim().split("\\s+");
        return r.exitCode() == 0 && bytes.length == 5 && bytes[4].equals("0a")
                ? new Greeting.Answer(true, null, null) : new Greeting.Answer(false, null, null);
    }

    /**
     * Whether a server that greets has been set up: devdb's start script says so with a file, which
     * containers made before it (without the label) do not have.
     */
    boolean initialised(String id, Map<String, String> labels) {
        String file = labels.get(Labels.READY_FILE);
        if (file == null || file.isEmpty()) {
            return true;
        }
        int slash = file.lastIndexOf('/');
        return engine.readFiles(id, file.substring(0, slash)).containsKey(file.substring(slash + 1));
    }

    /**
     * Why the server stopped while starting: an image that lacks what devdb needs, as the start script
     * said (exit 14); the failing seed's own error (exit 11), read from the whole log of the start so
     * that nothing logged after it hides it; or the server's (exit 8).
     */
    private DevDbException stopped(String id, String name, String image, Integer exitCode, UpListener listener,
            boolean removed, Seeds seeds) {
        List<String> logs = engine.logs(id, START_LOG_LINES);
        Optional<String> unfit = StartScript.unfitImage(exitCode, logs);
        if (unfit.isPresent()) {
            return Launcher.unfitImage(image, unfit.get(), removed, null);
        }
        if (exitCode != null && exitCode == StartScript.CONFIG_REFUSED_EXIT) {
            ServerLogs.Stop refused = ServerLogs.whyStopped(logs, exitCode);
            listener.serverErrors(refused.lines());
            return new DevDbException(ExitCodes.SERVER_FAILED, "the server in " + name + " refused its configuration: "
                    + refused.reason() + "; nothing was initialised" + (removed ? " and the container was removed" : ""));
        }
        Seeds.Failure seed = seeds.failure(logs);
        ServerLogs.Stop stop = ServerLogs.whyStopped(
                seed != null ? seed.output() : logs.subList(Math.max(0, logs.size() - 200), logs.size()), exitCode);
        listener.serverErrors(stop.lines());
        String after = removed ? "; the container was removed" : "";
        if (seed != null) {
            return new DevDbException(ExitCodes.SEED_FAILED, "seed " + seed.seed() + " failed in " + name + ": "
                    + stop.reason() + after);
        }
        return new DevDbException(ExitCodes.SERVER_FAILED, "the server in " + name + " stopped while starting"
                + (exitCode != null ? " (exit code " + exitCode + ")" : "") + ": " + stop.reason() + after);
    }
}
