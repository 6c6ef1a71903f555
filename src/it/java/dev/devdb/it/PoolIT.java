package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.core.Pool;
import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.ExecResult;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fresh database per test: parallel workers each get a distinct, complete copy of the seed
 * state from the pool; what they give back leaves nothing behind; the application account calls
 * the pool and sees nothing hidden; db new and db drop as typed.
 */
class PoolIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final List<String> names = new ArrayList<>();
    static final int WORKERS = 8;

    @BeforeAll
    static void setUp() throws Exception {
        cli = new Cli(dir);
        engine = Cli.engine();
        // the seed of FastResetIT: the same cache entry serves both
        Cli.seededProfiles(dir, "pool", FastResetIT.SEED, List.of("mysql9", "mariadb105", "mariadb11"));
    }

    @AfterAll
    static void tearDown() {
        for (String n : names) {
            cli.run("down", n);
        }
        engine.close();
    }

    static Stream<String> servers() {
        List<String> all = Versions.all().toList();
        // MariaDB 10.5 has no SKIP LOCKED: its callers take their databases one at a time
        return Stream.of("mysql9", "mariadb105", "mariadb11").filter(all::contains);
    }

    /** One instance per server, shared by the tests, with a pool of 8. */
    private static JsonNode up(String base) {
        String name = "pool-" + base;
        Cli.Result r = cli.run("up", name, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        if (!names.contains(name)) {
            names.add(name);
            Cli.Result pool = cli.run("db", "pool", name, "--size", Integer.toString(WORKERS));
            assertEquals(0, pool.exitCode(), pool::toString);
        }
        return r.json();
    }

    private static Connection app(JsonNode up) throws SQLException {
        return Cli.connect(up);
    }

    private static Connection root(JsonNode up) throws SQLException {
        return Fingerprints.root(engine, up);
    }

    private static String take(Connection app) throws SQLException {
        try (Statement s = app.createStatement(); ResultSet r = s.executeQuery("CALL _devdb_pool.new_database()")) {
            assertTrue(r.next());
            return r.getString("name");
        }
    }

    private static void giveBack(Connection app, String db) throws SQLException {
        try (CallableStatement c = app.prepareCall("CALL _devdb_pool.drop_database(?)")) {
            c.setString(1, db);
            c.execute();
        }
    }

    /** A database as an application sees it, its own name written DB: the same for a copy as for its original. */
    static List<String> fingerprint(Statement s, String db) throws SQLException {
        return Fingerprints.database(s, db, Fingerprints.Objects.AS_COPIED);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void parallel_workers_each_get_a_distinct_complete_copy_of_the_seed_state(String base) throws Exception {
        JsonNode up = up(base);
        List<String> seed;
        try (Connection c = root(up); Statement s = c.createStatement()) {
            seed = fingerprint(s, "app");
        }
        assertTrue(seed.stream().anyMatch(l -> l.contains("AUTO_INCREMENT=13")), seed::toString);
        assertTrue(seed.stream().anyMatch(l -> l.contains("TRIGGER")), seed::toString);

        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<String>> handed = new ArrayList<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                handed.add(pool.submit(() -> {
                    try (Connection app = app(up)) {
                        String db = take(app);
                        app.setCatalog(db);
                        // the application account reads it as its own database
                        assertEquals("3", Cli.scalar(app, "SELECT COUNT(*) FROM parent"));
                        assertEquals("4", Cli.scalar(app, "SELECT double_it(2)"));
                        return db;
                    }
                }));
            }
            Set<String> distinct = new HashSet<>();
            try (Connection c = root(up); Statement s = c.createStatement()) {
                for (Future<String> f : handed) {
                    String db = f.get();
                    assertTrue(db.matches("app_t[0-9a-f]{12}"), db);
                    distinct.add(db);
                }
                assertEquals(WORKERS, distinct.size(), distinct::toString);
                for (String db : distinct) {
                    assertEquals(seed, fingerprint(s, db), db);
                    assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '"
                            + db + "'"), "events stay with the seed database");
                }
                if ("mysql".equals(up.get("flavor").asText())) {
                    // an instance without replicas or a connector keeps its copies out of its binary log: no
                    // statement that made one is there, only the pool's bookkeeping and grants
                    List<String> made = new ArrayList<>();
                    for (String log : Fingerprints.rows(s, "SHOW BINARY LOGS")) {
                        for (String event : Fingerprints.rows(s, "SHOW BINLOG EVENTS IN '" + log.split("\t")[0] + "'")) {
                            if (distinct.stream().anyMatch(event::contains) && !event.contains("GRANT ")
                                    && !event.contains("REVOKE ")) {
                                made.add(event);
                            }
                        }
                    }
                    assertEquals(List.of(), made);
                }
            }
            // and the application account works in one as in its own database
            try (Connection app = app(up)) {
                String db = take(app);
                app.setCatalog(db);
                try (Statement s = app.createStatement()) {
                    s.execute("CALL add_parent('worker')");
                    s.execute("ALTER TABLE child ADD COLUMN more INT");
                }
                assertEquals("13", Cli.scalar(app, "SELECT MAX(id) FROM parent"));
                assertEquals("1", Cli.scalar(app, "SELECT COUNT(*) FROM audit"));
                assertEquals("2", Cli.scalar(app, "SELECT COUNT(*) FROM outer_names"));
                giveBack(app, db);
            }
            try (Connection app = app(up)) {
                for (String db : distinct) {
                    giveBack(app, db);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void more_clients_than_the_pool_holds_each_get_a_distinct_complete_copy_in_a_loop(String base) throws Exception {
        JsonNode up = up(base);
        List<String> seed;
        try (Connection c = root(up); Statement s = c.createStatement()) {
            seed = fingerprint(s, "app");
        }
        int clients = WORKERS + 4;
        int rounds = 3;
        int earlier;
        try (Connection c = root(up)) {
            earlier = Integer.parseInt(Cli.scalar(c, AHEAD));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<List<String>>> handed = new ArrayList<>();
        try {
            for (int w = 0; w < clients; w++) {
                handed.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    try (Connection app = app(up); Connection root = root(up); Statement s = root.createStatement()) {
                        for (int r = 0; r < rounds; r++) {
                            String db = take(app);
                            // complete while it is held, whatever the refillers make or drop meanwhile
                            assertEquals(seed, fingerprint(s, db), db);
                            giveBack(app, db);
                            mine.add(db);
                        }
                    }
                    return mine;
                }));
            }
            Set<String> distinct = new HashSet<>();
            for (Future<List<String>> f : handed) {
                distinct.addAll(f.get());
            }
            assertEquals(clients * rounds, distinct.size(), distinct::toString);
        } finally {
            pool.shutdownNow();
        }
        // given back while the pool was short, they are dropped once it is full again; handed out in bursts,
        // the pool made copies ahead, beyond its size: twice its size, or as many as were handed out within
        // 2 seconds when more (never more than were handed out in all, nor 64)
        try (Connection c = root(up)) {
            String state = settled(c);
            int ready = Integer.parseInt(state.split(" ")[0]);
            int wanted = Integer.parseInt(Cli.scalar(c, AHEAD));
            // (a wave of another test within the last minute may still ask for more)
            assertTrue(wanted >= 2 * WORKERS && wanted <= Math.max(earlier,
                    Math.min(Pool.MAX_SIZE, Math.max(2 * WORKERS, clients * rounds))), wanted + " wanted, " + state);
            assertTrue(ready >= wanted && ready <= Pool.MAX_SIZE, wanted + " wanted, " + state);
        }
    }

    /** How many databases the pool keeps ready beyond its size now, 0 when it keeps none beyond. */
    private static final String AHEAD = "SELECT COALESCE((SELECT wanted FROM _devdb_pool.ahead WHERE id = 1"
            + " AND ends > CURRENT_TIMESTAMP(3)), 0)";

    /** Waits until the refillers have nothing left to do (nothing filling, nothing given back left); says how many are ready. */
    private static String settled(Connection root) throws Exception {
        // as many ready as the refillers want (the size, or more made ahead): between two copies none may be
        // filling, and a size just set may not have been seen yet
        String sql = "SELECT CONCAT(COALESCE(SUM(state = 'ready'), 0), ' ready, ', COALESCE(SUM(state = 'filling'), 0),"
                + " ' filling, ', COALESCE(SUM(state = 'dropping'), 0), ' dropping, wanted ',"
                + " (SELECT GREATEST(size, (" + AHEAD + ")) FROM _devdb_pool.settings WHERE id = 1)) FROM _devdb_pool.pool";
        return Cli.awaitValue(root, sql, Duration.ofSeconds(90), "the refillers did not fill the pool again", state -> {
            int ready = Integer.parseInt(state.split(" ")[0]);
            assertTrue(ready <= Pool.MAX_SIZE, state);
            return state.contains(" ready, 0 filling, 0 dropping, wanted ")
                    && ready >= Math.min(Pool.MAX_SIZE, Integer.parseInt(state.substring(state.lastIndexOf(' ') + 1)));
        });
    }

    @ParameterizedTest
    @MethodSource("servers")
    void a_wave_larger_than_twice_the_pool_is_kept_ready_for_the_next_one(String base) throws Exception {
        JsonNode up = up(base);
        String name = up.get("name").asText();
        int wave = 4 * WORKERS;
        int size = 2;
        // copies ready for the whole wave: made for a pool of its size, and kept when the pool shrinks back
        Cli.Result grow = cli.run("db", "pool", name, "--size", Integer.toString(wave));
        assertEquals(0, grow.exitCode(), grow::toString);
        int before;
        try (Connection c = root(up)) {
            before = Integer.parseInt(settled(c).split(" ")[0]);
        }
        assertTrue(before >= wave, before + " ready");
        Cli.Result shrink = cli.run("db", "pool", name, "--size", Integer.toString(size));
        assertEquals(0, shrink.exitCode(), shrink::toString);
        try {
            wave(up, wave, size, before);
        } finally {
            Cli.Result back = cli.run("db", "pool", name, "--size", Integer.toString(WORKERS));
            assertEquals(0, back.exitCode(), back::toString);
        }
    }

    /**
     * Hands out a wave of databases at once from a pool of the size given that had {@code before} ready, gives
     * them back, and checks what the pool keeps ready after.
     */
    private static void wave(JsonNode up, int wave, int size, int before) throws Exception {
        int earlier;
        try (Connection c = root(up)) {
            earlier = Integer.parseInt(Cli.scalar(c, AHEAD));
        }

        // the wave: all of it at once, from parallel workers, each database distinct and held until the end
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        List<Future<List<String>>> handed = new ArrayList<>();
        Set<String> distinct = new HashSet<>();
        try {
            for (int w = 0; w < WORKERS; w++) {
                handed.add(pool.submit(() -> {
                    List<String> mine = new ArrayList<>();
                    try (Connection app = app(up)) {
                        for (int i = 0; i < wave / WORKERS; i++) {
                            mine.add(take(app));
                        }
                    }
                    return mine;
                }));
            }
            for (Future<List<String>> f : handed) {
                distinct.addAll(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(wave, distinct.size(), distinct::toString);
        try (Connection app = app(up)) {
            for (String db : distinct) {
                giveBack(app, db);
            }
        }

        // the refillers keep ready what the wave took within 2 seconds, not merely twice the pool's size (but
        // at most eight times its size), and drop what was given back once they have made them
        try (Connection c = root(up)) {
            int ready = Integer.parseInt(settled(c).split(" ")[0]);
            int wanted = Integer.parseInt(Cli.scalar(c, AHEAD));
            // (a wave of another test within the last minute may still ask for more)
            assertTrue(wanted > 2 * size && wanted <= Math.max(8 * size, earlier), wanted + " wanted, " + ready + " ready");
            // the copies left over from before the wave stay ready too
            assertEquals(Math.max(wanted, before - wave), ready, wanted + " wanted, " + before + " ready before");
            String list = "'" + String.join("','", distinct) + "'";
            assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ("
                    + list + ")"));
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void a_copy_that_failed_after_its_grant_leaves_no_database_grant_or_row(String base) throws Exception {
        JsonNode up = up(base);
        // as a refiller leaves a copy whose refill_ready granted it and then failed (worker 99 runs nowhere)
        String db = "app_t00000000d15c";
        try (Connection c = root(up); Statement s = c.createStatement()) {
            s.execute("INSERT INTO _devdb_pool.pool (name, state, worker) VALUES ('" + db + "', 'filling', 99)");
            s.execute("CREATE DATABASE `" + db + "`");
            s.execute("CALL _devdb_pool.account('GRANT', '" + db + "')");
            assertEquals("1", Cli.scalar(c, "SELECT COUNT(*) FROM mysql.db WHERE User = 'app' AND Db = 'app\\_t00000000d15c'"));

            s.execute("CALL _devdb_pool.refill_discard('" + db + "')");

            assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM mysql.db WHERE User = 'app' AND Db = 'app\\_t00000000d15c'"));
            assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + db + "'"));
            assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM _devdb_pool.pool WHERE name = '" + db + "'"));
        }
        try (Connection app = app(up)) {
            SQLException denied = assertThrows(SQLException.class, () -> Cli.scalar(app, "SELECT 1 FROM `" + db + "`.parent"));
            assertTrue(List.of(1142, 1044, 1146, 1049).contains(denied.getErrorCode()), denied::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void what_is_given_back_leaves_nothing_and_the_application_sees_only_its_copies(String base) throws Exception {
        JsonNode up = up(base);
        String container = TestScope.container(up.get("name").asText());
        List<String> dropped = new ArrayList<>();
        try (Connection app = app(up); Connection root = root(up); Statement rs = root.createStatement()) {
            for (int i = 0; i < 12; i++) {
                String db = take(app);
                assertEquals("3", Cli.scalar(app, "SELECT COUNT(*) FROM `" + db + "`.parent"));
                giveBack(app, db);
                dropped.add(db);
                // the grant goes at once
                SQLException denied = assertThrows(SQLException.class,
                        () -> Cli.scalar(app, "SELECT COUNT(*) FROM `" + db + "`.parent"));
                assertTrue(denied.getErrorCode() == 1142 || denied.getErrorCode() == 1044, denied::toString);
            }
            // the refillers drop what was given back soon after
            Cli.awaitValue(root, "SELECT COUNT(*) FROM _devdb_pool.pool WHERE state = 'dropping'", Duration.ofSeconds(60),
                    "the refillers did not drop the databases given back", "0"::equals);
            String list = "'" + String.join("','", dropped) + "'";
            assertEquals("0", Cli.scalar(root, "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME IN ("
                    + list + ")"));
            assertEquals("0", Cli.scalar(root, "SELECT COUNT(*) FROM _devdb_pool.pool WHERE name IN (" + list + ")"));
            // the application account holds its own database and the copies the pool keeps ready, nothing given back
            List<String> granted = Fingerprints.rows(rs, "SELECT Db FROM mysql.db WHERE User = 'app'");
            assertTrue(granted.contains("app\t"), granted::toString);
            assertTrue(granted.stream().map(g -> g.strip().replace("\\_", "_"))
                    .allMatch(g -> g.equals("app") || isReady(root, g)), granted::toString);
            ExecResult ls = engine.exec(container, List.of("ls", "-a", "/var/lib/devdb/data"), Map.of());
            assertEquals(0, ls.exitCode(), ls::stderr);
            assertTrue(ls.stdout().lines().noneMatch(f -> f.startsWith("app_t") && !isReady(root, f)), ls::stdout);

            // the application account: the pool's two procedures, nothing else hidden
            List<String> visible = new ArrayList<>();
            try (Statement s = app.createStatement(); ResultSet r = s.executeQuery("SHOW DATABASES")) {
                while (r.next()) {
                    visible.add(r.getString(1));
                }
            }
            assertTrue(visible.stream().noneMatch(d -> d.startsWith("_devdb_t_") || d.startsWith("_devdb_s_")
                    || d.equals("_devdb") || d.startsWith("app_t") && !isReady(root, d)), visible::toString);
            for (String sql : List.of("SELECT COUNT(*) FROM _devdb_t_1.parent", "SELECT COUNT(*) FROM _devdb_pool.pool",
                    "CALL _devdb_pool.refill_wait(1)", "CALL _devdb.copy_db(1, 'stolen')")) {
                SQLException e = assertThrows(SQLException.class, () -> Cli.scalar(app, sql), sql);
                assertTrue(List.of(1142, 1044, 1370).contains(e.getErrorCode()), sql + ": " + e);
            }
            // and cannot drop what the pool did not hand out
            SQLException refused = assertThrows(SQLException.class, () -> giveBack(app, "app"));
            assertEquals("45000", refused.getSQLState(), refused::toString);
            assertEquals("3", Cli.scalar(app, "SELECT COUNT(*) FROM app.parent"));
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void the_pool_resumes_by_itself_after_the_container_restarts_and_after_a_reset_that_restarts(String base)
            throws Exception {
        JsonNode up = up(base);
        String name = up.get("name").asText();
        List<String> seed;
        try (Connection c = root(up); Statement s = c.createStatement()) {
            seed = fingerprint(s, "app");
        }

        // the container restarted (by its entrypoint: devdb's start script or the server's warm start)
        up = restart(name);
        assertResumed(up, seed);

        // a reset that restarts: the cache's data has no pool; it is set up again with its size
        Cli.Result full = cli.run("reset", name, "--full");
        assertEquals(0, full.exitCode(), full::toString);
        assertTrue(full.err().contains("setting up the pool of fresh databases of " + name + " again"), full::toString);
        assertFalse(full.err().contains("was not set up again"), full::toString);
        assertResumed(up, seed);

        // and the container that reset made, restarted
        up = restart(name);
        assertResumed(up, seed);
    }

    /** Restarts the instance's container as `docker restart` does; returns the instance as up prints it (its port is new). */
    private static JsonNode restart(String name) {
        Docker.client().restartContainerCmd(TestScope.container(name)).withTimeout(20).exec();
        Cli.Result waited = cli.run("wait", name, "--timeout", "120s");
        assertEquals(0, waited.exitCode(), waited::toString);
        return up(name.substring("pool-".length()));
    }

    /**
     * Without any devdb command, the application account gets a complete copy from the pool, and the
     * refillers (nobody else makes copies or drops them) fill it to its size again (or keep the copies
     * made ahead, up to 64) and drop what was given back.
     */
    private static void assertResumed(JsonNode up, List<String> seed) throws Exception {
        String db;
        try (Connection app = app(up)) {
            db = take(app);
            try (Connection c = root(up); Statement s = c.createStatement()) {
                assertEquals(seed, fingerprint(s, db), db);
            }
            giveBack(app, db);
        }
        try (Connection c = root(up)) {
            String sql = "SELECT CONCAT(SUM(state = 'ready') BETWEEN " + WORKERS + " AND " + Pool.MAX_SIZE
                    + ", ' ready, ', SUM(state <> 'ready'), ' other, ',"
                    + " (SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '" + db + "'), ' left')"
                    + " FROM _devdb_pool.pool";
            String want = "1 ready, 0 other, 0 left";
            Cli.awaitValue(c, sql, Duration.ofSeconds(90), "the refillers did not fill the pool again", want::equals);
        }
    }

    private static boolean isReady(Connection root, String db) {
        try {
            return "1".equals(Cli.scalar(root, "SELECT COUNT(*) FROM _devdb_pool.pool WHERE name = '" + db
                    + "' AND state IN ('ready', 'filling')"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void db_new_and_db_drop_as_typed(String base) throws Exception {
        JsonNode up = up(base);
        String name = up.get("name").asText();

        Cli.Result made = cli.run("db", "new", name, "--json");
        assertEquals(0, made.exitCode(), made::toString);
        JsonNode json = made.json();
        String db = json.get("database").asText();
        assertTrue(db.startsWith("app_t"), made::toString);
        try (Connection c = DriverManager.getConnection(json.get("jdbcUrl").asText())) {
            assertEquals(db, Cli.scalar(c, "SELECT DATABASE()"));
            assertEquals("3", Cli.scalar(c, "SELECT COUNT(*) FROM parent"));
        }

        Cli.Result text = cli.run("db", "new", name);
        assertEquals(0, text.exitCode(), text::toString);
        List<String> lines = text.out().lines().toList();
        assertEquals(2, lines.size(), text::toString);
        assertTrue(lines.get(1).startsWith("mysql://app:") && lines.get(1).endsWith("/" + lines.get(0)), text::toString);
        assertFalse(lines.get(0).equals(db));

        for (String d : List.of(db, lines.get(0))) {
            Cli.Result drop = cli.run("db", "drop", name, d);
            assertEquals(0, drop.exitCode(), drop::toString);
            assertEquals("devdb: dropped " + d + " of " + name + "\n", drop.err());
        }
        Cli.Result again = cli.run("db", "drop", name, db);
        assertEquals(2, again.exitCode(), again::toString);
        assertTrue(again.err().startsWith("devdb: database " + db + " of " + name + " was not handed out by its pool"),
                again::toString);
        Cli.Result notPool = cli.run("db", "drop", name, "app");
        assertEquals(2, notPool.exitCode(), notPool::toString);
        assertEquals(2, cli.run("db", "drop", name, "app;x").exitCode());
        assertEquals(10, cli.run("db", "new", "no-such-instance").exitCode());
        try (Connection c = app(up)) {
            assertEquals("3", Cli.scalar(c, "SELECT COUNT(*) FROM app.parent"));
        }
    }
}
