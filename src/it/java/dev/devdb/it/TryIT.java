package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code devdb try} on MySQL 9.7 and MariaDB 11.8, the two current lines that run here: what differs
 * between them is found statement by statement, what agrees exits 0, and the instances it starts are
 * gone at the end (or kept with --keep, and then hold what the statements did).
 */
class TryIT {
    private static final String ON = "mysql9,mariadb11";

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void cli() {
        cli = new Cli(dir);
    }

    /** The instances devdb try left in the test scope, by name. */
    private static List<String> tryInstances() {
        Cli.Result ps = cli.run("ps", "--json");
        assertEquals(0, ps.exitCode(), ps::toString);
        List<String> names = new ArrayList<>();
        ps.json().forEach(i -> {
            if (i.get("name").asText().startsWith("try-")) {
                names.add(i.get("name").asText());
            }
        });
        return names;
    }

    private static JsonNode statement(JsonNode report, String sql) {
        for (JsonNode s : report.get("statements")) {
            if (s.get("sql").asText().equals(sql)) {
                return s;
            }
        }
        throw new AssertionError("no statement " + sql + " in " + report);
    }

    private static List<String> differences(JsonNode statement) {
        List<String> aspects = new ArrayList<>();
        statement.get("differences").forEach(d -> aspects.add(d.asText()));
        return aspects;
    }

    @Test
    void a_result_a_warning_and_an_error_that_differ_are_found_and_exit_15() throws Exception {
        Files.writeString(dir.resolve("upgrade.sql"), """
                -- the same everywhere
                CREATE TABLE t (id INT PRIMARY KEY, grp INT, v VARCHAR(10), KEY (grp));
                INSERT INTO t VALUES (1, 1, 'a'), (2, 1, 'b'), (3, 2, 'c');
                SELECT grp, COUNT(*) FROM t GROUP BY grp ORDER BY grp;
                -- a result: MySQL puts a space after the comma, MariaDB does not
                SELECT JSON_ARRAYAGG(v) FROM t WHERE grp = 1;
                -- a warning on MySQL only: integer display widths are deprecated there
                CREATE TABLE w (a INT(11));
                -- an error on MySQL only: RANK is a reserved word there since 8.0
                SELECT 1 AS rank;
                """);

        Cli.Result run = cli.run("try", "upgrade.sql", "--on", ON, "--json", "--explain");

        assertEquals(ExitCodes.TRY_DIFFERENT, run.exitCode(), run::toString);
        JsonNode report = run.json();
        assertEquals("mysql9", report.get("servers").get(0).get("profile").asText());
        assertTrue(report.get("servers").get(0).get("version").asText().startsWith("9.7"), run::toString);
        assertTrue(report.get("servers").get(1).get("version").asText().startsWith("11.8"), run::toString);
        assertEquals(6, report.get("statements").size(), run::toString);
        assertEquals(3, report.get("same").asInt(), run::toString);
        assertEquals(3, report.get("different").asInt(), run::toString);

        JsonNode grouped = statement(report, "SELECT grp, COUNT(*) FROM t GROUP BY grp ORDER BY grp");
        assertEquals(List.of(), differences(grouped), grouped::toString);
        JsonNode onMysql = grouped.get("outcomes").get(0);
        assertEquals("[[\"1\",\"2\"],[\"2\",\"1\"]]", onMysql.get("rows").toString());
        assertEquals("BIGINT", onMysql.get("columns").get(1).get("type").asText());
        assertEquals("t", onMysql.get("plan").get(0).get("table").asText(), grouped::toString);

        JsonNode json = statement(report, "SELECT JSON_ARRAYAGG(v) FROM t WHERE grp = 1");
        assertTrue(differences(json).contains("rows"), json::toString);
        assertEquals("[\"a\", \"b\"]", json.get("outcomes").get(0).get("rows").get(0).get(0).asText());
        assertEquals("[\"a\",\"b\"]", json.get("outcomes").get(1).get("rows").get(0).get(0).asText());
        assertEquals("JSON", json.get("outcomes").get(0).get("columns").get(0).get("type").asText());

        JsonNode warns = statement(report, "CREATE TABLE w (a INT(11))");
        assertEquals(List.of("warnings"), differences(warns), warns::toString);
        assertEquals(1681, warns.get("outcomes").get(0).get("warnings").get(0).get("code").asInt(), warns::toString);
        assertEquals(0, warns.get("outcomes").get(1).get("warnings").size(), warns::toString);

        JsonNode fails = statement(report, "SELECT 1 AS rank");
        assertEquals("error", differences(fails).get(0), fails::toString);
        JsonNode error = fails.get("outcomes").get(0).get("error");
        assertEquals(1064, error.get("code").asInt(), fails::toString);
        assertEquals("42000", error.get("sqlstate").asText(), fails::toString);
        assertTrue(error.get("message").asText().contains("near 'rank'"), fails::toString);
        assertTrue(fails.get("outcomes").get(1).get("error").isNull(), fails::toString);
        assertEquals("[[\"1\"]]", fails.get("outcomes").get(1).get("rows").toString());

        assertEquals(List.of(), tryInstances(), "devdb try left instances behind");
    }

    @Test
    void a_file_that_agrees_everywhere_exits_0_and_kept_instances_hold_what_it_did() throws Exception {
        Files.writeString(dir.resolve("agrees.sql"), """
                CREATE TABLE kept (id INT PRIMARY KEY, name VARCHAR(20));
                DELIMITER //
                INSERT INTO kept VALUES (1, 'one;two') //
                DELIMITER ;
                INSERT INTO kept VALUES (2, CONCAT('th', 'ree'));
                SELECT name FROM kept ORDER BY id;
                SELECT COUNT(*) FROM kept WHERE name LIKE '%;%';
                """);

        Cli.Result run = cli.run("try", "agrees.sql", "--on", ON, "--keep");

        assertEquals(ExitCodes.OK, run.exitCode(), run::toString);
        assertEquals(List.of("All 5 statements behave the same on mysql9 (MySQL 9.7."),
                List.of(run.out().lines().findFirst().orElse("").replaceAll("(9\\.7\\.).*", "$1")), run::toString);
        assertTrue(run.out().contains("agrees.sql lines 1, 3, 5, 6, 7"), run::toString);
        List<String> kept = tryInstances();
        assertEquals(2, kept.size(), () -> kept + "\n" + run);
        assertTrue(run.err().contains("devdb: kept " + kept.get(0)) || run.err().contains("devdb: kept " + kept.get(1)),
                run::toString);
        for (String name : kept) {
            JsonNode env = cli.run("env", name, "--json").json();
            String flavor = name.startsWith("try-mysql9-") ? "mysql" : "mariadb";
            try (Connection c = Cli.connect(flavor, env.get("MYSQL_TCP_PORT").asInt(), env.get("MYSQL_DATABASE").asText(),
                    env.get("MYSQL_USER").asText(), env.get("MYSQL_PWD").asText())) {
                assertEquals("one;two,three", Cli.scalar(c, "SELECT GROUP_CONCAT(name ORDER BY id) FROM kept"), name);
            }
        }
        List<String> down = new ArrayList<>(List.of("down"));
        down.addAll(kept);
        Cli.Result removed = cli.run(down.toArray(String[]::new));
        assertEquals(0, removed.exitCode(), removed::toString);
        assertEquals(List.of(), tryInstances());
    }

    @Test
    void sigint_while_statements_run_removes_the_instances() throws Exception {
        Cli.Result r = Cli.interruptAt(dir, "devdb: running 1 statement on ", () -> { }, "try", "-e", "SELECT SLEEP(120)",
                "--on", ON);
        assertTrue(r.err().contains("devdb: running 1 statement on "), r::toString);
        assertEquals(ExitCodes.INTERRUPTED, r.exitCode(), r::toString);
        assertEquals(List.of(), tryInstances(), r::toString);
    }
}
