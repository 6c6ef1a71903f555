package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class RemovedOptionsCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:10.5",
            "devdb-test/mariadb:11.8", "devdb-test/mysql:8.0", "devdb-test/mysql:latest");

    @Test
    void up_with_a_removed_option_on_set_exits_2_and_creates_nothing() {
        TestCli.Run run = cli.run("up", "mysql9", "--set", "expire_logs_days=7").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: expire_logs_days was removed in MySQL 8.2; use binlog_expire_logs_seconds"
                + " (seconds); from --set expire_logs_days"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
    }

    @Test
    void up_with_a_removed_option_in_the_profile_exits_3_naming_the_file() throws IOException {
        Path file = cli.projectProfile("shop", "extends: mysql9\nmycnf:\n  query-cache-size: 0\n  tx_isolation: "
                + "READ-COMMITTED\n");
        TestCli.Run run = cli.run("up", "shop").exits(ExitCodes.PROFILE);
        assertEquals(List.of("devdb: query_cache_size was removed in MySQL 8.0; from profile shop ("
                + file + ") (and 1 more: `devdb profiles check shop` lists them)"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
    }

    @Test
    void up_recreate_checks_before_removing_what_runs() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        TestCli.Run run = cli.run("up", "mysql9", "--recreate", "--set", "default_authentication_plugin=x")
                .exits(ExitCodes.USAGE);
        assertTrue(run.err().startsWith("devdb: default_authentication_plugin was removed in MySQL 8.4; use"
                + " authentication_policy"), run::describe);
        assertEquals(List.of(), cli.engine.calls("remove"), run::describe);
        assertEquals(1, cli.engine.calls("create").size(), run::describe);
    }

    @Test
    void an_option_the_version_only_ignores_or_a_loose_one_is_a_warning() {
        TestCli.Run run = cli.run("up", "mariadb11", "--set", "innodb_log_files_in_group=2", "--set",
                "loose-innodb-undo-logs=4").exits(ExitCodes.OK);
        assertTrue(run.errLines().contains("devdb: warning: innodb_log_files_in_group was removed in MariaDB 10.6; the"
                + " redo log is one file; size it with innodb_log_file_size; the server ignores it; from --set"
                + " innodb_log_files_in_group"), run::describe);
        assertTrue(run.errLines().contains("devdb: warning: innodb_undo_logs was removed in MariaDB 10.6; the server"
                + " ignores loose-innodb-undo-logs (loose-); from --set loose-innodb-undo-logs"), run::describe);
        TestCli.Run quiet = cli.run("up", "mariadb11", "--name", "q", "--quiet", "--set", "innodb_log_files_in_group=2")
                .exits(ExitCodes.OK);
        assertEquals("", quiet.err(), quiet::describe);
    }

    @Test
    void devdbs_own_retention_setting_is_right_for_every_version() {
        cli.run("up", "mariadb105", "--cdc").exits(ExitCodes.OK);
        TestCli.Run run = cli.run("up", "mysql9", "--cdc").exits(ExitCodes.OK);
        assertTrue(!run.err().contains("warning"), run::describe);
        cli.run("up", "mysql80", "--cdc").exits(ExitCodes.OK);
    }

    @Test
    void an_image_tag_without_a_version_is_left_to_the_server() throws IOException {
        cli.projectProfile("edge", "flavor: mysql\nversion: latest\nmycnf:\n  expire_logs_days: 7\n");
        cli.run("up", "edge").exits(ExitCodes.OK);
    }
}
