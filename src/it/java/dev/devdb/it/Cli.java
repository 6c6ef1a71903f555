package dev.devdb.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.cli.Context;
import dev.devdb.cli.DevDb;
import dev.devdb.engine.DockerEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Runs devdb in-process against the real engine, from a working directory of the test's choosing, in the
 * test run's {@link TestScope} unless the overrides say otherwise.
 */
final class Cli {
    static final ObjectMapper JSON = new ObjectMapper();

    private final Path cwd;
    private final Map<String, String> env;

    Cli(Path cwd) {
        this(cwd, Map.of());
    }

    /** A devdb whose environment has these variables changed. */
    Cli(Path cwd, Map<String, String> overrides) {
        this.cwd = cwd;
        this.env = new HashMap<>(System.getenv());
        env.putIfAbsent("DEVDB_REGISTRY", "devdb-test");
        env.put("XDG_CONFIG_HOME", cwd.resolve(".config").toString());
        TestScope.env(env);
        env.putAll(overrides);
    }

    record Result(int exitCode, String out, String err) {
        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    Result run(String... args) {
        return run(java.io.InputStream.nullInputStream(), args);
    }

    /** Runs devdb with this as its (piped, not terminal) standard input. */
    Result run(java.io.InputStream stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = run(stdin, out, err, args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Runs devdb writing to the given writers as it goes (for commands that follow), returns the exit code. */
    int run(Writer out, Writer err, String... args) {
        return run(java.io.InputStream.nullInputStream(), out, err, args);
    }

    private int run(java.io.InputStream stdin, Writer out, Writer err, String... args) {
        Context context = new Context(new PrintWriter(out, true), new PrintWriter(err, true), env, cwd,
                DockerEngine::connect, false, false, false).withInput(stdin);
        int code = DevDb.commandLine(context, args).execute(args);
        try {
            context.engine().close();
        } catch (RuntimeException e) {
            // engine never connected
        }
        return code;
    }

    static DockerEngine engine() {
        return DockerEngine.connect(System.getenv());
    }

    /** Connects over TCP, with the flavour's own driver, with the credentials `up --json` printed. */
    static Connection connect(JsonNode up) throws SQLException {
        return connect(up.get("flavor").asText(), up.get("port").asInt(), up.get("database").asText(),
                up.get("user").asText(), up.get("password").asText());
    }

    /** Connects to 127.0.0.1:port with the flavour's own driver (MySQL or MariaDB Connector/J), without TLS. */
    static Connection connect(String flavor, int port, String database, String user, String password)
            throws SQLException {
        String url = "mariadb".equals(flavor)
                ? "jdbc:mariadb://127.0.0.1:" + port + "/" + database + "?sslMode=disable&connectTimeout=5000"
                : "jdbc:mysql://127.0.0.1:" + port + "/" + database
                        + "?allowPublicKeyRetrieval=true&sslMode=DISABLED&connectTimeout=5000";
        return DriverManager.getConnection(url, user, password);
    }

    static String variable(Connection c, String name) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW GLOBAL VARIABLES LIKE '" + name + "'")) {
            return r.next() ? r.getString(2) : null;
        }
    }

    static String scalar(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            return r.next() ? r.getString(1) : null;
        }
    }

    /**
     * Asks an instance (a replica, say) for a value until it has one, for up to five seconds, each time on a
     * new connection.
     */
    static String awaitScalar(JsonNode instance, String sql) throws SQLException, InterruptedException {
        SQLException[] last = {null};
        return poll(Duration.ofSeconds(5), () -> {
            try (Connection c = connect(instance)) {
                return scalar(c, sql);
            } catch (SQLException e) {
                last[0] = e;
                return null;
            }
        }, v -> v != null, v -> new AssertionError("no row on " + instance.get("name").asText() + " within 5s: "
                + sql, last[0]));
    }

    /**
     * Asks one connection for a value again and again until {@code done} accepts it, and returns it. {@code
     * done} may also assert on each value it sees.
     *
     * @throws AssertionError when {@code timeout} passes first, naming {@code what} and the last value
     */
    static String awaitValue(Connection c, String sql, Duration timeout, String what, Predicate<String> done)
            throws SQLException, InterruptedException {
        return poll(timeout, () -> scalar(c, sql), done,
                v -> new AssertionError(what + " within " + timeout.toSeconds() + "s; last: " + v));
    }

    /** One look at state for {@link #poll}. */
    private interface Attempt<T> {
        T get() throws SQLException;
    }

    /**
     * The poll of state that nothing signals (a replica catching up, what background workers did), with a
     * deadline: {@code attempt} again every 50 ms until {@code done} accepts its value, which it returns.
     *
     * @throws AssertionError {@code failure}'s, of the last value, once {@code timeout} has passed
     */
    private static <T> T poll(Duration timeout, Attempt<T> attempt, Predicate<T> done,
            Function<T, AssertionError> failure) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = attempt.get();
        while (!done.test(value)) {
            if (System.nanoTime() >= deadline) {
                throw failure.apply(value);
            }
            Thread.sleep(50);
            value = attempt.get();
        }
        return value;
    }

    /**
     * Writes {@code seeds/01-seed.sql} and, for each base profile, {@code profiles/PREFIX-BASE.yaml} extending
     * it with those seeds. The same seed under the same file name gives the same cache entry in every class.
     */
    static void seededProfiles(Path dir, String prefix, String seed, List<String> bases) {
        try {
            Path seeds = Files.createDirectories(dir.resolve("seeds"));
            Files.writeString(seeds.resolve("01-seed.sql"), seed);
            Path profiles = Files.createDirectories(dir.resolve("profiles"));
            for (String base : bases) {
                Files.writeString(profiles.resolve(prefix + "-" + base + ".yaml"), """
                        extends: %s
                        init:
                          - ../seeds
                        """.formatted(base));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs devdb from its jar in {@code dir}, in the test run's scope, and sends it SIGINT at the first line of
     * its stderr that contains {@code marker}, after running {@code first}. Returns its exit code and the stderr
     * read; fails when it does not end within 60 seconds of the signal.
     */
    static Result interruptAt(Path dir, String marker, Runnable first, String... args) throws Exception {
        Path jar = Path.of(System.getProperty("devdb.jar", "target/devdb.jar"));
        List<String> command = new java.util.ArrayList<>(List.of("java", "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put("DEVDB_REGISTRY", "devdb-test");
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve(".config").toString());
        TestScope.env(pb.environment());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        StringBuilder seen = new StringBuilder();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                seen.append(line).append('\n');
                if (line.contains(marker)) {
                    first.run();
                    new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor();
                    break;
                }
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("devdb did not exit after SIGINT\n" + seen);
            }
            err.lines().forEach(l -> seen.append(l).append('\n'));
        } finally {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), "", seen.toString());
    }
}
