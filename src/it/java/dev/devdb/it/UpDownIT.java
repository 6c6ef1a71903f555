package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.ExecResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** up, ps and down on every server under test. */
class UpDownIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;

    @BeforeAll
    static void setUp() throws Exception {
        Files.createDirectories(dir.resolve("profiles"));
        for (String base : Versions.all().toList()) {
            Files.writeString(dir.resolve("profiles").resolve("it-" + base + ".yaml"), """
                    extends: %s
                    description: integration test profile
                    database: shop
                    user: shopper
                    mycnf:
                      max_connections: 42
                      wait_timeout: 1234
                    """.formatted(base));
        }
        cli = new Cli(dir);
        engine = Cli.engine();
    }

    @AfterAll
    static void tearDown() {
        for (String base : Versions.all().toList()) {
            cli.run("down", "it-" + base);
            cli.run("down", "bad-" + base);
        }
        engine.close();
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void up_gives_a_server_with_the_profile_and_command_line_settings_and_down_leaves_nothing(String base)
            throws Exception {
        String name = "it-" + base;
        Cli.Result up = cli.run("up", name, "--json", "--set", "sort_buffer_size=1048576", "--slow-log=0.25",
                "--general-log");
        assertEquals(0, up.exitCode(), up::toString);
        JsonNode json = up.json();
        assertEquals(name, json.get("name").asText());
        assertEquals("127.0.0.1", json.get("host").asText());
        assertEquals("shop", json.get("database").asText());
        assertEquals("shopper", json.get("user").asText());
        assertTrue(json.get("password").asText().length() >= 16, up::toString);

        try (Connection c = Cli.connect(json)) {
            assertEquals("shop", Cli.scalar(c, "SELECT DATABASE()"));
            assertEquals("42", Cli.variable(c, "max_connections"));
            assertEquals("1234", Cli.variable(c, "wait_timeout"));
            assertEquals("1048576", Cli.variable(c, "sort_buffer_size"));
            assertEquals("ON", Cli.variable(c, "slow_query_log"));
            assertEquals(0.25, Double.parseDouble(Cli.variable(c, "long_query_time")), 1e-9);
            assertEquals("ON", Cli.variable(c, "general_log"));
            try (var s = c.createStatement()) {
                s.execute("CREATE TABLE t (id INT PRIMARY KEY)");
                s.execute("INSERT INTO t VALUES (1), (2)");
            }
            assertEquals("2", Cli.scalar(c, "SELECT COUNT(*) FROM t"));
        }

        InspectContainerResponse container = Docker.client().inspectContainerCmd(TestScope.container(name)).exec();
        assertEquals("127.0.0.1", container.getNetworkSettings().getPorts().getBindings()
                .get(com.github.dockerjava.api.model.ExposedPort.tcp(3306))[0]
                .getHostIp(), "published port must bind to loopback only");
        List<String> volumes = container.getMounts().stream().map(m -> m.getName()).filter(n -> n != null).toList();
        assertFalse(volumes.isEmpty(), "the image declares a volume; the test must see it");
        assertFalse(String.join(" ", container.getConfig().getCmd() == null ? new String[0]
                : container.getConfig().getCmd()).contains(json.get("password").asText()),
                "password must not be on the server's command line");

        Cli.Result again = cli.run("up", name, "--json", "--set", "sort_buffer_size=1048576", "--slow-log=0.25",
                "--general-log");
        assertEquals(0, again.exitCode(), again::toString);
        assertEquals(json.get("port").asInt(), again.json().get("port").asInt());
        assertEquals(json.get("password").asText(), again.json().get("password").asText());

        Cli.Result changed = cli.run("up", name, "--set", "max_connections=43");
        assertEquals(ExitCodes.NAME_CONFLICT, changed.exitCode(), changed::toString);
        assertTrue(changed.err().contains("--recreate"), changed::toString);

        Cli.Result ps = cli.run("ps", "--json");
        assertEquals(0, ps.exitCode(), ps::toString);
        JsonNode row = null;
        for (JsonNode r : ps.json()) {
            if (r.get("name").asText().equals(name)) {
                row = r;
            }
        }
        assertTrue(row != null, ps::toString);
        assertEquals("running", row.get("state").asText());
        assertEquals(json.get("port").asInt(), row.get("port").asInt());
        assertEquals(base.startsWith("maria") ? "mariadb" : "mysql", row.get("flavor").asText());

        Cli.Result down = cli.run("down", name);
        assertEquals(0, down.exitCode(), down::toString);
        assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), "container still exists after down");
        for (String v : volumes) {
            boolean gone;
            try {
                Docker.client().inspectVolumeCmd(v).exec();
                gone = false;
            } catch (NotFoundException e) {
                gone = true;
            }
            assertTrue(gone, "volume " + v + " left behind by down");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#flavours")
    void an_option_the_server_refuses_fails_with_its_error_and_leaves_nothing(String base) {
        String name = "bad-" + base;
        long started = System.nanoTime();
        Cli.Result up = cli.run("up", base, "--name", name, "--set", "no_such_option_here=1");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertEquals(ExitCodes.SERVER_FAILED, up.exitCode(), up::toString);
        assertTrue(up.err().contains("no_such_option_here"), up::toString);
        assertTrue(up.err().contains("[ERROR]"), "the server's own error line is shown: " + up);
        assertTrue(seconds < 60, "failing took " + seconds + " s, the timeout was not what ended it");
        assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), "failed container left behind");
    }
    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void the_first_reuse_of_kept_data_stops_it_cleanly_so_later_ups_skip_crash_recovery(String base)
            throws Exception {
        String name = "first-" + base;
        String marker = Long.toHexString(System.nanoTime());
        Path seed = Files.writeString(dir.resolve("seed-" + base + ".sql"),
                "CREATE TABLE marks (v VARCHAR(32));\nINSERT INTO marks VALUES ('" + marker + "');\n");
        Cli.Result up = cli.run("up", base, "--name", name, "--init", seed.toString(), "--general-log", "--json");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("keeping the initialised data"), "a new seed is a cache miss: " + up);
        String id = engine.inspect(TestScope.container(name)).orElseThrow().id();
        String cacheImage = "devdb-cache:" + engine.inspect(id).orElseThrow().label("devdb.cache-key");
        try {
            try (Connection c = Cli.connect(up.json())) {
                assertEquals(marker, Cli.scalar(c, "SELECT v FROM marks"));
                assertEquals("2020-06-01 14:00:00",
                        Cli.scalar(c, "SELECT CONVERT_TZ('2020-06-01 12:00:00', 'UTC', 'Europe/Berlin')"),
                        "time zone tables are loaded, as the official images load them");
            }
            List<String> logs = engine.logs(id, 4000);
            assertEquals(1, logs.stream().filter(l -> l.contains("Initializing database files")).count(),
                    String.join("\n", logs));
            Cli.Result general = cli.run("logs", name, "--general");
            assertEquals(0, general.exitCode(), general::toString);
            assertTrue(general.out().contains(marker), "the seeds are in the general log: " + general);
            assertFalse(general.out().contains("_devdb"), "the prepared copy is kept out of the general log: " + general);
            X509Certificate kept = assertServesTheCertificateOfItsData(base, id, up.json());

            Cli.Result reuse = cli.run("up", base, "--name", name + "-reuse", "--init", seed.toString(), "--general-log");
            assertEquals(0, reuse.exitCode(), reuse::toString);
            assertTrue(reuse.err().contains("keeping a cleanly shut down copy"), reuse::toString);
            List<String> reuseLogs = engine.logs(engine.inspect(TestScope.container(name + "-reuse")).orElseThrow().id(), 4000);
            assertTrue(reuseLogs.stream().anyMatch(l -> l.contains("Stopping the server so that devdb can keep")),
                    String.join("\n", reuseLogs));

            Cli.Result warm = cli.run("up", base, "--name", name + "-warm", "--init", seed.toString(), "--general-log", "--json");
            assertEquals(0, warm.exitCode(), warm::toString);
            assertFalse(warm.err().contains("keeping"), "the entry is clean now: " + warm);
            try (Connection c = Cli.connect(warm.json())) {
                assertEquals(marker, Cli.scalar(c, "SELECT v FROM marks"), "the kept data has the seeds");
            }
            String warmId = engine.inspect(TestScope.container(name + "-warm")).orElseThrow().id();
            assertEquals(kept, assertServesTheCertificateOfItsData(base, warmId, warm.json()),
                    "a warm start serves the certificate made once, when the data was initialised");
            List<String> warmLogs = engine.logs(engine.inspect(TestScope.container(name + "-warm")).orElseThrow().id(), 4000);
            assertFalse(warmLogs.stream().anyMatch(l -> l.toLowerCase(java.util.Locale.ROOT).contains("crash recovery")),
                    "the kept data was shut down cleanly: " + String.join("\n", warmLogs));
            if (base.startsWith("mariadb")) {
                // the clean copy keeps MariaDB's redo log at 4 MB; the server makes its configured size
                assertTrue(warmLogs.stream().anyMatch(l -> l.contains("Resizing redo log from 4")),
                        String.join("\n", warmLogs));
                try (Connection cold = Cli.connect(up.json()); Connection c = Cli.connect(warm.json())) {
                    assertEquals(Cli.scalar(cold, "SELECT @@innodb_log_file_size"),
                            Cli.scalar(c, "SELECT @@innodb_log_file_size"), "the redo log as configured");
                }
            }

            Docker.client().restartContainerCmd(id).withTimeout(20).exec();
            Cli.Result waited = cli.run("wait", name, "--timeout", "60s");
            assertEquals(0, waited.exitCode(), waited::toString);
            Cli.Result again = cli.run("up", base, "--name", name, "--init", seed.toString(), "--general-log", "--json");
            assertEquals(0, again.exitCode(), again::toString);
            try (Connection c = Cli.connect(again.json())) {
                assertEquals(marker, Cli.scalar(c, "SELECT v FROM marks"), "a restart keeps the data");
            }
            assertEquals(kept, assertServesTheCertificateOfItsData(base, id, again.json()), "and its certificate");
            List<String> after = engine.logs(id, 4000);
            assertEquals(1, after.stream().filter(l -> l.contains("Initializing database files")).count(),
                    "a restart goes straight to the server: " + String.join("\n", after));
        } finally {
            cli.run("down", name);
            cli.run("down", name + "-warm");
            cli.run("down", name + "-reuse");
            engine.removeImage(cacheImage, true);
        }
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#flavours")
    void a_password_with_backslashes_logs_in_under_no_backslash_escapes_cold_and_warm(String base) throws Exception {
        String name = "nbe-" + base;
        String password = "a\\b'c\"d\\";
        // A value of its own makes the first up a cold one, whatever earlier runs cached.
        Files.writeString(dir.resolve("profiles").resolve(name + ".yaml"), """
                extends: %s
                password: '%s'
                mycnf:
                  sql_mode: NO_BACKSLASH_ESCAPES
                  max_connections: %d
                """.formatted(base, password.replace("'", "''"), 100 + (int) (System.nanoTime() % 800)));
        String cacheImage = null;
        try {
            Cli.Result up = cli.run("up", name, "--json");
            assertEquals(0, up.exitCode(), up::toString);
            assertTrue(up.err().contains("keeping the initialised data"), "a cold start: " + up);
            assertEquals(password, up.json().get("password").asText());
            cacheImage = "devdb-cache:" + engine.inspect(TestScope.container(name)).orElseThrow().label("devdb.cache-key");
            assertLogsIn(up.json());

            // the first reuse keeps a clean copy through the start script; later ones start the server directly
            for (String other : List.of(name + "-reuse", name + "-warm")) {
                Cli.Result warm = cli.run("up", name, "--name", other, "--json");
                assertEquals(0, warm.exitCode(), warm::toString);
                assertTrue(warm.err().contains("from initialised data"), "a warm start: " + warm);
                assertLogsIn(warm.json());
            }
        } finally {
            for (String n : List.of(name, name + "-reuse", name + "-warm")) {
                cli.run("down", n);
            }
            if (cacheImage != null) {
                engine.removeImage(cacheImage, true);
            }
        }
    }

    /**
     * MariaDB 11.4 and later make a new TLS certificate at every start when none is configured: devdb's
     * instances of them keep one in their data, which the server serves, and a client that uses TLS (as
     * MariaDB Connector/J 4.0 does by default, verifying the self-signed certificate by the password)
     * connects. Other servers get none from devdb. Returns the kept certificate, or null.
     */
    private static X509Certificate assertServesTheCertificateOfItsData(String base, String id, JsonNode up)
            throws Exception {
        Versions.Server server = Versions.of(base);
        ExecResult cat = engine.exec(id, List.of("cat", "/var/lib/devdb/data/devdb-server-cert.pem"), Map.of());
        if (server.mysql() || !server.atLeast(11, 4)) {
            assertTrue(cat.exitCode() != 0, "no certificate of devdb's on " + base + ": " + cat);
            return null;
        }
        assertEquals(0, cat.exitCode(), cat::toString);
        X509Certificate kept = ServedCertificate.parse(cat.stdout().getBytes(StandardCharsets.US_ASCII));
        assertEquals(kept, ServedCertificate.of(up.get("port").asInt()), "the server serves the one in its data");
        String url = "jdbc:mariadb://127.0.0.1:" + up.get("port").asInt() + "/" + up.get("database").asText()
                + "?connectTimeout=5000";
        try (Connection c = DriverManager.getConnection(url, up.get("user").asText(), up.get("password").asText())) {
            assertTrue(Cli.scalar(c, "SELECT VARIABLE_VALUE FROM information_schema.SESSION_STATUS"
                    + " WHERE VARIABLE_NAME = 'SSL_VERSION'").startsWith("TLS"), "the connection uses TLS");
        }
        return kept;
    }

    private static void assertLogsIn(JsonNode up) throws Exception {
        try (Connection c = Cli.connect(up)) {
            assertTrue(Cli.scalar(c, "SELECT @@GLOBAL.sql_mode").contains("NO_BACKSLASH_ESCAPES"));
            assertEquals(up.get("user").asText(), Cli.scalar(c, "SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)"));
        }
    }
}
