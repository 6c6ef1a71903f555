package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Seeds, the cache of initialised data, reset, snapshots, dump and import, on real servers. */
class ResetIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final List<String> names = new ArrayList<>();
    static String marker;

    @BeforeAll
    static void setUp() throws Exception {
        cli = new Cli(dir);
        engine = Cli.engine();
        marker = UUID.randomUUID().toString().substring(0, 8);
        Path seeds = Files.createDirectories(dir.resolve("seeds"));
        // A unique marker makes the first up of this run a cold one, whatever earlier runs cached.
        Files.writeString(seeds.resolve("01-schema.sql"), """
                CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(40));
                INSERT INTO items VALUES (1, 'one'), (2, 'two'), (3, '%s');
                """.formatted(marker));
        Files.writeString(seeds.resolve("02-more.sql"), "CREATE TABLE notes (txt TEXT);\n");
        Files.createDirectories(dir.resolve("profiles"));
        for (String base : Versions.all().toList()) {
            Files.writeString(dir.resolve("profiles").resolve("rs-" + base + ".yaml"), """
                    extends: %s
                    init:
                      - ../seeds
                    """.formatted(base));
        }
    }

    @AfterAll
    static void tearDown() {
        for (String n : names) {
            cli.run("down", n);
        }
        // the entries this run made that nothing uses; another scope's, or one in use, stay
        cli.run("cache", "prune");
        engine.close();
    }

    private static JsonNode up(String... args) {
        Cli.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode json = r.json();
        names.add(json.get("name").asText());
        return json;
    }

    private static int count(Connection c, String table) throws SQLException {
        return Integer.parseInt(Cli.scalar(c, "SELECT COUNT(*) FROM " + table));
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void reset_restores_the_seed_state_with_the_same_port_and_credentials(String base) throws Exception {
        String name = "rs-" + base;
        JsonNode first = up("up", name, "--json");
        try (Connection c = Cli.connect(first)) {
            assertEquals(3, count(c, "items"));
            assertEquals(marker, Cli.scalar(c, "SELECT name FROM items WHERE id = 3"));
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO items VALUES (4, 'four')");
                s.execute("DROP TABLE notes");
                s.execute("CREATE TABLE scratch (x INT)");
            }
        }
        String cacheImage = "devdb-cache:" + engine.inspect(TestScope.container(name)).orElseThrow()
                .label("devdb.cache-key");
        assertNoPasswordsIn(cacheImage);
        Cli.Result reset = cli.run("reset", name);
        assertEquals(0, reset.exitCode(), reset::toString);

        Cli.Result after = cli.run("up", name, "--json");
        assertEquals(0, after.exitCode(), after::toString);
        JsonNode again = after.json();
        assertEquals(first.get("port").asInt(), again.get("port").asInt(), "port changed by reset");
        assertEquals(first.get("password").asText(), again.get("password").asText(), "password changed by reset");
        try (Connection c = Cli.connect(again)) {
            assertEquals(3, count(c, "items"));
            assertEquals(0, count(c, "notes"), "dropped table is back, empty as seeded");
            assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.tables "
                    + "WHERE table_schema = DATABASE() AND table_name = 'scratch'"));
        }

        // A second instance of the same profile starts from the cache, with credentials of its own.
        JsonNode warm = up("up", name, "--name", name + "-warm", "--json");
        assertNotEquals(first.get("password").asText(), warm.get("password").asText());
        String key = engine.inspect(TestScope.container(name)).orElseThrow().label("devdb.cache-key");
        assertEquals(key, engine.inspect(TestScope.container(name + "-warm")).orElseThrow().label("devdb.cache-key"));
        try (Connection c = Cli.connect(warm)) {
            assertEquals(3, count(c, "items"));
        }
        assertNoPasswordsIn(cacheImage); // the clean copy a warm start kept
        Cli.Result ls = cli.run("cache", "ls", "--json");
        assertEquals(0, ls.exitCode(), ls::toString);
        boolean listed = false;
        for (JsonNode e : ls.json()) {
            if (e.get("key").asText().equals(key)) {
                listed = true;
                assertTrue(e.get("sizeBytes").asLong() > 0);
                assertTrue(e.get("usedBy").toString().contains(name + "-warm"), ls::toString);
            }
        }
        assertTrue(listed, ls::toString);
        assertEquals(0, cli.run("down", name + "-warm").exitCode());
    }

    @Test
    void a_changed_seed_file_gives_a_new_cache_key() throws Exception {
        Path seeds = Files.createDirectories(dir.resolve("seeds-key"));
        Path seed = seeds.resolve("01.sql");
        Files.writeString(seed, "CREATE TABLE k (v INT); INSERT INTO k VALUES (1);\n-- " + marker + "\n");
        up("up", "mariadb10", "--name", "key-a", "--init", seeds.toString(), "--json");
        Files.writeString(seed, "CREATE TABLE k (v INT); INSERT INTO k VALUES (2);\n-- " + marker + "\n");
        JsonNode b = up("up", "mariadb10", "--name", "key-b", "--init", seeds.toString(), "--json");
        String keyA = engine.inspect(TestScope.container("key-a")).orElseThrow().label("devdb.cache-key");
        String keyB = engine.inspect(TestScope.container("key-b")).orElseThrow().label("devdb.cache-key");
        assertNotNull(keyA);
        assertNotEquals(keyA, keyB);
        try (Connection c = Cli.connect(b)) {
            assertEquals("2", Cli.scalar(c, "SELECT v FROM k"), "the second instance ran the changed seed");
        }
    }

    @Test
    void a_failing_seed_stops_up_naming_the_script_and_leaves_nothing() throws Exception {
        Path seeds = Files.createDirectories(dir.resolve("seeds-bad"));
        Files.writeString(seeds.resolve("01-good.sql"), "CREATE TABLE fine (v INT);\n-- " + marker + "\n");
        Files.writeString(seeds.resolve("02-broken.sql"), "CREATE TABLE broken (v INT;\n");
        Cli.Result r = cli.run("up", "mariadb10", "--name", "seed-bad", "--init", seeds.toString());
        assertEquals(ExitCodes.SEED_FAILED, r.exitCode(), r::toString);
        assertTrue(r.err().contains("02-broken.sql"), r::toString);
        assertTrue(r.err().contains("ERROR 1064"), r::toString);
        assertTrue(engine.inspect(TestScope.container("seed-bad")).isEmpty(), "container left behind");
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void a_failing_seed_is_what_up_reports_not_the_jobs_that_ran_beside_it(String base) throws Exception {
        Path seeds = Files.createDirectories(dir.resolve("seeds-beside-" + base));
        // Sourced by the start script, this leaves a session running beside the seeds until the server
        // stops, as the time zone loader may; a client that loses its server prints its long statement
        // and its error. The fifo makes sure the session runs before the next seed fails.
        StringBuilder sleep = new StringBuilder("SELECT SLEEP(600)\n");
        for (int i = 0; i < 300; i++) {
            sleep.append(", ").append(i).append('\n');
        }
        Files.writeString(seeds.resolve("01-beside.sh"), """
                beside=$(mktemp -u)
                mkfifo "$beside"
                docker_process_sql --unbuffered --skip-column-names >"$beside" <<'EOSQL' &
                SELECT 'beside';
                %s;
                EOSQL
                read -r started <"$beside"
                rm -f "$beside"
                """.formatted(sleep.toString().strip()));
        Files.writeString(seeds.resolve("02-broken.sql"), "CREATE TABLE broken (v INT;\n-- " + marker + "\n");
        String name = "seed-beside-" + base;

        Cli.Result r = cli.run("up", base, "--name", name, "--init", seeds.toString());

        assertEquals(ExitCodes.SEED_FAILED, r.exitCode(), r::toString);
        String last = r.err().strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("devdb: seed " + seeds.resolve("02-broken.sql") + " failed in " + name
                + ": ERROR 1064"), r::toString);
        assertFalse(r.err().contains("ERROR 2013") || r.err().contains("ERROR 2006"),
                "the session beside the seeds ended before the server: " + r);
        assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), "container left behind");
    }

    /**
     * An image made from an instance carries none of its passwords (the variables are there, empty:
     * every start from it sets its own), nor the mark of the start that kept it.
     */
    private static void assertNoPasswordsIn(String image) {
        List<String> env = List.of(Docker.client().inspectImageCmd(image).exec().getConfig().getEnv());
        assertTrue(env.contains("MYSQL_ROOT_PASSWORD=") && env.contains("MYSQL_PASSWORD="), image + ": " + env);
        for (String variable : env) {
            String key = variable.substring(0, variable.indexOf('='));
            if (key.contains("PASSWORD") || key.equals("DEVDB_KEEP")) {
                assertEquals(key + "=", variable, image + ": " + env);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void snapshot_restore_brings_back_the_rows_saved_with_it(String base) throws Exception {
        String snap = "snap-" + base;
        JsonNode json = up("up", "rs-" + base, "--name", snap, "--json");
        String tag = "it-" + base + "-" + marker;
        // what does not depend on the server (refusing another image, prune) is checked on one
        boolean once = base.equals("mariadb10");
        try {
            try (Connection c = Cli.connect(json); Statement s = c.createStatement()) {
                s.execute("INSERT INTO items VALUES (10, 'saved')");
            }
            Cli.Result save = cli.run("snapshot", "save", snap, tag);
            assertEquals(0, save.exitCode(), save::toString);
            assertNoPasswordsIn(engine.images(java.util.Map.of("devdb.snapshot", tag)).get(0).id());
            try (Connection c = Cli.connect(json); Statement s = c.createStatement()) {
                s.execute("DELETE FROM items");
                s.execute("INSERT INTO items VALUES (99, 'after')");
            }
            Cli.Result ls = cli.run("snapshot", "ls", "--json");
            assertTrue(ls.out().contains("\"" + tag + "\""), ls::toString);

            Cli.Result restore = cli.run("snapshot", "restore", snap, tag);
            assertEquals(0, restore.exitCode(), restore::toString);
            try (Connection c = Cli.connect(json)) {
                assertEquals(4, count(c, "items"));
                assertEquals("saved", Cli.scalar(c, "SELECT name FROM items WHERE id = 10"));
                assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM items WHERE id = 99"));
            }

            if (once) {
                JsonNode other = up("up", "rs-mysql9", "--name", "snap-other", "--json");
                Cli.Result cross = cli.run("snapshot", "restore", other.get("name").asText(), tag);
                assertEquals(ExitCodes.SNAPSHOT, cross.exitCode(), cross::toString);
                assertTrue(cross.err().contains("restores only onto the image"), cross::toString);
                try (Connection c = Cli.connect(other)) {
                    assertEquals(3, count(c, "items"), "a refused restore must leave the instance as it was");
                }
            }
        } finally {
            cli.run("snapshot", "rm", tag);
        }
        if (!once) {
            assertEquals(0, cli.run("down", snap).exitCode());
            engine.images(java.util.Map.of("devdb.snapshot", tag)).forEach(i -> engine.removeImage(i.id(), true));
            return;
        }
        Cli.Result gone = cli.run("snapshot", "restore", snap, tag);
        assertEquals(ExitCodes.SNAPSHOT, gone.exitCode(), gone::toString);

        // The instance ran on the removed snapshot; once it is gone, prune leaves nothing of it.
        assertEquals(0, cli.run("down", snap).exitCode());
        assertEquals(0, cli.run("cache", "prune").exitCode());
        assertTrue(engine.images(java.util.Map.of("devdb.snapshot", tag, "devdb.scope", TestScope.NAME)).isEmpty(), "snapshot image left behind");
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void dump_then_import_into_a_fresh_instance_round_trips(String base) throws Exception {
        JsonNode source = up("up", base, "--name", "dump-src-" + base, "--json");
        try (Connection c = Cli.connect(source); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id INT PRIMARY KEY, txt VARCHAR(100), b VARBINARY(4))");
            s.execute("INSERT INTO t VALUES (1, 'it''s \\\\ \"quoted\"', 0x00ff10ee), (2, 'zwei ü', NULL)");
        }
        Path file = dir.resolve("dump-" + base + ".sql");
        Cli.Result dump = cli.run("dump", "dump-src-" + base);
        assertEquals(0, dump.exitCode(), dump::toString);
        assertTrue(dump.out().contains("CREATE TABLE"), dump::toString);
        Files.writeString(file, dump.out());

        JsonNode target = up("up", base, "--name", "dump-dst-" + base, "--json");
        Cli.Result imp = cli.run("import", "dump-dst-" + base, file.toString());
        assertEquals(0, imp.exitCode(), imp::toString);
        try (Connection c = Cli.connect(target)) {
            assertEquals("2", Cli.scalar(c, "SELECT COUNT(*) FROM t"));
            assertEquals("it's \\ \"quoted\"", Cli.scalar(c, "SELECT txt FROM t WHERE id = 1"));
            assertEquals("zwei ü", Cli.scalar(c, "SELECT txt FROM t WHERE id = 2"));
            assertEquals("00FF10EE", Cli.scalar(c, "SELECT HEX(b) FROM t WHERE id = 1"));
            try (Statement s = c.createStatement()) {
                s.execute("DROP TABLE t");
            }
        }
        Path gz = dir.resolve("dump-" + base + ".sql.gz");
        try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write(dump.out().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Cli.Result impGz = cli.run("import", "dump-dst-" + base, gz.toString());
        assertEquals(0, impGz.exitCode(), impGz::toString);
        try (Connection c = Cli.connect(target)) {
            assertEquals("2", Cli.scalar(c, "SELECT COUNT(*) FROM t"), "the gzipped dump came back too");
        }
        Path broken = Files.writeString(dir.resolve("broken-" + base + ".sql"), "CREATE TABLE x (;\n");
        Cli.Result bad = cli.run("import", "dump-dst-" + base, broken.toString());
        assertEquals(ExitCodes.SEED_FAILED, bad.exitCode(), bad::toString);
        assertTrue(bad.err().contains("ERROR 1064"), "the server's error is shown: " + bad);
    }
}
