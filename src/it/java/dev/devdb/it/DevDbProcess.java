package dev.devdb.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * devdb as a separate process, the way scripts run it: the ./devdb launcher, or bash around it.
 * Output goes to files, so that many can run at once without filling pipes.
 */
record DevDbProcess(Process process, Path out, Path err) {
    /** The launcher script at the project root (failsafe runs in the project directory). */
    static final Path LAUNCHER = Path.of("devdb").toAbsolutePath();

    static DevDbProcess start(Path cwd, Map<String, String> env, List<String> command) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().putIfAbsent("DEVDB_REGISTRY", "devdb-test");
        pb.environment().put("XDG_CONFIG_HOME", cwd.resolve(".config").toString());
        TestScope.env(pb.environment());
        pb.environment().putAll(env);
        try {
            Path out = Files.createTempFile(cwd, "stdout", ".txt");
            Path err = Files.createTempFile(cwd, "stderr", ".txt");
            return new DevDbProcess(pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start(), out, err);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** devdb ARGS... */
    static DevDbProcess devdb(Path cwd, String... args) {
        List<String> command = new ArrayList<>();
        command.add(LAUNCHER.toString());
        command.addAll(List.of(args));
        return start(cwd, Map.of(), command);
    }

    /** bash -c SCRIPT, with $DEVDB naming the launcher. */
    static DevDbProcess bash(Path cwd, Map<String, String> env, String script) {
        Map<String, String> e = new java.util.HashMap<>(env);
        e.put("DEVDB", LAUNCHER.toString());
        return start(cwd, e, List.of("bash", "-c", script));
    }

    /** Waits for the process; its exit code and output. */
    Cli.Result finish(long timeoutSeconds) {
        try {
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("process did not finish within " + timeoutSeconds + " s; stderr so far:\n"
                        + Files.readString(err));
            }
            return new Cli.Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
