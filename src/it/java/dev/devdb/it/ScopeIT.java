package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scopes on one engine: the same name twice, and one scope cleaning up while the others keep everything. */
class ScopeIT {
    /** An instance of the default scope, of this run only; expired at once, so that prune would want it. */
    static final String UNSCOPED = TestScope.unique("sc");

    @TempDir
    static Path dir;

    static Cli here;
    static Cli other;
    static Cli unscoped;
    static DockerEngine engine;
    static Path seed;
    static String marker;

    @BeforeAll
    static void setUp() throws Exception {
        here = new Cli(dir);
        other = new Cli(dir, Map.of("DEVDB_SCOPE", TestScope.OTHER));
        unscoped = new Cli(dir, Map.of("DEVDB_SCOPE", ""));
        engine = Cli.engine();
        marker = UUID.randomUUID().toString().substring(0, 8);
        // a seed of this run only: the first up below makes a cache entry of the run's scope
        seed = Files.writeString(dir.resolve("seed.sql"), "CREATE TABLE seeded (m VARCHAR(20));\n"
                + "INSERT INTO seeded VALUES ('" + marker + "');\n");
    }

    @AfterAll
    static void tearDown() {
        unscoped.run("down", UNSCOPED);
        other.run("down", "--all");
        other.run("snapshot", "rm", "s1");
        other.run("cache", "prune");
        here.run("down", "--all");
        here.run("snapshot", "rm", "s1");
        here.run("cache", "prune");
        engine.close();
    }

    private static JsonNode up(Cli cli, String... args) {
        List<String> all = new ArrayList<>(List.of("up"));
        all.addAll(List.of(args));
        all.add("--json");
        Cli.Result r = cli.run(all.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::toString);
        return r.json();
    }

    private static List<String> names(Cli cli, String... args) {
        Cli.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        List<String> names = new ArrayList<>();
        r.json().forEach(n -> names.add(n.has("name") ? n.get("name").asText() : n.get("tag").asText()));
        return names;
    }

    private static void ok(Cli cli, String... args) {
        Cli.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), () -> String.join(" ", args) + ": " + r);
    }

    private static List<String> column(Connection c, String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Statement s = c.createStatement(); var r = s.executeQuery(sql)) {
            while (r.next()) {
                values.add(r.getString(1));
            }
        }
        return values;
    }

    @Test
    void one_name_in_two_scopes_is_two_servers_and_a_scope_cleaning_up_leaves_other_scopes_alone()
            throws Exception {
        JsonNode mine = up(here, "mariadb10", "--name", "app", "--init", seed.toString());
        JsonNode dflt = up(unscoped, "mariadb10", "--name", UNSCOPED, "--init", seed.toString(), "--ttl", "1s");
        JsonNode theirs = up(other, "mysql9", "--name", "app");
        Cli.Result stopped = other.run("up", "mariadb10", "--name", "stopped", "--no-wait", "-q");
        assertEquals(0, stopped.exitCode(), stopped::toString);
        Docker.client().killContainerCmd(TestScope.container(TestScope.OTHER, "stopped")).exec();

        assertEquals(TestScope.NAME, mine.get("scope").asText());
        assertEquals(TestScope.container("app"), mine.get("container").asText());
        assertEquals(TestScope.OTHER, theirs.get("scope").asText());
        assertEquals(TestScope.container(TestScope.OTHER, "app"), theirs.get("container").asText());
        assertTrue(dflt.get("scope").isNull(), dflt::toString);
        assertEquals("devdb-" + UNSCOPED, dflt.get("container").asText());
        String key = engine.inspect(TestScope.container("app")).orElseThrow().label("devdb.cache-key");
        assertEquals(key, engine.inspect("devdb-" + UNSCOPED).orElseThrow().label("devdb.cache-key"));
        assertEquals(TestScope.NAME, engine.images(Map.of("devdb.cache-key", key)).get(0).label("devdb.scope"),
                "the run's scope made the entry the default scope's instance starts from");

        // two independent servers under one name
        assertNotEquals(mine.get("port").asInt(), theirs.get("port").asInt());
        try (Connection a = Cli.connect(mine); Connection b = Cli.connect(theirs)) {
            try (Statement s = a.createStatement()) {
                s.execute("CREATE TABLE owner (v VARCHAR(10))");
                s.execute("INSERT INTO owner VALUES ('here')");
            }
            try (Statement s = b.createStatement()) {
                s.execute("CREATE TABLE owner (v VARCHAR(10))");
                s.execute("INSERT INTO owner VALUES ('there')");
            }
            assertEquals(List.of("here"), column(a, "SELECT v FROM owner"));
            assertEquals(List.of("there"), column(b, "SELECT v FROM owner"));
            assertEquals(List.of(marker), column(a, "SELECT m FROM seeded"));
            assertTrue(Cli.scalar(a, "SELECT VERSION()").contains("MariaDB"));
            assertFalse(Cli.scalar(b, "SELECT VERSION()").contains("MariaDB"));
        }
        assertEquals(List.of("app"), names(here, "ps", "--json"));
        assertEquals(List.of("app", "stopped"), names(other, "ps", "--json"));
        ok(here, "snapshot", "save", "app", "s1");
        ok(other, "snapshot", "save", "app", "s1");
        Cli.Result candidates = unscoped.run("prune", "--dry-run", "--json", UNSCOPED);
        assertEquals(List.of("expired"), candidates.json().findValuesAsText("reason"),
                "the default scope's instance is one prune would remove: " + candidates);

        // the run's scope cleans up
        ok(here, "prune");
        Cli.Result down = here.run("down", "--all");
        assertEquals(0, down.exitCode(), down::toString);
        assertEquals(List.of("devdb: removed app", "devdb: removed 1 instance"), down.err().lines().toList(),
                down::toString);
        ok(here, "cache", "prune", "--all");
        ok(here, "snapshot", "rm", "s1");

        assertTrue(engine.inspect(TestScope.container("app")).isEmpty());
        assertEquals(List.of(), names(here, "ps", "--json"));
        assertEquals("exited", engine.inspect(TestScope.container(TestScope.OTHER, "stopped")).orElseThrow().state(),
                "another scope's stopped instance was pruned");
        assertEquals(List.of("app", "stopped"), names(other, "ps", "--json"));
        assertEquals(List.of("s1"), names(other, "snapshot", "ls", "--json"));
        try (Connection b = Cli.connect(theirs); Connection d = Cli.connect(dflt)) {
            assertEquals(List.of("there"), column(b, "SELECT v FROM owner"));
            assertEquals(List.of(marker), column(d, "SELECT m FROM seeded"));
        }
        // their cache entries are still there: reset starts from them
        ok(unscoped, "reset", UNSCOPED);
        ok(other, "reset", "app");
        try (Connection b = Cli.connect(theirs); Connection d = Cli.connect(dflt)) {
            assertEquals(List.of(), column(b, "SHOW TABLES LIKE 'owner'"), "reset brings back the initial data");
            assertEquals(List.of(marker), column(d, "SELECT m FROM seeded"));
        }
        ok(other, "snapshot", "restore", "app", "s1");
        try (Connection b = Cli.connect(theirs)) {
            assertEquals(List.of("there"), column(b, "SELECT v FROM owner"), "the other scope's snapshot is intact");
        }
    }
}
