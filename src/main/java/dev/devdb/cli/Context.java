package dev.devdb.cli;

import dev.devdb.core.Instances;
import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.Engine;
import dev.devdb.profile.ProfileCatalog;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/**
 * Everything a command needs from the outside world: its streams, environment, working
 * directory and Docker engine. Main uses the process's own; tests pass their own.
 */
public final class Context {
    private final PrintWriter out;
    private final PrintWriter err;
    private final Map<String, String> env;
    private final Path cwd;
    private final Function<Map<String, String>, Engine> engines;
    private final boolean stdinTerminal;
    private final boolean stdoutTerminal;
    private final boolean stderrTerminal;
    private Engine engine;

    public Context(PrintWriter out, PrintWriter err, Map<String, String> env, Path cwd,
            Function<Map<String, String>, Engine> engines, boolean stdinTerminal, boolean stdoutTerminal,
            boolean stderrTerminal) {
        this.out = out;
        this.err = err;
        this.env = env;
        this.cwd = cwd;
        this.engines = engines;
        this.stdinTerminal = stdinTerminal;
        this.stdoutTerminal = stdoutTerminal;
        this.stderrTerminal = stderrTerminal;
    }

    /** The context of this process. */
    public static Context system() {
        return new Context(new PrintWriter(System.out, true), new PrintWriter(System.err, true), System.getenv(),
                Path.of("").toAbsolutePath(), DockerEngine::connect, isTerminal(0), isTerminal(1), isTerminal(2));
    }

    private static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public Map<String, String> env() {
        return env;
    }

    public Path cwd() {
        return cwd;
    }

    public boolean stdinTerminal() {
        return stdinTerminal;
    }

    public boolean stdoutTerminal() {
        return stdoutTerminal;
    }

    public boolean stderrTerminal() {
        return stderrTerminal;
    }

    /** Colour only on a terminal, and never when NO_COLOR is set. */
    public boolean color() {
        String noColor = env.get("NO_COLOR");
        return stdoutTerminal && (noColor == null || noColor.isEmpty()) && !"dumb".equals(env.get("TERM"));
    }

    /** The engine, connected on first use. */
    public synchronized Engine engine() {
        if (engine == null) {
            engine = engines.apply(env);
        }
        return engine;
    }

    public ProfileCatalog catalog() {
        return ProfileCatalog.standard(env, cwd);
    }

    public Instances instances() {
        return new Instances(engine(), catalog(), env.get("DEVDB_REGISTRY"));
    }
}
