package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input and faults a user or a CI script runs into: one clear line, a documented exit code, nothing lost. */
@Timeout(60)
class FaultCampaignTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:10.11");

    @Test
    void a_missing_snapshot_when_none_is_saved_says_how_to_save_one() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run restore = cli.run("snapshot", "restore", "nosuch").exits(ExitCodes.SNAPSHOT);
        assertEquals(List.of("devdb: no snapshot nosuch; none is saved (`devdb snapshot save [NAME] TAG` saves one)"),
                restore.errLines(), restore::describe);

        cli.run("snapshot", "save", "t1").exits(ExitCodes.OK);
        TestCli.Run again = cli.run("snapshot", "restore", "nosuch").exits(ExitCodes.SNAPSHOT);
        assertEquals(List.of("devdb: no snapshot nosuch; snapshots: t1"), again.errLines(), again::describe);
    }

    @Test
    void a_repeated_up_under_another_registry_names_the_image_that_differs() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.env.put("DEVDB_REGISTRY", "mirror.example.com");
        cli.engine.withImage("mirror.example.com/mysql:9.7");

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.NAME_CONFLICT);

        assertEquals(List.of("devdb: instance mysql9 is running with a different configuration (image:"
                + " devdb-test/mysql:9.7 -> mirror.example.com/mysql:9.7); replace it with `devdb up --recreate`, or"
                + " pick another --name"), run.errLines(), run::describe);
    }

    @Test
    void a_reset_whose_new_server_dies_keeps_the_instance_and_a_rerun_resets_it() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.engine.exitOnNextStart(1, List.of("[ERROR] [MY-010119] [Server] Aborting"));

        TestCli.Run failed = cli.run("reset", "mysql9", "--full").exits(ExitCodes.SERVER_FAILED);

        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames(), failed::describe);
        assertFalse(failed.err().contains("the container was removed"), failed::describe);
        TestCli.Run again = cli.run("reset", "mysql9").exits(ExitCodes.OK);
        assertEquals("running", cli.engine.container("devdb-mysql9").orElseThrow().state(), again::describe);
    }

    @Test
    void a_reset_whose_new_container_cannot_start_gives_the_old_one_back() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        String before = cli.engine.container("devdb-mysql9").orElseThrow().id();
        cli.engine.failOnNextStart(new dev.devdb.error.DevDbException(ExitCodes.PORT_IN_USE,
                "the host port is already in use"));

        TestCli.Run failed = cli.run("reset", "mysql9", "--full").exits(ExitCodes.PORT_IN_USE);

        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames(), failed::describe);
        dev.devdb.engine.ContainerInfo now = cli.engine.container("devdb-mysql9").orElseThrow();
        assertEquals(before, now.id(), failed::describe);
        assertEquals("running", now.state(), failed::describe);
        cli.run("reset", "mysql9", "--full").exits(ExitCodes.OK);
    }

    @Test
    void import_of_what_is_no_sql_file_exits_2_naming_what_it_is_before_anything_is_copied() throws Exception {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        java.nio.file.Path dir = java.nio.file.Files.createDirectories(cli.cwd.resolve("dumps.sql"));
        java.nio.file.Files.write(cli.cwd.resolve("fake.sql.gz"), "SELECT 1;\n".getBytes());
        java.nio.file.Files.write(cli.cwd.resolve("binary.sql"), new byte[] {'S', 'E', 'L', 0, 1, 2});

        List<List<String>> cases = List.of(
                List.of("", "devdb: the file to import is an empty string; give a .sql or .sql.gz file"),
                List.of("dumps.sql", "devdb: cannot import " + dir + ": it is a directory; give a .sql or .sql.gz file"),
                List.of("/dev/null", "devdb: cannot import /dev/null: not a regular file; give a .sql or .sql.gz file"
                        + " (`devdb shell < FILE` reads a pipe)"),
                List.of("fake.sql.gz", "devdb: cannot import " + cli.cwd.resolve("fake.sql.gz") + ": it is not gzip"
                        + " data; name a plain SQL file .sql"),
                List.of("binary.sql", "devdb: cannot import " + cli.cwd.resolve("binary.sql") + ": it is not SQL text"
                        + " (a NUL byte at offset 3); a compressed dump is named .sql.gz"));
        for (List<String> c : cases) {
            TestCli.Run run = cli.run("import", "mysql9", c.get(0)).exits(ExitCodes.USAGE);
            assertEquals(List.of(c.get(1)), run.errLines(), run::describe);
        }
        assertEquals(List.of(), cli.engine.calls("copy"), () -> String.join("\n", cli.engine.calls()));
    }

    @Test
    void an_import_whose_sql_fails_exits_11_with_the_client_error_escaped() throws Exception {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        java.nio.file.Files.writeString(cli.cwd.resolve("half.sql"), "CREATE TABLE t (i int);\nbogus;\n");
        cli.engine.execAnswers(1, "", "ERROR 1064 (42000) at line 2: near 'bogus\u001b[2J'\n");

        TestCli.Run run = cli.run("import", "mysql9", "half.sql").exits(ExitCodes.SEED_FAILED);

        assertEquals(List.of("ERROR 1064 (42000) at line 2: near 'bogus\\x1b[2J'", "devdb: importing "
                + cli.cwd.resolve("half.sql") + " into mysql9/app failed (exit code 1); the client's message is above"),
                run.errLines(), run::describe);
    }

    @Test
    void dump_and_import_of_a_database_that_does_not_exist_exit_2_and_write_nothing() throws Exception {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        java.nio.file.Files.writeString(cli.cwd.resolve("ok.sql"), "SELECT 1;\n");
        cli.engine.execAnswers(90, "", "");

        TestCli.Run dump = cli.run("dump", "mysql9", "--database", "nosuch").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: mysql9 has no database nosuch; create it with `devdb shell mysql9 --root -e"
                + " 'CREATE DATABASE nosuch'`, or name another with --database"), dump.errLines(), dump::describe);
        assertEquals("", dump.out(), dump::describe);
        TestCli.Run imp = cli.run("import", "mysql9", "ok.sql", "--database", "nosuch").exits(ExitCodes.USAGE);
        assertEquals(dump.errLines(), imp.errLines(), imp::describe);
    }

    @Test
    void a_dump_that_fails_in_the_server_is_no_devdb_bug() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.engine.execAnswers(2, "", "mysqldump: Got error: 2013: Lost connection to server during query\n");

        TestCli.Run run = cli.run("dump", "mysql9").exits(ExitCodes.NO_INSTANCE);

        assertTrue(run.err().contains("mysqldump failed in mysql9 (exit code 2); its message is above"), run::describe);
    }

    @Test
    void cdc_config_refuses_bootstrap_servers_and_databases_a_connector_cannot_use() {
        cli.run("up", "mysql9", "--name", "db", "--cdc").exits(ExitCodes.OK);

        List<List<String>> cases = List.of(
                List.of("--kafka", "", "devdb: --kafka '' is not HOST:PORT[,HOST:PORT...]; give the bootstrap servers"
                        + " of the Kafka the connector writes its schema history to, e.g. kafka:9092"),
                List.of("--kafka", "a b:1", "devdb: --kafka 'a b:1' is not HOST:PORT[,HOST:PORT...]; give the bootstrap"
                        + " servers of the Kafka the connector writes its schema history to, e.g. kafka:9092"),
                List.of("--kafka", "kafka:99999", "devdb: --kafka 'kafka:99999' is not HOST:PORT[,HOST:PORT...]; give"
                        + " the bootstrap servers of the Kafka the connector writes its schema history to, e.g."
                        + " kafka:9092"),
                List.of("--database", "a,b", "devdb: --database 'a,b' is not a database name: use letters, digits,"
                        + " '_' or '$' (up to 64), one per --database"),
                List.of("--database", "shop\u001b[2J", "devdb: --database 'shop\\x1b[2J' is not a database name: use"
                        + " letters, digits, '_' or '$' (up to 64), one per --database"));
        for (List<String> c : cases) {
            TestCli.Run run = cli.run("cdc", "config", "db", c.get(0), c.get(1)).exits(ExitCodes.USAGE);
            assertEquals(List.of(c.get(2)), run.errLines(), run::describe);
        }
        cli.run("cdc", "config", "db", "--kafka", "k1:9092,10.0.0.5:9093,[::1]:9094", "--database", "shop_2")
                .exits(ExitCodes.OK);
    }

    @Test
    void a_profile_that_is_no_map_no_utf8_text_or_holds_a_huge_number_says_so_in_one_line() throws Exception {
        cli.projectProfile("list", "- flavor\n- version\n");
        java.nio.file.Path latin1 = cli.projectProfile("latin1", "flavor: mysql\n");
        java.nio.file.Files.write(latin1, new byte[] {'d', 'e', 's', 'c', 'r', 'i', 'p', 't', 'i', 'o', 'n', ':', ' ',
            (byte) 0xe9, '\n'});
        cli.projectProfile("huge", "flavor: mysql\nversion: \"9.7\"\nport: 99999999999999999999\n");
        java.nio.file.Path dir = cli.cwd.resolve("profiles");

        List<List<String>> cases = List.of(
                List.of("list", "devdb: " + dir.resolve("list.yaml") + ":1:1: the profile must be a map of key: value"
                        + " lines (flavor: mysql, version: \"9.7\", ...), not a list or a single value"),
                List.of("latin1", "devdb: " + dir.resolve("latin1.yaml") + ": cannot read profile: it is not UTF-8"
                        + " text; save it as UTF-8"),
                List.of("huge", "devdb: " + dir.resolve("huge.yaml") + ":3:7: field 'port' holds a number out of range:"
                        + " 99999999999999999999"));
        for (List<String> c : cases) {
            TestCli.Run run = cli.run("up", c.get(0)).exits(ExitCodes.PROFILE);
            assertEquals(List.of(c.get(1)), run.errLines(), run::describe);
        }
    }

    @Test
    void a_slow_log_summary_limit_below_one_exits_2_before_anything_is_read() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        int calls = cli.engine.calls().size();

        for (String limit : List.of("0", "-1")) {
            TestCli.Run run = cli.run("logs", "mysql9", "--slow", "--summary", "--limit", limit).exits(ExitCodes.USAGE);
            assertEquals(List.of("devdb: --limit must be 1 or more, not " + limit), run.errLines(), run::describe);
        }
        assertEquals(calls, cli.engine.calls().size(), () -> String.join("\n", cli.engine.calls()));
    }
}
