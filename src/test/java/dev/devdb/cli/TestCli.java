package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devdb.TestClock;
import dev.devdb.engine.FakeEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs devdb commands in-process, the way {@code main} does, against a {@link FakeEngine}, with
 * an environment, working directory and XDG config of the test's own: nothing of the machine
 * running the tests leaks in. A JUnit extension: a test class declares
 * {@code @RegisterExtension final TestCli cli = TestCli.withImages(...)}, and each test gets its
 * own, removed after it.
 */
final class TestCli implements AfterEachCallback, AutoCloseable {
    /** The time every command and the engine read; tests move it. */
    final TestClock clock = new TestClock();
    final FakeEngine engine = new FakeEngine().withClock(clock);
    final Map<String, String> env = new HashMap<>();
    final Path cwd;
    final Path userProfiles;
    private final Path dir;

    /** What one command did. */
    record Run(List<String> args, int exitCode, String out, String err) {
        /** Both streams, for assertion messages. */
        String describe() {
            return "devdb " + String.join(" ", args) + " -> exit " + exitCode
                    + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err + "--------------";
        }

        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        /** Asserts the exit code, printing both streams when it differs. */
        Run exits(int expected) {
            assertEquals(expected, exitCode, this::describe);
            return this;
        }
    }

    /** A command line in directories of its own, with no images and no registry set. */
    TestCli() {
        try {
            dir = Files.createTempDirectory("devdb-cli-test");
            cwd = Files.createDirectories(dir.resolve("project"));
            Path config = Files.createDirectories(dir.resolve("config"));
            userProfiles = config.resolve("devdb").resolve("profiles");
            env.put("XDG_CONFIG_HOME", config.toString());
            env.put("HOME", Files.createDirectories(dir.resolve("home")).toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A command line whose DEVDB_REGISTRY is devdb-test and whose engine has these images. */
    static TestCli withImages(String... images) {
        TestCli cli = new TestCli();
        cli.env.put("DEVDB_REGISTRY", "devdb-test");
        for (String image : images) {
            cli.engine.withImage(image);
        }
        return cli;
    }

    /** Runs {@code devdb ARGS} with stdout, stderr and stdin not on a terminal (piped). */
    Run run(String... args) {
        return runWithInput(null, args);
    }

    /** Runs {@code devdb ARGS} with this text piped to its standard input (null: an empty one). */
    Run runWithInput(String input, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(out, true), new PrintWriter(err, true), Map.copyOf(env), cwd,
                e -> engine, false, false, false).withClock(clock);
        if (input != null) {
            context = context.withInput(new java.io.ByteArrayInputStream(input.getBytes(
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        int code = DevDb.commandLine(context, args).execute(args);
        return new Run(List.of(args), code, out.toString(), err.toString());
    }

    /** Runs {@code devdb ARGS} with a standard output whose reader has gone (a closed pipe): every write fails. */
    Run runWithClosedStdout(String... args) {
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(new StringWriter()), new PrintWriter(err, true), Map.copyOf(env),
                cwd, e -> engine, false, false, false).withStdout(new java.io.OutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        throw new IOException("Broken pipe");
                    }
                });
        int code = DevDb.commandLine(context, args).execute(args);
        return new Run(List.of(args), code, "", err.toString());
    }

    /** Writes {@code ./profiles/NAME.yaml} in the working directory. */
    Path projectProfile(String name, String yaml) throws IOException {
        Path dir = Files.createDirectories(cwd.resolve("profiles"));
        return Files.writeString(dir.resolve(name + ".yaml"), yaml);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        engine.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
