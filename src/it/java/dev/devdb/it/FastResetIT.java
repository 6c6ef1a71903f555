package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** reset inside the running server: exactly the state after up, twice in a row; and when it restarts instead. */
class FastResetIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final List<String> names = new ArrayList<>();

    static final String SEED = """
            CREATE TABLE parent (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40) NOT NULL,
              twice VARCHAR(80) AS (CONCAT(name, name))) AUTO_INCREMENT = 10;
            CREATE TABLE child (id INT AUTO_INCREMENT PRIMARY KEY, parent_id INT, note VARCHAR(40),
              CONSTRAINT child_parent FOREIGN KEY (parent_id) REFERENCES parent (id));
            CREATE TABLE audit (id INT AUTO_INCREMENT PRIMARY KEY, what VARCHAR(80));
            INSERT INTO parent (name) VALUES ('a'), ('b'), ('c');
            INSERT INTO child (parent_id, note) VALUES (10, 'x'), (11, 'y'), (12, 'z');
            DELETE FROM child WHERE note = 'z';
            CREATE VIEW both_names AS SELECT p.name, c.note FROM parent p JOIN child c ON c.parent_id = p.id;
            CREATE VIEW outer_names AS SELECT name FROM both_names;
            DELIMITER //
            CREATE TRIGGER parent_ai AFTER INSERT ON parent FOR EACH ROW
              BEGIN INSERT INTO audit (what) VALUES (CONCAT('parent ', NEW.name)); END//
            CREATE PROCEDURE add_parent(IN n VARCHAR(40)) BEGIN INSERT INTO parent (name) VALUES (n); END//
            CREATE FUNCTION double_it(x INT) RETURNS INT DETERMINISTIC RETURN x * 2//
            DELIMITER ;
            CREATE EVENT cleanup ON SCHEDULE EVERY 1 DAY DISABLE DO DELETE FROM audit;
            CREATE DATABASE other;
            CREATE TABLE other.t (id INT PRIMARY KEY);
            INSERT INTO other.t VALUES (1);
            CREATE USER reader@'%' IDENTIFIED BY 'reader-pw';
            GRANT SELECT ON app.parent TO reader@'%';
            """;

    @BeforeAll
    static void setUp() throws Exception {
        cli = new Cli(dir);
        engine = Cli.engine();
        Cli.seededProfiles(dir, "fr", SEED, List.of("mysql9", "mariadb11"));
    }

    @AfterAll
    static void tearDown() {
        for (String n : names) {
            cli.run("down", n);
        }
        engine.close();
    }

    /** MySQL 9.7 and MariaDB 11.8, narrowed by {@code devdb.it.versions}. */
    static Stream<String> servers() {
        List<String> all = Versions.all().toList();
        return Stream.of("mysql9", "mariadb11").filter(all::contains);
    }

    /** One instance per server, shared by the tests: each leaves it as up made it. */
    private static JsonNode up(String base) {
        String name = "fr-" + base;
        Cli.Result r = cli.run("up", name, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        if (!names.contains(name)) {
            names.add(name);
        }
        return r.json();
    }

    private static Connection root(JsonNode up) throws SQLException {
        return Fingerprints.root(engine, up);
    }

    /** What an application can see: databases, CHECKSUM TABLE and SHOW CREATE of every object, accounts and grants. */
    static List<String> fingerprint(JsonNode up) throws SQLException {
        try (Connection c = root(up); Statement s = c.createStatement()) {
            return Fingerprints.instance(s, List.of("app", "other"));
        }
    }

    /** Changes data, schema, AUTO_INCREMENT, accounts and grants, and the set of databases. */
    static void change(JsonNode up, int round) throws SQLException {
        try (Connection c = root(up); Statement s = c.createStatement()) {
            s.execute("INSERT INTO app.parent (name) VALUES ('new" + round + "')");
            s.execute("CALL app.add_parent('p" + round + "')");
            s.execute("DELETE FROM app.child");
            s.execute("ALTER TABLE app.child ADD COLUMN extra INT");
            s.execute("ALTER TABLE app.parent AUTO_INCREMENT = 500");
            s.execute("DROP VIEW app.outer_names");
            s.execute("DROP TRIGGER app.parent_ai");
            s.execute("DROP PROCEDURE app.add_parent");
            s.execute("CREATE TABLE app.scratch (x INT)");
            s.execute("CREATE DATABASE extra" + round);
            s.execute("DROP DATABASE other");
            s.execute("CREATE USER newbie@'%' IDENTIFIED BY 'newbie-pw'");
            s.execute("GRANT ALL ON *.* TO newbie@'%'");
            s.execute("REVOKE SELECT ON app.parent FROM reader@'%'");
            s.execute("DROP USER reader@'%'");
            s.execute("ALTER USER " + "'" + up.get("user").asText() + "'@'%' IDENTIFIED BY 'changed-pw'");
        }
    }

    private static Cli.Result reset(String name, String... more) {
        List<String> args = new ArrayList<>(List.of("reset", name));
        args.addAll(List.of(more));
        Cli.Result r = cli.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    @ParameterizedTest
    @MethodSource("servers")
    void two_resets_in_a_row_inside_the_server_give_exactly_the_state_after_up(String base) throws Exception {
        JsonNode up = up(base);
        String name = up.get("name").asText();
        List<String> afterUp = fingerprint(up);
        for (int round = 1; round <= 2; round++) {
            // an application's connection in an open transaction is ended, as a restart would
            Connection app = Cli.connect(up);
            change(up, round);
            assertFalse(afterUp.equals(fingerprint(up)), "the changes changed nothing");
            try (Statement s = app.createStatement()) {
                app.setAutoCommit(false);
                s.execute("UPDATE parent SET name = 'held' WHERE id = 10");
            }
            Cli.Result r = reset(name);
            assertTrue(r.err().contains(name + " is reset inside its running server"), r::toString);
            assertFalse(r.err().contains("restart"), r::toString);
            assertEquals(afterUp, fingerprint(up), "round " + round + "\n" + r);
            assertThrows(SQLException.class, () -> Cli.scalar(app, "SELECT 1"), "the open connection survived");
            app.close();
            // the password from up works again; the trigger, routines and foreign key work
            try (Connection c = Cli.connect(up); Statement s = c.createStatement()) {
                s.execute("CALL add_parent('after')");
                assertEquals("1", Cli.scalar(c, "SELECT COUNT(*) FROM audit WHERE what = 'parent after'"));
                assertEquals("13", Cli.scalar(c, "SELECT id FROM parent WHERE name = 'after'"));
                assertEquals("8", Cli.scalar(c, "SELECT double_it(4)"));
                assertThrows(SQLException.class, () -> s.execute("INSERT INTO child (parent_id) VALUES (99)"));
            }
            try (Connection c = Cli.connect(up.get("flavor").asText(), up.get("port").asInt(), "app", "reader",
                    "reader-pw")) {
                assertEquals("3", Cli.scalar(c, "SELECT COUNT(*) FROM parent WHERE id < 13"));
            }
        }
        Cli.Result third = reset(name);
        assertTrue(third.err().contains(name + " is reset inside its running server"), third::toString);
        assertEquals(afterUp, fingerprint(up), third::toString);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void a_reset_restarts_the_server_when_asked_or_when_it_is_not_running_and_says_why(String base) throws Exception {
        JsonNode up = up(base);
        String name = up.get("name").asText();
        List<String> afterUp = fingerprint(up);

        Cli.Result full = reset(name, "--full");
        assertTrue(full.err().contains(name + " is reset by a restart"), full::toString);

        engine.kill(engine.inspect(TestScope.container(name)).orElseThrow().id());
        Cli.Result killed = reset(name);
        assertTrue(killed.err().contains("resetting " + name + " by a restart: its server is not running (exited)"),
                killed::toString);
        assertTrue(killed.err().contains(name + " is reset by a restart"), killed::toString);

        // the restarted server has its prepared copy again: the next reset is done inside it
        change(up, 1);
        Cli.Result fast = reset(name);
        assertTrue(fast.err().contains(name + " is reset inside its running server"), fast::toString);
        assertEquals(afterUp, fingerprint(up), fast::toString);
    }
}
