package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.ExecResult;
import dev.devdb.mysql.Sql;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** logs, set and config on the in-memory engine: exact output, the SQL sent, the files written. */
@Timeout(60)
class LogsSetConfigCommandTest {
    static final String SET_FILE = "/etc/mysql/conf.d/devdb.set.cnf";
    static final String SLOW_LOG = """
            /usr/sbin/mysqld, Version: 9.7.4-2 ((Debian)). started with:
            Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
            Time                 Id Command    Argument
            # Time: 2026-11-25T11:11:02.293745Z
            # User@Host: app[app] @ localhost []  Id:    10
            # Query_time: 0.301158  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1
            use app;
            SET timestamp=1795605061;
            SELECT SLEEP(0.3);
            # Time: 2026-11-25T11:11:09.153233Z
            # User@Host: app[app] @ localhost []  Id:    18
            # Query_time: 0.200283  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1
            SET timestamp=1795605068;
            select sleep(0.2);
            # Time: 2026-11-25T11:11:09.305506Z
            # User@Host: app[app] @ localhost []  Id:    18
            # Query_time: 0.052193  Lock_time: 0.000000 Rows_sent: 2  Rows_examined: 5000
            SET timestamp=1795605069;
            select * from orders
            where customer_id = 42;
            """;

    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7");
    /** The SQL each client call ran (the part after devdb's own SET SESSION), in order. */
    final List<String> sql = new ArrayList<>();
    /** Answers for SQL, by a piece of it; unanswered SQL succeeds without rows. */
    Function<String, ExecResult> server = s -> null;
    /** Answers for shell scripts run to read log files. */
    Function<String, ExecResult> shell = s -> null;

    @BeforeEach
    void setUp() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.engine.execScript((command, env) -> {
            if (command.get(0).equals("mysql")) {
                String password = env.get("MYSQL_PWD");
                assertEquals(Map.of("MYSQL_PWD", password), env, "the password travels in the environment");
                assertTrue(password.length() >= 16, password);
                assertFalse(String.join(" ", command).contains(password), "no password in arguments");
                String execute = command.stream().filter(a -> a.startsWith("--execute=")).findFirst().orElseThrow();
                String preamble = Sql.BACKSLASH_ESCAPES + "; ";
                assertTrue(execute.contains(preamble), "literals are read with backslash escapes: " + execute);
                String statement = execute.substring(execute.indexOf(preamble) + preamble.length());
                sql.add(statement);
                return server.apply(statement);
            }
            return shell.apply(String.join(" ", command));
        });
    }

    static ExecResult rows(String text) {
        return new ExecResult(0, text, "");
    }

    static ExecResult error(String line) {
        return new ExecResult(1, "", line + "\n");
    }

    @Test
    void set_applies_everything_in_one_statement_and_records_it_after_devdb_cnf() {
        server = s -> s.startsWith("SET GLOBAL")
                ? rows("Warning\t1292\tTruncated incorrect max_connections value: '99999999'\n") : null;

        TestCli.Run run = cli.run("set", "mysql9", "long_query_time=0.2", "sort-buffer-size=16M",
                "slow_query_log=ON", "max_connections=99999999").exits(ExitCodes.OK);

        assertEquals(List.of("SET GLOBAL long_query_time = 0.2, GLOBAL sort_buffer_size = 16777216, "
                + "GLOBAL slow_query_log = 'ON', GLOBAL max_connections = 99999999; SHOW WARNINGS"), sql);
        assertEquals(List.of("devdb: the server says: Warning 1292: Truncated incorrect max_connections value: "
                + "'99999999'", "devdb: mysql9: long_query_time = 0.2", "devdb: mysql9: sort_buffer_size = 16M",
                "devdb: mysql9: slow_query_log = ON", "devdb: mysql9: max_connections = 99999999"),
                run.errLines(), run::describe);
        assertEquals("", run.out());
        String file = cli.engine.file("devdb-mysql9", SET_FILE);
        assertTrue(file.endsWith("[mysqld]\nlong_query_time = 0.2\nsort_buffer_size = 16M\nslow_query_log = ON\n"
                + "max_connections = 99999999\n"), file);
        assertTrue(cli.engine.calls("copyFile").contains("copyFile devdb-mysql9 " + SET_FILE + " 644"));

        cli.run("set", "long_query_time=0.5").exits(ExitCodes.OK);
        assertTrue(cli.engine.file("devdb-mysql9", SET_FILE).endsWith("[mysqld]\nsort_buffer_size = 16M\n"
                + "slow_query_log = ON\nmax_connections = 99999999\nlong_query_time = 0.5\n"));
    }

    @Test
    void set_of_an_option_the_version_removed_fails_before_the_server_is_asked() {
        TestCli.Run run = cli.run("set", "mysql9", "long_query_time=1", "expire-logs-days=3").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: expire_logs_days was removed in MySQL 8.2; use binlog_expire_logs_seconds"
                + " (seconds)"), run.errLines(), run::describe);
        assertEquals(List.of(), sql, run::describe);
    }

    @Test
    void set_refusals_say_what_to_do_and_record_nothing() {
        server = s -> error("ERROR 1238 (HY000) at line 1: Variable 'skip_name_resolve' is a read only variable");
        TestCli.Run fixed = cli.run("set", "skip_name_resolve=OFF").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: server option 'skip_name_resolve' is not dynamic; use `devdb up mysql9 "
                + "--recreate --set skip_name_resolve=OFF` (the server says: ERROR 1238 (HY000) at line 1: "
                + "Variable 'skip_name_resolve' is a read only variable)"), fixed.errLines());

        server = s -> s.startsWith("SHOW GLOBAL VARIABLES") ? rows("long_query_time\t10.000000\nmax_connections\t151\n")
                : error("ERROR 1193 (HY000) at line 1: Unknown system variable 'long_query_tme'");
        TestCli.Run typo = cli.run("set", "mysql9", "long_query_tme=1").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: the server has no variable 'long_query_tme' (ERROR 1193 (HY000) at line 1: "
                + "Unknown system variable 'long_query_tme'); did you mean 'long_query_time'?"), typo.errLines());

        server = s -> error("ERROR 1232 (42000) at line 1: Incorrect argument type to variable 'max_connections'");
        TestCli.Run bad = cli.run("set", "max_connections=abc").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: the server refused max_connections=abc: ERROR 1232 (42000) at line 1: "
                + "Incorrect argument type to variable 'max_connections'"), bad.errLines());

        server = s -> error("ERROR 2002 (HY000): Can't connect to local MySQL server through socket "
                + "'/var/run/mysqld/mysqld.sock' (2)");
        TestCli.Run down = cli.run("set", "max_connections=10").exits(ExitCodes.NO_INSTANCE);
        assertTrue(down.err().contains("does not answer (ERROR 2002"), down::describe);

        int before = sql.size();
        cli.run("set", "port=1").exits(ExitCodes.USAGE);
        cli.run("set", "mysql9").exits(ExitCodes.USAGE);
        TestCli.Run flag = cli.run("set", "mysql9", "general_log").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: expected KEY=VALUE, not 'general_log'"), flag.errLines());
        assertEquals(before, sql.size(), "nothing reaches the server that devdb can refuse itself");
        assertNull(cli.engine.file("devdb-mysql9", SET_FILE), "nothing recorded");

        cli.engine.kill(cli.engine.container("devdb-mysql9").orElseThrow().id());
        TestCli.Run stopped = cli.run("set", "max_connections=10").exits(ExitCodes.NO_INSTANCE);
        assertTrue(stopped.err().startsWith("devdb: instance mysql9 is not running (exited)"), stopped::describe);
    }

    @Test
    void config_shows_up_and_set_options_with_live_values() throws Exception {
        cli.run("up", "mysql9", "--name", "cfg", "--slow-log=0.5", "--set", "max_connections=300")
                .exits(ExitCodes.OK);
        cli.run("set", "cfg", "long_query_time=0.2", "sort_buffer_size=1M").exits(ExitCodes.OK);
        server = s -> s.startsWith("SHOW GLOBAL VARIABLES") ? rows("""
                long_query_time\t0.200000
                max_connections\t300
                skip_name_resolve\tON
                slow_query_log\tOFF
                sort_buffer_size\t1048576
                """) : null;

        TestCli.Run run = cli.run("config", "cfg").exits(ExitCodes.OK);

        assertEquals(List.of(
                "skip_name_resolve\t\tup\tON\tyes",
                "slow_query_log\tON\tup\tOFF\tno",
                "max_connections\t300\tup\t300\tyes",
                "long_query_time\t0.2\tset\t0.200000\tyes",
                "sort_buffer_size\t1M\tset\t1048576\tyes"), run.outLines(), run::describe);
        assertTrue(run.err().contains("a live value differs"), run::describe);

        JsonNode json = new ObjectMapper().readTree(cli.run("config", "cfg", "--json").exits(ExitCodes.OK).out());
        assertEquals("cfg", json.get("name").asText());
        JsonNode lqt = json.get("options").get(3);
        assertEquals("long_query_time", lqt.get("option").asText());
        assertEquals("set", lqt.get("source").asText());
        assertEquals("0.5", lqt.get("overrides").asText());
        assertEquals("0.200000", lqt.get("live").asText());
        assertTrue(lqt.get("matches").asBoolean());
    }

    @Test
    void the_error_log_is_the_containers_output_unless_the_server_names_a_file() {
        String id = cli.engine.container("devdb-mysql9").orElseThrow().id();
        cli.engine.output("devdb-mysql9", "line one", "line two");
        server = s -> s.startsWith("SELECT @@log_error") ? rows("stderr\t/var/lib/mysql/\t0\n") : null;

        String all = cli.run("logs").exits(ExitCodes.OK).out();
        assertTrue(all.endsWith("\nline one\nline two\n"), all);
        assertEquals("line two\n", cli.run("logs", "mysql9", "--tail", "1").exits(ExitCodes.OK).out());

        server = s -> s.startsWith("SELECT @@log_error") ? rows("./host.err\t/var/lib/mysql/\t0\n") : null;
        shell = s -> s.contains("tail -n") && s.endsWith("/var/lib/mysql/host.err +1") ? rows("from the file\n") : null;
        assertEquals("from the file\n", cli.run("logs").exits(ExitCodes.OK).out());

        cli.engine.kill(id);
        assertEquals(all, cli.run("logs").exits(ExitCodes.OK).out(), "a stopped server's output is still there to read");
    }

    @Test
    void the_slow_log_is_read_where_the_server_says_and_summarised() throws Exception {
        server = s -> s.startsWith("SELECT @@slow_query_log,")
                ? rows("1\thost-slow.log\tFILE\t/var/lib/devdb/data/\t0\n") : null;
        shell = s -> s.contains("cat -- \"$1\" sh /var/lib/devdb/data/host-slow.log")
                || s.contains("tail -n \"$2\" -- \"$1\" sh /var/lib/devdb/data/host-slow.log +1")
                ? rows(SLOW_LOG) : null;

        assertEquals(SLOW_LOG, cli.run("logs", "--slow").exits(ExitCodes.OK).out());

        TestCli.Run last = cli.run("logs", "--slow", "--tail", "1").exits(ExitCodes.OK);
        assertEquals(SLOW_LOG.substring(SLOW_LOG.indexOf("# Time: 2026-11-25T11:11:09.305506Z")), last.out());

        TestCli.Run since = cli.run("logs", "--slow", "--since", "2026-11-25T11:11:05Z").exits(ExitCodes.OK);
        assertEquals(SLOW_LOG.substring(SLOW_LOG.indexOf("# Time: 2026-11-25T11:11:09.153233Z")), since.out());

        TestCli.Run summary = cli.run("logs", "--summary").exits(ExitCodes.OK);
        assertEquals(List.of(
                "1\t0.501441\t90.57\t2\t0.250721\t0.301158\t0.301158\t1.0\t1.0\tselect sleep(?)",
                "2\t0.052193\t9.43\t1\t0.052193\t0.052193\t0.052193\t5000.0\t2.0\tselect * from orders where customer_id = ?"),
                summary.outLines(), summary::describe);
        assertEquals(List.of("devdb: 3 queries in 2 statements, 554ms in all, 2026-11-25 11:11:01 to "
                + "2026-11-25 11:11:09 UTC (/var/lib/devdb/data/host-slow.log)"), summary.errLines());

        TestCli.Run byExamined = cli.run("logs", "--summary", "--sort", "examined", "--limit", "1");
        assertEquals(1, byExamined.outLines().size(), byExamined::describe);
        assertTrue(byExamined.out().endsWith("\tselect * from orders where customer_id = ?\n"), byExamined::describe);

        JsonNode json = new ObjectMapper().readTree(cli.run("logs", "--slow", "--summary", "--json").out());
        assertEquals(3, json.get("queries").asInt());
        JsonNode top = json.get("statements").get(0);
        assertEquals(2, top.get("count").asInt());
        assertEquals("select sleep(?)", top.get("fingerprint").asText());
        assertEquals("SELECT SLEEP(0.3)", top.get("example").asText());
        assertEquals("app", top.get("databases").get(0).asText());
        assertEquals("app@localhost", top.get("users").get(0).asText());
        assertEquals("2026-11-25T11:11:01Z", top.get("firstSeen").asText());
        assertTrue(top.get("id").asText().matches("[0-9A-F]{16}"));
    }

    @Test
    void a_log_that_is_off_or_missing_is_explained_not_an_error() {
        server = s -> s.startsWith("SELECT @@general_log,") ? rows("0\thost.log\tFILE\t/var/lib/mysql/\t0\n") : null;
        shell = s -> new ExecResult(66, "", "");

        TestCli.Run run = cli.run("logs", "--general").exits(ExitCodes.OK);

        assertEquals("", run.out());
        assertEquals(List.of("devdb: the general query log of mysql9 is off; turn it on with `devdb set mysql9 "
                + "general_log=ON`", "devdb: there is no general query log at /var/lib/mysql/host.log yet: nothing "
                + "was logged"), run.errLines());
    }

    @Test
    void options_that_do_not_go_together_are_refused() {
        assertEquals(List.of("devdb: --json goes with --summary"), cli.run("logs", "--json").exits(ExitCodes.USAGE)
                .errLines());
        cli.run("logs", "--slow", "--general").exits(ExitCodes.USAGE);
        cli.run("logs", "--summary", "-f").exits(ExitCodes.USAGE);
        cli.run("logs", "--summary", "--general").exits(ExitCodes.USAGE);
        cli.run("logs", "--tail", "-1").exits(ExitCodes.USAGE);
        cli.run("logs", "--since", "soon").exits(ExitCodes.USAGE);
        assertEquals(List.of(), sql, "nothing ran");
    }
}
