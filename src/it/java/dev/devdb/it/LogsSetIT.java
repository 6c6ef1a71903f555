package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.ServerSettings;
import dev.devdb.engine.DockerEngine;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** logs (error, slow, general; follow; summary), set and config on every server under test. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LogsSetIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    /** One instance per flavour for the whole class, started on first use: name -> up --json. */
    static final Map<String, JsonNode> instances = new HashMap<>();

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
    }

    @AfterAll
    static void tearDown() {
        for (String base : Versions.all().toList()) {
            cli.run("down", name(base));
            cli.run("down", "lg-bad-" + base);
        }
        engine.close();
    }

    static String name(String base) {
        return "lg-" + base;
    }

    static synchronized JsonNode instance(String base) {
        return instances.computeIfAbsent(base, b -> {
            Cli.Result up = cli.run("up", b, "--name", name(b), "--slow-log=0.1", "--json", "--recreate");
            assertEquals(0, up.exitCode(), up::toString);
            return up.json();
        });
    }

    static void execute(JsonNode up, String sql) throws SQLException {
        try (Connection c = Cli.connect(up); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Order(1)
    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void a_slow_query_shows_up_in_the_slow_log_and_in_the_summary_with_its_count(String base) throws Exception {
        JsonNode up = instance(base);
        String name = name(base);
        execute(up, "SELECT SLEEP(0.3)");
        execute(up, "select sleep(0.31) /* from the shop */");
        execute(up, "SELECT  SLEEP( 0.32 )");
        execute(up, "SELECT 1");

        Cli.Result slow = cli.run("logs", name, "--slow");
        assertEquals(0, slow.exitCode(), slow::toString);
        assertTrue(slow.out().contains("SELECT SLEEP(0.3);"), slow::toString);
        assertTrue(queryTimes(slow.out()).stream().anyMatch(t -> t >= 0.3), slow::toString);
        assertFalse(slow.out().contains("SELECT 1;"), "a fast query is not in the slow log: " + slow);

        Cli.Result last = cli.run("logs", name, "--slow", "--tail", "1");
        assertEquals(0, last.exitCode(), last::toString);
        assertEquals(1, last.out().lines().filter(l -> l.startsWith("# Query_time:")).count(), last::toString);
        assertTrue(last.out().contains("SLEEP( 0.32 )"), last::toString);

        Cli.Result summary = cli.run("logs", name, "--slow", "--summary", "--json");
        assertEquals(0, summary.exitCode(), summary::toString);
        JsonNode json = summary.json();
        JsonNode sleep = null;
        for (JsonNode s : json.get("statements")) {
            if (s.get("fingerprint").asText().equals("select sleep(?)")) {
                sleep = s;
            }
        }
        assertNotNull(sleep, summary::toString);
        assertEquals(3, sleep.get("count").asInt(), summary::toString);
        assertEquals(1, sleep.get("rank").asInt(), "the worst statement comes first: " + summary);
        assertTrue(sleep.get("totalTime").asDouble() >= 0.93, summary::toString);
        assertTrue(sleep.get("maxTime").asDouble() >= 0.32, summary::toString);
        assertEquals("app", sleep.get("databases").get(0).asText(), summary::toString);
        assertTrue(sleep.get("users").get(0).asText().startsWith("app@"), summary::toString);
        assertTrue(json.get("file").asText().endsWith(".log"), summary::toString);

        Cli.Result table = cli.run("logs", name, "--summary");
        assertEquals(0, table.exitCode(), table::toString);
        String row = table.out().lines().filter(l -> l.endsWith("\tselect sleep(?)")).findFirst().orElse("");
        assertEquals("3", row.split("\t")[3], "piped, the fourth column is the count: " + table);

        Cli.Result future = cli.run("logs", name, "--summary", "--json", "--since", "2099-01-01T00:00:00Z");
        assertEquals(0, future.json().get("queries").asInt(), future::toString);

        Cli.Result error = cli.run("logs", name, "--tail", "50");
        assertEquals(0, error.exitCode(), error::toString);
        assertTrue(error.out().contains("ready for connections"), error::toString);
    }

    @Order(2)
    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void follow_sees_a_query_logged_after_it_started_and_leaves_nothing_running(String base) throws Exception {
        JsonNode up = instance(base);
        String name = name(base);
        String containerId = engine.inspect(TestScope.container(name)).orElseThrow().id();
        String marker = "followed-" + base;
        CountDownLatch seen = new CountDownLatch(1);
        StringBuilder printed = new StringBuilder();
        Writer out = new Writer() {
            @Override
            public synchronized void write(char[] buf, int off, int len) {
                printed.append(buf, off, len);
                if (printed.indexOf(marker) >= 0) {
                    seen.countDown();
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        StringWriter err = new StringWriter();
        AtomicInteger exit = new AtomicInteger(-1);
        Thread follow = new Thread(() -> exit.set(cli.run(out, err, "logs", name, "--slow", "-f", "--tail", "0")));
        follow.start();
        try {
            assertTrue(waitFor(() -> !tails(containerId).isEmpty(), 30), "the follow never started: " + err);
            execute(up, "SELECT SLEEP(0.2), '" + marker + "'");
            assertTrue(seen.await(20, TimeUnit.SECONDS), "the line never arrived; printed: " + printed + " " + err);
        } finally {
            follow.interrupt();
            follow.join(10_000);
        }
        assertFalse(follow.isAlive(), "follow did not stop when interrupted");
        assertEquals(ExitCodes.INTERRUPTED, exit.get(), err::toString);
        // at least the time slept; a busy machine adds to it
        assertTrue(queryTimes(printed.toString()).stream().anyMatch(t -> t >= 0.2), printed::toString);
        assertTrue(waitFor(() -> tails(containerId).isEmpty(), 10), "tail left running: " + tails(containerId));

        if (base.equals("mysql9")) {
            // the real process, killed the hard way: the container must not keep its tail either
            ProcessBuilder pb = new ProcessBuilder("java", "-jar", System.getProperty("devdb.jar"), "logs", name,
                    "--general", "-f").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            TestScope.env(pb.environment());
            Process p = pb.start();
            try {
                assertTrue(waitFor(() -> !tails(containerId).isEmpty(), 30), "the process never followed");
            } finally {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            execute(up, "SELECT 'written after the reader died'");
            assertTrue(waitFor(() -> tails(containerId).isEmpty(), 10), "tail outlived its reader: " + tails(containerId));
        }
    }

    @Order(3)
    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void set_applies_at_once_wins_over_up_and_survives_a_restart(String base) throws Exception {
        JsonNode up = instance(base);
        String name = name(base);
        Cli.Result set = cli.run("set", name, "long_query_time=0.15", "max_connections=77", "general_log=ON",
                "sort_buffer_size=1M");
        assertEquals(0, set.exitCode(), set::toString);
        try (Connection c = Cli.connect(up)) {
            assertEquals(0.15, Double.parseDouble(Cli.variable(c, "long_query_time")), 1e-9);
            assertEquals("77", Cli.variable(c, "max_connections"));
            assertEquals("ON", Cli.variable(c, "general_log"));
            assertEquals("1048576", Cli.variable(c, "sort_buffer_size"));
        }
        execute(up, "SELECT 'in the general log'");
        Cli.Result general = cli.run("logs", name, "--general", "--tail", "20");
        assertEquals(0, general.exitCode(), general::toString);
        assertTrue(general.out().contains("SELECT 'in the general log'"), general::toString);

        Cli.Result config = cli.run("config", name, "--json");
        assertEquals(0, config.exitCode(), config::toString);
        Map<String, JsonNode> options = new HashMap<>();
        config.json().get("options").forEach(o -> options.put(o.get("option").asText(), o));
        assertEquals("set", options.get("long_query_time").get("source").asText(), config::toString);
        assertEquals("0.1", options.get("long_query_time").get("overrides").asText(), config::toString);
        assertTrue(options.get("long_query_time").get("matches").asBoolean(), config::toString);
        assertEquals("up", options.get("slow_query_log").get("source").asText(), config::toString);
        assertEquals("1048576", options.get("sort_buffer_size").get("live").asText(), config::toString);

        // refused: nothing changes, nothing is recorded
        Cli.Result partly = cli.run("set", name, "max_connections=55", "no_such_variable_here=1");
        assertEquals(ExitCodes.USAGE, partly.exitCode(), partly::toString);
        assertTrue(partly.err().contains("no_such_variable_here"), partly::toString);
        Cli.Result fixed = cli.run("set", name, "skip_name_resolve=OFF");
        assertEquals(ExitCodes.USAGE, fixed.exitCode(), fixed::toString);
        assertTrue(fixed.err().contains("is not dynamic; use `devdb up " + base + " --name " + name
                + " --recreate --set skip_name_resolve=OFF`"), fixed::toString);
        Cli.Result typo = cli.run("set", name, "long_query_tme=1");
        assertTrue(typo.err().contains("did you mean 'long_query_time'?"), typo::toString);
        Cli.Result bad = cli.run("set", name, "max_connections=abc");
        assertEquals(ExitCodes.USAGE, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("ERROR 1232"), bad::toString);

        String id = engine.inspect(TestScope.container(name)).orElseThrow().id();
        Map<String, String> recorded = ServerSettings.recorded(engine, id);
        assertEquals(Map.of("long_query_time", "0.15", "max_connections", "77", "general_log", "ON",
                "sort_buffer_size", "1M"), recorded);

        Docker.client().restartContainerCmd(id).withTimeout(20).exec();
        Cli.Result waited = cli.run("wait", name, "--timeout", "120s");
        assertEquals(0, waited.exitCode(), waited::toString);
        // a restart publishes the port anew, usually on another host port: ask for it again
        Cli.Result again = cli.run("up", base, "--name", name, "--slow-log=0.1", "--json");
        assertEquals(0, again.exitCode(), again::toString);
        JsonNode restarted = again.json();
        instances.put(base, restarted);
        assertTrue(waitFor(() -> {
            try (Connection c = Cli.connect(restarted)) {
                return Cli.scalar(c, "SELECT 1").equals("1");
            } catch (SQLException e) {
                return false;
            }
        }, 120), "the server did not come back after the restart");
        try (Connection c = Cli.connect(restarted)) {
            assertEquals(0.15, Double.parseDouble(Cli.variable(c, "long_query_time")), 1e-9,
                    "set must win over up's --slow-log after a restart");
            assertEquals("77", Cli.variable(c, "max_connections"));
            assertEquals("ON", Cli.variable(c, "general_log"));
            assertEquals("ON", Cli.variable(c, "slow_query_log"), "up's options still apply");
        }
    }

    @Order(4)
    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void an_option_or_value_only_the_server_can_judge_fails_fast_with_its_message(String base) {
        String name = "lg-bad-" + base;
        for (String option : List.of("no_such_option_here=1", "max_connections=abc", "transaction_isolation=SOMETIMES")) {
            long started = System.nanoTime();
            Cli.Result up = cli.run("up", base, "--name", name, "--set", option);
            double seconds = (System.nanoTime() - started) / 1e9;
            assertEquals(ExitCodes.SERVER_FAILED, up.exitCode(), up::toString);
            assertTrue(up.err().contains("[ERROR]"), "the server's own error line is shown: " + up);
            assertTrue(up.err().contains(option.substring(0, option.indexOf('=')).replace('_', '-'))
                    || up.err().contains(option.substring(0, option.indexOf('='))), up::toString);
            assertTrue(seconds < 20, option + ": failing took " + seconds + " s");
            assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), "failed container left behind");
            assertTrue(engine.list(Map.of("devdb.name", name)).isEmpty(), "failed container left behind");
        }
    }

    /** The Query_time of each slow log entry in the text. */
    static List<Double> queryTimes(String log) {
        return Pattern.compile("^# Query_time: ([0-9.]+)", Pattern.MULTILINE).matcher(log).results()
                .map(m -> Double.parseDouble(m.group(1))).toList();
    }

    /** The tail processes running in a container. */
    static List<String> tails(String containerId) {
        var r = engine.exec(containerId, List.of("sh", "-c",
                "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo; done"), Map.of());
        return r.stdout().lines().filter(l -> l.startsWith("tail ")).toList();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static boolean waitFor(Check check, int seconds) throws Exception {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (check.ok()) {
                return true;
            }
            Thread.sleep(200);
        }
        return check.ok();
    }
}
