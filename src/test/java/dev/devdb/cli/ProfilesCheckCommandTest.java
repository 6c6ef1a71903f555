package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ProfilesCheckCommandTest {
    @RegisterExtension
    final TestCli cli = new TestCli();

    private void legacy() throws IOException {
        cli.projectProfile("legacy", "flavor: mysql\nversion: \"5.7\"\ncdc: true\nmycnf:\n  expire-logs-days: 7\n"
                + "  query_cache_size: 0\n  loose-innodb-file-format: Barracuda\n");
    }

    @Test
    void a_profile_is_checked_against_its_own_version_by_default() throws IOException {
        legacy();
        TestCli.Run run = cli.run("profiles", "check", "legacy", "mysql9").exits(ExitCodes.OK);
        assertEquals(List.of("legacy on legacy (MySQL 5.7): warning: query_cache_size is deprecated since MySQL 5.7",
                "legacy on legacy (MySQL 5.7): warning: innodb_file_format is deprecated since MySQL 5.7",
                "mysql9 on mysql9 (MySQL 9.7): ok"), run.outLines(), run::describe);
        assertEquals("", run.err(), run::describe);
        assertEquals(List.of(), cli.engine.calls(), run::describe);
    }

    @Test
    void on_other_versions_each_removed_option_is_one_line_and_the_exit_code_is_3() throws IOException {
        legacy();
        TestCli.Run run = cli.run("profiles", "check", "legacy", "--on", "mysql80,mysql9").exits(ExitCodes.PROFILE);
        assertEquals(List.of(
                "legacy on mysql80 (MySQL 8.0): warning: expire_logs_days is deprecated since MySQL 8.0; use"
                        + " binlog_expire_logs_seconds (seconds)",
                "legacy on mysql80 (MySQL 8.0): error: query_cache_size was removed in MySQL 8.0",
                "legacy on mysql80 (MySQL 8.0): warning: innodb_file_format was removed in MySQL 8.0; the server ignores"
                        + " loose_innodb_file_format (loose-)",
                "legacy on mysql9 (MySQL 9.7): error: expire_logs_days was removed in MySQL 8.2; use"
                        + " binlog_expire_logs_seconds (seconds)",
                "legacy on mysql9 (MySQL 9.7): error: query_cache_size was removed in MySQL 8.0",
                "legacy on mysql9 (MySQL 9.7): warning: innodb_file_format was removed in MySQL 8.0; the server ignores"
                        + " loose_innodb_file_format (loose-)"), run.outLines(), run::describe);
    }

    @Test
    void every_built_in_profile_passes_on_its_own_version_cdc_and_replicas_included() throws IOException {
        for (String p : List.of("mysql57", "mysql80", "mysql8", "mysql9", "mariadb105", "mariadb10", "mariadb11")) {
            cli.projectProfile("x-" + p, "extends: " + p + "\ncdc: true\nreplicas: 2\n");
            TestCli.Run run = cli.run("profiles", "check", "x-" + p).exits(ExitCodes.OK);
            assertEquals(1, run.outLines().size(), run::describe);
            assertEquals(true, run.out().endsWith("): ok\n"), run::describe);
        }
        cli.run("profiles", "check").exits(ExitCodes.OK);
    }

    @Test
    void json_gives_each_pair_with_its_problems() throws IOException {
        cli.projectProfile("old", "flavor: mariadb\nversion: \"10.5\"\nmycnf:\n  innodb_log_files_in_group: 2\n"
                + "  innodb_change_buffer_max_size: 25\n");
        TestCli.Run run = cli.run("profiles", "check", "old", "--on", "mariadb11", "--json").exits(ExitCodes.PROFILE);
        JsonNode a = new ObjectMapper().readTree(run.out());
        assertEquals(1, a.size(), run::describe);
        JsonNode o = a.get(0);
        assertEquals("old", o.get("profile").asText());
        assertEquals("mariadb11", o.get("on").asText());
        assertEquals("mariadb", o.get("flavor").asText());
        assertEquals("11.8", o.get("version").asText());
        assertEquals(true, o.get("checked").asBoolean());
        assertEquals(2, o.get("problems").size(), run::describe);
        JsonNode first = o.get("problems").get(0);
        assertEquals("innodb_log_files_in_group", first.get("option").asText());
        assertEquals("warning", first.get("severity").asText());
        assertEquals("https://mariadb.com/kb/en/innodb-system-variables/", first.get("reference").asText());
        assertEquals("error", o.get("problems").get(1).get("severity").asText());
    }

    @Test
    void a_tag_without_a_version_is_left_to_the_server() throws IOException {
        cli.projectProfile("edge", "flavor: mysql\nversion: latest\nmycnf:\n  query_cache_size: 0\n");
        TestCli.Run run = cli.run("profiles", "check", "edge").exits(ExitCodes.OK);
        assertEquals(List.of("edge on edge (MySQL latest): not checked: the tag names no version; the server judges"
                + " the options when it starts"), run.outLines(), run::describe);
        cli.run("profiles", "check", "nosuch").exits(ExitCodes.PROFILE);
    }
}
