package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.engine.DockerEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Streaming commands whose output's reader goes away early, as with {@code | head -1}: devdb stops at
 * once, ends what it runs in the container, and exits 141.
 */
class ClosedOutputIT {
    /** How long devdb may take from the reader's going to its exit (it ran on for 8 to 12 s before). */
    private static final double QUICK_SECONDS = 4;

    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
        for (String base : List.of("mysql9", "mariadb10")) {
            Cli.Result up = cli.run("up", base, "--name", name(base), "--quiet");
            assertEquals(0, up.exitCode(), up::toString);
        }
    }

    @AfterAll
    static void tearDown() {
        for (String base : List.of("mysql9", "mariadb10")) {
            cli.run("down", name(base));
        }
        engine.close();
    }

    static String name(String base) {
        return "pipe-" + base;
    }

    /** What happened when the reader closed the pipe after the first line. */
    record Closed(String firstLine, int exitCode, double secondsAfterClose, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + " " + secondsAfterClose + " s after the close, first line " + firstLine
                    + "\n--- stderr ---\n" + err;
        }
    }

    /** Runs devdb in its own JVM with stdout on a pipe whose reader closes it after the first line. */
    static Closed firstLineThenClose(String... args) throws Exception {
        return firstLineThenClose(() -> { }, args);
    }

    /**
     * Same, and once the pipe is closed runs {@code afterClose}: devdb notices the closed pipe when it
     * next writes to it, as every program that has not been told otherwise does.
     */
    static Closed firstLineThenClose(Runnable afterClose, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-jar", System.getProperty("devdb.jar")));
        command.addAll(List.of(args));
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectError(err.toFile());
        pb.environment().put("DEVDB_REGISTRY", "devdb-test");
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve(".config").toString());
        TestScope.env(pb.environment());
        Process p = pb.start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            out.close();
            afterClose.run();
            long closed = System.nanoTime();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "devdb ran on for a minute after its reader went away");
            return new Closed(first, p.exitValue(), (System.nanoTime() - closed) / 1e9, Files.readString(err));
        } finally {
            p.destroyForcibly();
        }
    }

    /** The names of the processes in the instance's container that still run (zombies left out). */
    static List<String> running(String base) {
        String script = "for p in /proc/[0-9]*; do s=$(cut -d' ' -f3 \"$p/stat\" 2>/dev/null); "
                + "[ -n \"$s\" ] && [ \"$s\" != Z ] && cat \"$p/comm\" 2>/dev/null; done; true";
        return engine.exec(TestScope.container(name(base)), List.of("sh", "-c", script), Map.of()).stdout().lines().toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql9", "mariadb10"})
    void shell_e_of_two_million_rows_stops_at_once_with_141_and_ends_the_client(String base) throws Exception {
        String rows = "WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 2000000) "
                + "SELECT n FROM s";
        String sql = (base.startsWith("mysql") ? "SET SESSION cte_max_recursion_depth = 3000000; "
                : "SET SESSION max_recursive_iterations = 3000000; ") + rows;
        Closed c = firstLineThenClose("shell", name(base), "-e", sql);

        assertEquals("n", c.firstLine(), c::toString);
        assertEquals(141, c.exitCode(), c::toString);
        assertEquals("", c.err(), c::toString);
        assertTrue(c.secondsAfterClose() < QUICK_SECONDS, c::toString);
        List<String> left = running(base);
        assertFalse(left.contains("mysql") || left.contains("mariadb"), () -> "the client runs on: " + left);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql9", "mariadb10"})
    void exec_of_endless_output_stops_at_once_with_141_and_ends_the_command(String base) throws Exception {
        Closed c = firstLineThenClose("exec", name(base), "--", "sh", "-c", "yes | head -c 400000000");

        assertEquals("y", c.firstLine(), c::toString);
        assertEquals(141, c.exitCode(), c::toString);
        assertTrue(c.secondsAfterClose() < QUICK_SECONDS, c::toString);
        List<String> left = running(base);
        assertFalse(left.contains("yes") || left.contains("head"), () -> "the command runs on: " + left);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql9", "mariadb10"})
    void dump_and_followed_logs_stop_at_once_with_141(String base) throws Exception {
        Cli.Result table = cli.run("shell", name(base), "-e", "CREATE TABLE IF NOT EXISTS t (id INT PRIMARY KEY, "
                + "pad TEXT); INSERT IGNORE INTO t SELECT n, REPEAT('x', 4000) FROM (WITH RECURSIVE s(n) AS "
                + "(SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 900) SELECT n FROM s) d");
        assertEquals(0, table.exitCode(), table::toString);

        Closed dump = firstLineThenClose("dump", name(base));
        assertNotNull(dump.firstLine(), dump::toString);
        assertEquals(141, dump.exitCode(), dump::toString);
        assertEquals("", dump.err(), dump::toString);
        assertTrue(dump.secondsAfterClose() < QUICK_SECONDS, dump::toString);
        List<String> left = running(base);
        assertFalse(left.contains("mysqldump") || left.contains("mariadb-dump"), () -> "the dump runs on: " + left);

        // A follower that has printed all there was waits for the next line, so one is logged after the
        // reader went away: a query, in the general log. Nothing from outside can write to the server's own
        // output (its process, the container's first, is not dumpable: /proc/1/fd is closed to every user).
        Cli.Result on = cli.run("set", name(base), "general_log=ON");
        assertEquals(0, on.exitCode(), on::toString);
        Closed logs = firstLineThenClose(() -> {
            Cli.Result query = cli.run("shell", name(base), "-e", "SELECT 'a line after the reader went away'");
            assertEquals(0, query.exitCode(), query::toString);
        }, "logs", name(base), "--general", "-f");
        assertNotNull(logs.firstLine(), logs::toString);
        assertEquals(141, logs.exitCode(), logs::toString);
        assertEquals("", logs.err(), logs::toString);
        assertTrue(logs.secondsAfterClose() < QUICK_SECONDS, logs::toString);
    }
}
