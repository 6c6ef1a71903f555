package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * diff on real servers: every kind of change since a snapshot is found, the migration it prints turns
 * a fresh instance of the old state into the new schema exactly, and the state after up is the seed state.
 */
class DiffIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final List<String> names = new ArrayList<>();
    /** Per server: the instance changed since its snapshot {@link #base}. */
    static final Map<String, String> changed = new HashMap<>();

    /** One server of each flavour: MySQL 9.7 and MariaDB 11.8 (narrowed by devdb.it.versions). */
    static Stream<String> servers() {
        List<String> chosen = Versions.all().toList();
        return Stream.of("mysql9", "mariadb11").filter(chosen::contains);
    }

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
    }

    @AfterAll
    static void tearDown() {
        for (String n : names) {
            cli.run("down", n);
        }
        engine.close();
    }

    private static String up(String profile, String name) {
        Cli.Result r = cli.run("up", profile, "--name", name, "--json", "--quiet");
        assertEquals(0, r.exitCode(), r::toString);
        names.add(name);
        return name;
    }

    private static Connection root(String profile, String name) throws SQLException {
        String password = engine.inspect(TestScope.container(name)).orElseThrow().env().get("MYSQL_ROOT_PASSWORD");
        int port = engine.inspect(TestScope.container(name)).orElseThrow().hostPort();
        return Cli.connect(Versions.of(profile).flavor().id(), port, "app", "root", password);
    }

    private static void run(Connection c, String... statements) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        }
    }

    /** The snapshot of the old state (snapshots are per scope, so one per server). */
    private static String base(String profile) {
        return "base-" + profile;
    }

    /** An instance with a schema of every kind of object, saved as a snapshot, then changed in every way. */
    private static synchronized String changedInstance(String profile) throws SQLException {
        if (changed.containsKey(profile)) {
            return changed.get(profile);
        }
        String name = up(profile, "diff-" + profile);
        try (Connection c = root(profile, name)) {
            run(c, "CREATE TABLE customers (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, name varchar(50) NOT NULL,"
                    + " email varchar(100), city varchar(30), KEY idx_email (email)) COMMENT='people'",
                    "CREATE TABLE orders (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, customer_id int NOT NULL,"
                    + " amount decimal(10,2) NOT NULL DEFAULT 0, note varchar(20), KEY idx_note (note),"
                    + " CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers (id),"
                    + " CONSTRAINT chk_amount CHECK (amount >= 0))",
                    "CREATE TABLE obsolete (id int PRIMARY KEY)",
                    "CREATE TABLE archive (id int PRIMARY KEY, payload text)",
                    "CREATE VIEW v_orders AS SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id",
                    "CREATE VIEW v_gone AS SELECT 1 AS one",
                    "CREATE PROCEDURE p_count() BEGIN SELECT COUNT(*) FROM orders; END",
                    "CREATE PROCEDURE p_gone() BEGIN END",
                    "CREATE TRIGGER trg_note BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = COALESCE(NEW.note, 'n')",
                    "CREATE TRIGGER trg_gone BEFORE DELETE ON customers FOR EACH ROW SET @x = 1",
                    "CREATE EVENT ev_purge ON SCHEDULE EVERY 1 DAY STARTS '2030-01-01 00:00:00' DO DELETE FROM obsolete",
                    "CREATE EVENT ev_gone ON SCHEDULE EVERY 1 HOUR STARTS '2030-01-01 00:00:00' DO SELECT 1",
                    "INSERT INTO customers (name) VALUES ('a'), ('b')");
            Cli.Result save = cli.run("snapshot", "save", name, base(profile));
            assertEquals(0, save.exitCode(), save::toString);
            run(c, "ALTER TABLE customers RENAME COLUMN email TO email_address",
                    "ALTER TABLE customers ADD COLUMN phone varchar(40) AFTER name, DROP COLUMN city, COMMENT='customers'",
                    "ALTER TABLE customers DROP INDEX idx_email, ADD UNIQUE KEY uq_email (email_address)",
                    "ALTER TABLE orders DROP CONSTRAINT chk_amount",
                    "ALTER TABLE orders ADD CONSTRAINT chk_amount CHECK (amount > -1)",
                    "ALTER TABLE orders MODIFY amount decimal(12,2) NOT NULL DEFAULT 0, MODIFY note varchar(20) FIRST",
                    "ALTER TABLE orders DROP INDEX idx_note, ADD INDEX idx_note (note, amount), ADD INDEX idx_amount (amount)",
                    "ALTER TABLE orders DROP FOREIGN KEY fk_cust",
                    "ALTER TABLE orders ADD CONSTRAINT fk_cust FOREIGN KEY (customer_id) REFERENCES customers (id)"
                    + " ON DELETE CASCADE",
                    "DROP TABLE obsolete",
                    "RENAME TABLE archive TO archive_2025",
                    "CREATE TABLE items (id int PRIMARY KEY, order_id int,"
                    + " CONSTRAINT fk_items_order FOREIGN KEY (order_id) REFERENCES orders (id))",
                    "DROP VIEW v_orders",
                    "CREATE VIEW v_orders AS SELECT o.id, c.name, o.amount FROM orders o JOIN customers c"
                    + " ON c.id = o.customer_id",
                    "DROP VIEW v_gone",
                    "CREATE VIEW v_items AS SELECT id FROM items",
                    "DROP PROCEDURE p_gone",
                    "DROP PROCEDURE p_count",
                    "CREATE PROCEDURE p_count() BEGIN SELECT COUNT(*) FROM items; END",
                    "CREATE FUNCTION f_two() RETURNS int DETERMINISTIC RETURN 2",
                    "DROP TRIGGER trg_note",
                    "CREATE TRIGGER trg_note BEFORE INSERT ON orders FOR EACH ROW SET NEW.note = 'changed'",
                    "DROP TRIGGER trg_gone",
                    "CREATE TRIGGER trg_items BEFORE UPDATE ON items FOR EACH ROW SET NEW.order_id = NEW.order_id",
                    "ALTER EVENT ev_purge DO DELETE FROM items",
                    "DROP EVENT ev_gone",
                    "CREATE EVENT ev_new ON SCHEDULE EVERY 2 DAY STARTS '2030-01-01 00:00:00' DO SELECT 2",
                    "INSERT INTO customers (name) VALUES ('c')");
        }
        changed.put(profile, name);
        return name;
    }

    @ParameterizedTest
    @MethodSource("servers")
    void every_kind_of_change_since_a_snapshot_is_found_with_row_counts(String profile) throws Exception {
        String name = changedInstance(profile);
        Cli.Result r = cli.run("diff", name, "--since", base(profile), "--json", "--data");
        assertEquals(0, r.exitCode(), r::toString);
        JsonNode json = r.json();
        assertEquals(base(profile), json.get("since").asText());
        TreeSet<String> found = new TreeSet<>();
        for (JsonNode c : json.get("changes")) {
            found.add(c.get("change").asText() + " " + c.get("type").asText() + " " + c.get("name").asText()
                    + (c.get("oldName").isNull() ? "" : " from " + c.get("oldName").asText()));
        }
        assertEquals(new TreeSet<>(List.of(
                "renamed column email_address from email", "added column phone", "dropped column city",
                "changed options customers", "dropped index idx_email", "added index uq_email",
                "changed column amount", "changed column note", "changed index idx_note", "added index idx_amount",
                "changed foreign key fk_cust", "changed check chk_amount",
                "dropped table obsolete", "renamed table archive_2025 from archive", "added table items",
                "changed view v_orders", "dropped view v_gone", "added view v_items",
                "changed procedure p_count", "dropped procedure p_gone", "added function f_two",
                "changed trigger trg_note", "dropped trigger trg_gone", "added trigger trg_items",
                "changed event ev_purge", "dropped event ev_gone", "added event ev_new")), found, r::toString);
        Map<String, String> rows = new TreeMap<>();
        for (JsonNode t : json.get("rows")) {
            rows.put(t.get("table").asText(), t.get("before").asText() + "->" + t.get("after").asText());
        }
        assertEquals("2->3", rows.get("customers"));
        assertEquals("null->0", rows.get("items"));
        assertEquals("0->null", rows.get("obsolete"));
        JsonNode amount = null;
        for (JsonNode c : json.get("changes")) {
            if (c.get("name").asText().equals("amount")) {
                amount = c;
            }
        }
        assertTrue(amount.get("before").asText().contains("decimal(10,2)"), amount::toString);
        assertTrue(amount.get("after").asText().contains("decimal(12,2)"), amount::toString);

        Cli.Result piped = cli.run("diff", name, "--since", base(profile));
        assertEquals(0, piped.exitCode(), piped::toString);
        List<String> lines = piped.out().lines().toList();
        assertEquals(found.size(), lines.size(), piped::toString);
        assertTrue(lines.stream().allMatch(l -> l.split("\t", -1).length == 8), piped::toString);
        assertTrue(lines.contains("renamed\ttable\tapp\tarchive_2025\tarchive_2025\tarchive\t-\t-"), piped::toString);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void the_migration_turns_a_fresh_instance_of_the_old_state_into_the_new_schema(String profile) throws Exception {
        String name = changedInstance(profile);
        Cli.Result sql = cli.run("diff", name, "--since", base(profile), "--sql");
        assertEquals(0, sql.exitCode(), sql::toString);
        String target = up(profile, "diff-" + profile + "-b");
        Cli.Result restore = cli.run("snapshot", "restore", target, base(profile));
        assertEquals(0, restore.exitCode(), restore::toString);
        Cli.Result apply = cli.run(new ByteArrayInputStream(sql.out().getBytes(StandardCharsets.UTF_8)),
                "shell", target, "--root", "--database", "app");
        assertEquals(0, apply.exitCode(), () -> apply + "\n--- migration ---\n" + sql.out());
        try (Connection a = root(profile, name); Connection b = root(profile, target)) {
            Map<String, String> want = definitions(a);
            assertEquals(want, definitions(b), sql.out());
            assertTrue(want.containsKey("TABLE archive_2025") && want.containsKey("EVENT ev_new"), want::toString);
        }
        assertTrue(sql.out().contains("RENAME COLUMN `email` TO `email_address`"), sql.out());
    }

    @ParameterizedTest
    @MethodSource("servers")
    void since_up_is_the_seed_state(String profile) throws Exception {
        String name = changedInstance(profile);
        Cli.Result r = cli.run("diff", name, "--json");
        assertEquals(0, r.exitCode(), r::toString);
        TreeSet<String> found = new TreeSet<>();
        for (JsonNode c : r.json().get("changes")) {
            found.add(c.get("change").asText() + " " + c.get("type").asText() + " " + c.get("name").asText());
        }
        assertTrue(found.containsAll(List.of("added table customers", "added table items", "added table archive_2025",
                "added view v_orders", "added event ev_new")), found::toString);
        assertFalse(found.stream().anyMatch(f -> !f.startsWith("added")), found::toString);
        assertEquals(List.of(), engine.list(Map.of("devdb.managed", "true", "devdb.scope", TestScope.NAME)).stream()
                .filter(c -> "".equals(c.label("devdb.name"))).map(c -> c.name()).toList(),
                "the servers diff started are gone");
    }

    /**
     * Every object of the database as SHOW CREATE prints it, normalised: AUTO_INCREMENT counters and
     * DEFINER clauses left out.
     */
    private static Map<String, String> definitions(Connection c) throws SQLException {
        Map<String, String> result = new TreeMap<>();
        List<String[]> objects = new ArrayList<>();
        try (Statement s = c.createStatement()) {
            collect(s, "SELECT IF(TABLE_TYPE = 'VIEW', 'VIEW', 'TABLE'), TABLE_NAME FROM information_schema.TABLES"
                    + " WHERE TABLE_SCHEMA = 'app'", objects);
            collect(s, "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'app'",
                    objects);
            collect(s, "SELECT 'TRIGGER', TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'app'",
                    objects);
            collect(s, "SELECT 'EVENT', EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'app'", objects);
            for (String[] o : objects) {
                try (ResultSet r = s.executeQuery("SHOW CREATE " + o[0] + " `" + o[1] + "`")) {
                    r.next();
                    int column = switch (o[0]) {
                        case "PROCEDURE", "FUNCTION", "TRIGGER" -> 3;
                        case "EVENT" -> 4;
                        default -> 2;
                    };
                    result.put(o[0] + " " + o[1], r.getString(column).replaceAll(" AUTO_INCREMENT=\\d+", "")
                            .replaceAll("DEFINER=`[^`]*`@`[^`]*` ", ""));
                }
            }
        }
        return result;
    }

    private static void collect(Statement s, String sql, List<String[]> into) throws SQLException {
        try (ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                into.add(new String[] {r.getString(1), r.getString(2)});
            }
        }
    }
}
