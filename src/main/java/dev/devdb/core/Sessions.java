package dev.devdb.core;

import dev.devdb.engine.AttachedExec;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Flavor;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Commands inside an instance's container: the server's own client (shell) and anything else
 * (exec). Knows nothing of terminals beyond {@link Tty}; the caller owns the local terminal.
 */
public final class Sessions {
    /** The largest piece of input held in memory while it is copied into the container. */
    static final int CHUNK_BYTES = 8 << 20;
    /** SQL longer than this goes in as input rather than as an argument (Linux caps one argument at 128 KiB). */
    static final int MAX_SQL_ARGUMENT = 64 << 10;

    /**
     * Feeds the files of the directory named by $0, in order, into the command given as the
     * remaining arguments, deleting each once read, then removes the directory; exits with the
     * command's status.
     */
    static final String FEED = "for f in \"$0\"/*; do cat \"$f\" && rm -f \"$f\" || exit 1; done | \"$@\"; "
            + "rc=$?; rm -rf \"$0\"; exit $rc";

    /** Every command devdb starts carries this variable, so it can be found again in the container. */
    static final String SESSION_VARIABLE = "DEVDB_SESSION";

    /**
     * Sends signal $1 to the processes whose environment holds DEVDB_SESSION=$0 (the client then
     * cancels its running query), and SIGTERM to those still there a moment later.
     */
    static final String SIGNAL = "signal() { for p in /proc/[0-9]*; do "
            + "if tr '\\0' '\\n' < \"$p/environ\" 2>/dev/null | grep -qx \"DEVDB_SESSION=$0\"; then "
            + "kill -\"$1\" \"${p#/proc/}\" 2>/dev/null; fi; done; }; "
            + "signal \"$1\"; sleep 0.3; signal TERM; exit 0";

    /**
     * Ends the processes whose environment holds DEVDB_SESSION=$0 once their output has no reader:
     * SIGPIPE, as a local pipeline's writer gets; those still there half a second later (a client
     * that ignores SIGPIPE) are killed. Returns once none is left (or after two more seconds).
     */
    static final String END = "alive() { n=0; for p in /proc/[0-9]*; do "
            + "if tr '\\0' '\\n' < \"$p/environ\" 2>/dev/null | grep -qx \"DEVDB_SESSION=$0\"; then "
            + "n=$((n+1)); [ -z \"$1\" ] || kill -\"$1\" \"${p#/proc/}\" 2>/dev/null; fi; done; [ $n -gt 0 ]; }; "
            + "alive PIPE; i=0; while alive && [ $i -lt 10 ]; do sleep 0.05; i=$((i+1)); done; "
            + "i=0; while alive KILL && [ $i -lt 40 ]; do sleep 0.05; i=$((i+1)); done; exit 0";

    private final Engine engine;
    private final Instances instances;

    public Sessions(Engine engine, Instances instances) {
        this.engine = engine;
        this.instances = instances;
    }

    /** The local terminal a command gets as its own: its size, and word when that changes. */
    public interface Tty {
        int columns();

        int rows();

        /** Calls back (on any thread) whenever the local window changes size. */
        void onResize(Runnable callback);
    }

    /**
     * The local end of a session.
     *
     * @param in what the command reads: with a terminal, the keys typed; otherwise input read to
     *     its end before the command starts; null for none
     * @param out where the command's output goes (with a terminal, everything does)
     * @param err where the command's errors go when there is no terminal
     * @param tty the local terminal, or null to run without one
     */
    public record Io(InputStream in, OutputStream out, OutputStream err, Tty tty) {}

    /**
     * What {@code devdb shell} runs.
     *
     * @param name the instance, or null for the only one
     * @param database the database to use, or null for the profile's
     * @param root log in as root rather than the profile's user
     * @param sql statements to run instead of reading input, or null
     */
    public record ShellRequest(String name, String database, boolean root, String sql) {}

    /** The client's command line and environment: the password travels in the environment only. */
    record Login(List<String> command, Map<String, String> env) {}

    /**
     * Runs the server's client: on the SQL given, interactively on the terminal given, or on the
     * input given (read to its end).
     *
     * @return the client's exit code
     */
    public int shell(ShellRequest request, Io io) {
        Instance instance = running(request.name());
        Login login = login(instance, request.database(), request.root());
        if (request.sql() != null) {
            byte[] sql = request.sql().getBytes(StandardCharsets.UTF_8);
            if (sql.length <= MAX_SQL_ARGUMENT) {
                List<String> command = new ArrayList<>(login.command());
                command.add("--execute=" + request.sql());
                return run(instance, command, login.env(), null, io);
            }
            return run(instance, login.command(), login.env(), new ByteArrayInputStream(sql), io);
        }
        return run(instance, login.command(), login.env(), io.in(), io);
    }

    /**
     * Runs a command in the instance's container.
     *
     * @param input pass {@code io.in()} to the command (without a terminal: read to its end first)
     * @return the command's exit code
     */
    public int exec(String name, List<String> command, boolean input, Io io) {
        Instance instance = running(name);
        return run(instance, command, Map.of(), input || io.tty() != null ? io.in() : null, io);
    }

    private int run(Instance instance, List<String> command, Map<String, String> env, InputStream in, Io io) {
        String token = Passwords.generate(16);
        Map<String, String> tagged = new LinkedHashMap<>(env);
        tagged.put(SESSION_VARIABLE, token);
        boolean tty = io.tty() != null;
        String directory = tty || in == null ? null : "/tmp/devdb-input-" + token;
        // devdb killed (Ctrl-C without a terminal, SIGTERM): the engine would leave the command
        // running, so stop it as its terminal or its user would, and drop unread input
        Thread cleanup = new Thread(() -> {
            signal(instance, token, tty ? "HUP" : "INT");
            if (directory != null) {
                removeQuietly(instance, directory);
            }
        }, "devdb-session-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean started = false;
        try {
            AttachedExec exec;
            if (tty) {
                exec = engine.execAttached(instance.containerId(), command, tagged, true, in, io.out(), io.out());
                Tty terminal = io.tty();
                terminal.onResize(() -> exec.resize(terminal.columns(), terminal.rows()));
                exec.resize(terminal.columns(), terminal.rows());
            } else if (directory == null) {
                exec = engine.execAttached(instance.containerId(), command, tagged, false, null, io.out(), io.err());
            } else {
                engine.copyStream(instance.containerId(), directory, in, CHUNK_BYTES);
                List<String> fed = new ArrayList<>(List.of("sh", "-c", FEED, directory));
                fed.addAll(command);
                exec = engine.execAttached(instance.containerId(), fed, tagged, false, null, io.out(), io.err());
            }
            started = true;
            int code = await(exec);
            if (exec.outputClosed()) {
                end(engine, instance.containerId(), token);
            }
            return code;
        } finally {
            if (!started && directory != null) {
                removeQuietly(instance, directory);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook does the clean-up
            }
        }
    }

    /** Sends a signal to every process in the container that carries the session's token. */
    private void signal(Instance instance, String token, String signal) {
        try {
            engine.exec(instance.containerId(), List.of("sh", "-c", SIGNAL, token, signal), Map.of());
        } catch (RuntimeException e) {
            // best effort: the container or the engine may be gone
        }
    }

    /**
     * Ends a command started with {@code DEVDB_SESSION=token} in its environment whose output lost its
     * reader: the engine would let it run on, writing to nobody.
     */
    static void end(Engine engine, String containerId, String token) {
        try {
            engine.exec(containerId, List.of("sh", "-c", END, token), Map.of());
        } catch (RuntimeException e) {
            // best effort: the container or the engine may be gone
        }
    }

    private void removeQuietly(Instance instance, String directory) {
        try {
            engine.exec(instance.containerId(), List.of("rm", "-rf", directory), Map.of());
        } catch (RuntimeException e) {
            // best effort: the container or the engine may be gone
        }
    }

    private static int await(AttachedExec exec) {
        try {
            return exec.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private Instance running(String name) {
        Instance instance = instances.get(name);
        if (!instance.running()) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + instance.name() + " is not running ("
                    + instance.state() + "); start it again with `devdb up " + instance.profile() + " --name "
                    + instance.name() + " --recreate`, or remove it with `devdb down " + instance.name() + "`");
        }
        return instance;
    }

    /** The client, logged in as the profile's user (or root) on the database, password in MYSQL_PWD. */
    static Login login(Instance instance, String database, boolean root) {
        Flavor flavor = instance.flavor() == null ? Flavor.MYSQL : instance.flavor();
        String user = root ? "root" : instance.user();
        String password = root ? instance.rootPassword() : instance.password();
        String db = database != null ? database : instance.database();
        List<String> command = new ArrayList<>();
        command.add(flavor.client());
        command.add("--user=" + user);
        if (db != null && !db.isEmpty()) {
            command.add("--database=" + db);
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (password != null && !password.isEmpty()) {
            env.put("MYSQL_PWD", password);
        }
        return new Login(List.copyOf(command), env);
    }
}
