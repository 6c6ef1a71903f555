package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.command.InspectContainerResponse.Mount;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A primary with two replicas on every server under test: replication, read-only replicas, reset, a clean down. */
class ReplicationIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
    }

    @AfterAll
    static void tearDown() {
        for (String base : Versions.all().toList()) {
            cli.run("down", "rep-it-" + base);
        }
        engine.close();
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void replicas_follow_the_primary_refuse_writes_reset_together_and_go_with_it(String base) throws Exception {
        String name = "rep-it-" + base;
        boolean mysql = base.startsWith("mysql");
        Cli.Result up = cli.run("up", base, "--name", name, "--replicas", "2", "--cdc", "--json");
        assertEquals(0, up.exitCode(), up::toString);
        JsonNode primary = up.json();
        assertEquals(2, primary.get("replicas").size(), up::toString);
        List<JsonNode> replicas = new ArrayList<>();
        primary.get("replicas").forEach(replicas::add);
        assertEquals(name + "-r1", replicas.get(0).get("name").asText());
        assertEquals(name + "-r2", replicas.get(1).get("name").asText());

        try (Connection c = Cli.connect(primary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(20))");
            s.execute("INSERT INTO t VALUES (1, 'from the primary')");
        }
        for (JsonNode r : replicas) {
            assertEquals("from the primary", Cli.awaitScalar(r, "SELECT v FROM t WHERE id = 1"), r.get("name").asText());
        }

        for (JsonNode r : replicas) {
            Cli.Result shown = cli.run("shell", r.get("name").asText(), "--root", "-e",
                    mysql ? "SHOW REPLICA STATUS" : "SHOW SLAVE STATUS");
            assertEquals(0, shown.exitCode(), shown::toString);
            Map<String, String> status = row(shown.out());
            String prefix = mysql ? "Replica" : "Slave";
            assertEquals("Yes", status.get(prefix + "_IO_Running"), shown::toString);
            assertEquals("Yes", status.get(prefix + "_SQL_Running"), shown::toString);
            assertEquals(name, status.get(mysql ? "Source_Host" : "Master_Host"), shown::toString);

            try (Connection c = Cli.connect(r); Statement s = c.createStatement()) {
                SQLException refused = assertThrows(SQLException.class,
                        () -> s.execute("INSERT INTO t VALUES (2, 'on a replica')"));
                assertEquals(1290, refused.getErrorCode(), refused.getMessage());
                if (mysql) {
                    assertEquals("1", Cli.scalar(c, "SELECT @@GLOBAL.super_read_only"));
                }
            }
        }

        Cli.Result ps = cli.run("ps", "--json");
        assertEquals(0, ps.exitCode(), ps::toString);
        for (JsonNode i : ps.json()) {
            if (i.get("name").asText().equals(name)) {
                assertEquals("primary", i.get("role").asText(), ps::toString);
            } else if (i.get("name").asText().startsWith(name + "-r")) {
                assertEquals("replica", i.get("role").asText(), ps::toString);
                assertEquals(name, i.get("source").asText(), ps::toString);
                assertEquals("Yes", i.get("ioThread").asText(), ps::toString);
                // caught up: the server counts whole seconds, so an event applied just now may read 1
                assertTrue(i.get("lagSeconds").isInt() && i.get("lagSeconds").asInt() <= 1, ps::toString);
            }
        }

        Cli.Result reset = cli.run("reset", name);
        assertEquals(0, reset.exitCode(), reset::toString);
        try (Connection c = Cli.connect(primary); Statement s = c.createStatement()) {
            assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.tables "
                    + "WHERE table_schema = 'app' AND table_name = 't'"), "reset kept the table");
            s.execute("CREATE TABLE after_reset (id INT PRIMARY KEY)");
            s.execute("INSERT INTO after_reset VALUES (42)");
        }
        for (JsonNode r : replicas) {
            assertEquals("42", Cli.awaitScalar(r, "SELECT id FROM after_reset"), r.get("name").asText());
        }

        // the primary's pool logs its copies: what a test writes into its copy replicates
        Cli.Result pool = cli.run("db", "pool", name, "--size", "1");
        assertEquals(0, pool.exitCode(), pool::toString);
        Cli.Result made = cli.run("db", "new", name, "--json");
        assertEquals(0, made.exitCode(), made::toString);
        String copy = made.json().get("database").asText();
        try (Connection c = Cli.connect(primary.get("flavor").asText(), primary.get("port").asInt(), copy,
                primary.get("user").asText(), primary.get("password").asText()); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE in_copy (id INT PRIMARY KEY)");
            s.execute("INSERT INTO in_copy VALUES (7)");
        }
        for (JsonNode r : replicas) {
            assertEquals("7", Cli.awaitScalar(r, "SELECT id FROM `" + copy + "`.in_copy"), r.get("name").asText());
        }

        List<String> containers = List.of(TestScope.container(name), TestScope.container(name + "-r1"),
                TestScope.container(name + "-r2"));
        List<String> volumes = new ArrayList<>();
        for (String container : containers) {
            for (Mount m : Docker.client().inspectContainerCmd(container).exec().getMounts()) {
                if (m.getName() != null) {
                    volumes.add(m.getName());
                }
            }
        }
        Cli.Result down = cli.run("down", name);
        assertEquals(0, down.exitCode(), down::toString);
        for (String container : containers) {
            assertTrue(engine.inspect(container).isEmpty(), container + " left behind");
        }
        for (String volume : volumes) {
            assertThrows(NotFoundException.class, () -> Docker.client().inspectVolumeCmd(volume).exec(),
                    "volume " + volume + " left behind");
        }
        assertFalse(engine.networkExists(TestScope.container(name)), "network left behind");
        assertTrue(engine.list(Map.of("devdb.topology", name)).isEmpty());
    }

    /** The first row of the client's tab-separated output, by column name. */
    private static Map<String, String> row(String batch) {
        String[] lines = batch.split("\n");
        String[] names = lines[0].split("\t", -1);
        String[] values = lines.length > 1 ? lines[1].split("\t", -1) : new String[0];
        Map<String, String> row = new java.util.LinkedHashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            row.put(names[i], values[i]);
        }
        return row;
    }
}
