package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ExecResult;
import dev.devdb.error.ExitCodes;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** db new and db drop on the in-memory engine, whose execs answer as a server with a pool would. */
@Timeout(60)
class DbCommandTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String HANDED = "app_t0123456789ab";

    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:10.11");

    /** The SQL of every client exec (the --execute text), in order. */
    final List<String> statements = new ArrayList<>();

    private ContainerInfo container(String name) {
        return cli.engine.container("devdb-" + name).orElseThrow();
    }

    /** Answers client execs by their SQL; everything else exits 0. */
    private void server(Function<String, ExecResult> bySql) {
        cli.engine.execScript((command, env) -> {
            String sql = command.stream().filter(a -> a.startsWith("--execute=")).findFirst()
                    .map(a -> a.substring("--execute=".length()))
                    .orElse(command.size() > 4 && command.get(0).equals("sh") ? command.get(command.size() - 1) : null);
            if (sql == null) {
                return null;
            }
            synchronized (statements) {
                statements.add(sql);
            }
            return bySql.apply(sql);
        });
    }

    private static ExecResult ok(String stdout) {
        return new ExecResult(0, stdout, "");
    }

    private static ExecResult error(int code, String message) {
        return new ExecResult(1, "", "ERROR " + code + " (42000) at line 1: " + message + "\n");
    }

    @Test
    void db_new_prints_the_name_and_url_of_the_database_it_handed_out() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        server(sql -> sql.contains("new_database()") ? ok(HANDED + "\n") : null);
        ContainerInfo c = container("mysql9");
        String password = c.env().get("MYSQL_PASSWORD");

        TestCli.Run run = cli.run("db", "new").exits(ExitCodes.OK);

        assertEquals(List.of(HANDED, "mysql://app:" + password + "@127.0.0.1:" + c.hostPort() + "/" + HANDED),
                run.outLines(), run::describe);
        assertEquals("", run.err(), run::describe);
        assertEquals(List.of("CALL _devdb_pool.new_database()"), statements);
    }

    @Test
    void db_new_json_carries_the_connection_with_the_new_database() throws Exception {
        cli.run("up", "mariadb10").exits(ExitCodes.OK);
        server(sql -> sql.contains("new_database()") ? ok(HANDED + "\n") : null);

        TestCli.Run run = cli.run("db", "new", "mariadb10", "--json").exits(ExitCodes.OK);

        JsonNode json = JSON.readTree(run.out());
        assertEquals("mariadb10", json.get("name").asText(), run::describe);
        assertEquals(HANDED, json.get("database").asText(), run::describe);
        assertEquals("app", json.get("user").asText(), run::describe);
        assertTrue(json.get("url").asText().endsWith("/" + HANDED), run::describe);
        assertTrue(json.get("jdbcUrl").asText().startsWith("jdbc:mariadb://127.0.0.1:" + container("mariadb10")
                .hostPort() + "/" + HANDED + "?"), run::describe);
    }

    @Test
    void db_new_sets_the_pool_up_from_the_prepared_copy_when_there_is_none() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        boolean[] setUp = {false};
        server(sql -> {
            if (sql.contains("new_database()")) {
                return setUp[0] ? ok(HANDED + "\n") : error(1305, "PROCEDURE _devdb_pool.new_database does not exist");
            }
            if (sql.contains("_devdb.state")) {
                setUp[0] = true;
                return ok("template\tready\nseed\t1\n"
                        + "object\tVIEW\tv\tCREATE VIEW `app`.`v` AS select 1 AS `one`\tNULL\n"
                        + "object\tEVENT\te\tCREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1\tSTRICT_TRANS_TABLES\n"
                        + "object\tTRIGGER\tt\tCREATE TRIGGER `t` BEFORE INSERT ON `x` FOR EACH ROW SET NEW.a = 1"
                        + "\tSTRICT_TRANS_TABLES\n");
            }
            return null;
        });

        TestCli.Run run = cli.run("db", "new").exits(ExitCodes.OK);

        assertEquals(HANDED, run.outLines().get(0), run::describe);
        String id = container("mysql9").id();
        Map<String, byte[]> pool = cli.engine.readFiles(id, "/var/lib/devdb/pool");
        String copy = new String(pool.get("template.sql"), StandardCharsets.UTF_8);
        assertTrue(copy.contains("CALL _devdb.copy_db(1, '@DEVDB_POOL_DB@');"), copy);
        assertTrue(copy.contains("CREATE VIEW `v` AS select 1 AS `one`$$"), copy);
        assertTrue(copy.contains("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'$$\nCREATE TRIGGER `t`"), copy);
        assertFalse(copy.contains("CREATE EVENT"), copy);
        assertTrue(pool.containsKey("devdb-pool.sh"), pool::toString);
        String setup = cli.engine.readFiles(id, "/tmp").values().stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).filter(s -> s.contains("_devdb_pool.settings"))
                .findFirst().orElseThrow();
        assertTrue(setup.contains("VALUES (1, 4, '''app''@''%''', 'app', 'app_t');"), setup);
        assertTrue(setup.contains("GRANT EXECUTE ON PROCEDURE _devdb_pool.new_database TO 'app'@'%';"), setup);
    }

    @Test
    void db_new_on_an_instance_without_a_prepared_copy_exits_2() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        server(sql -> sql.contains("new_database()") ? error(1049, "Unknown database '_devdb_pool'")
                : sql.contains("_devdb.state") ? error(1049, "Unknown database '_devdb'") : null);

        TestCli.Run run = cli.run("db", "new").exits(ExitCodes.USAGE);

        assertEquals("", run.out(), run::describe);
        assertTrue(run.err().startsWith("devdb: instance mysql9 keeps no prepared copy of its seed state"),
                run::describe);
    }

    @Test
    void db_new_with_an_empty_pool_exits_9_with_the_refillers_last_error() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.engine.execScript((command, env) -> {
            if (command.get(0).equals("cat")) {
                return ok("ERROR 1062 (23000) at line 3: Duplicate entry\n");
            }
            return command.stream().anyMatch(a -> a.contains("new_database()"))
                    ? new ExecResult(1, "", "ERROR 1644 (45000) at line 1: devdb pool: no database ready\n") : null;
        });

        TestCli.Run run = cli.run("db", "new").exits(ExitCodes.TIMEOUT);

        assertEquals("devdb: the pool of mysql9 had no database ready within 30 seconds; its last copy failed: "
                + "ERROR 1062 (23000) at line 3: Duplicate entry\n", run.err(), run::describe);
    }

    @Test
    void db_new_refuses_a_pool_size_out_of_range() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("db", "new", "--pool", "0").exits(ExitCodes.USAGE);

        assertEquals("devdb: --pool takes a number from 1 to 64, not 0\n", run.err(), run::describe);
    }

    @Test
    void db_drop_drops_through_the_pool_and_says_so() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        server(sql -> null);

        TestCli.Run run = cli.run("db", "drop", "mysql9", HANDED).exits(ExitCodes.OK);

        assertEquals("", run.out(), run::describe);
        assertEquals("devdb: dropped " + HANDED + " of mysql9\n", run.err(), run::describe);
        assertEquals(List.of("CALL _devdb_pool.drop_database('" + HANDED + "')"), statements);
        assertEquals("", cli.run("db", "drop", HANDED, "-q").exits(ExitCodes.OK).err());
    }

    @Test
    void db_drop_refuses_a_database_the_pool_did_not_hand_out_with_exit_2() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        server(sql -> new ExecResult(1, "", "ERROR 1644 (45000) at line 1: devdb pool: not a database the pool "
                + "handed out\n"));

        TestCli.Run run = cli.run("db", "drop", "app").exits(ExitCodes.USAGE);

        assertEquals("devdb: database app of mysql9 was not handed out by its pool; devdb drops only databases "
                + "`devdb db new` made\n", run.err(), run::describe);
    }

    @Test
    void db_drop_refuses_an_invalid_name_before_it_looks_for_the_instance() {
        TestCli.Run run = cli.run("db", "drop", "nosuch", "app`; DROP DATABASE app; -- \u001b[2J")
                .exits(ExitCodes.USAGE);

        assertEquals("devdb: database name 'app`; DROP DATABASE app; -- \\x1b[2J' is not valid: the pool's databases "
                + "are named with letters, digits and '_' only (up to 64)\n", run.err(), run::describe);
        assertTrue(cli.engine.calls("exec").isEmpty(), cli.engine.calls()::toString);
    }

    @Test
    void db_commands_on_an_unknown_instance_exit_10() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run created = cli.run("db", "new", "nosuch").exits(ExitCodes.NO_INSTANCE);
        TestCli.Run dropped = cli.run("db", "drop", "nosuch", HANDED).exits(ExitCodes.NO_INSTANCE);

        assertTrue(created.err().startsWith("devdb: no instance named nosuch"), created::describe);
        assertTrue(dropped.err().startsWith("devdb: no instance named nosuch"), dropped::describe);
        assertEquals("devdb: instance name '../x' is not valid: use up to 48 letters, digits, '_', '.' or '-', "
                + "starting with a letter or digit\n", cli.run("db", "new", "../x").exits(ExitCodes.USAGE).err());
    }

    @Test
    void db_pool_says_how_full_the_pool_is() throws Exception {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        server(sql -> sql.contains("_devdb_pool.settings") ? ok("8\t5\t2\t1\t0\n") : null);

        TestCli.Run run = cli.run("db", "pool").exits(ExitCodes.OK);
        TestCli.Run json = cli.run("db", "pool", "mysql9", "--json").exits(ExitCodes.OK);

        assertEquals(List.of("size      8", "ready     5", "filling   2", "taken     1", "dropping  0"), run.outLines(),
                run::describe);
        JsonNode j = JSON.readTree(json.out());
        assertEquals(8, j.get("size").asInt(), json::describe);
        assertEquals(5, j.get("ready").asInt(), json::describe);
        assertEquals("mysql9", j.get("name").asText(), json::describe);
        assertEquals("devdb: --size takes a number from 1 to 64, not 65\n",
                cli.run("db", "pool", "--size", "65").exits(ExitCodes.USAGE).err());
    }
}
