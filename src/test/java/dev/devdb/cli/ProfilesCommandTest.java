package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.profile.ProfileCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ProfilesCommandTest {
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private static final String FAST = """
            extends: mysql8
            description: fast and loose
            mycnf:
              innodb_flush_log_at_trx_commit: 2
              sync-binlog: 0
            """;

    @RegisterExtension
    final TestCli cli = new TestCli();

    private static List<List<String>> rows(TestCli.Run run) {
        return run.outLines().stream().map(l -> Arrays.asList(l.split("\t", -1))).toList();
    }

    @Test
    void profiles_lists_the_built_ins_in_catalogue_order() {
        TestCli.Run run = cli.run("profiles").exits(ExitCodes.OK);

        List<List<String>> rows = rows(run);
        assertEquals(ProfileCatalog.BUILT_IN, rows.stream().map(r -> r.get(0)).toList(), run::describe);
        assertTrue(rows.stream().allMatch(r -> r.size() == 5 && r.get(1).equals("built-in")), run::describe);
        assertTrue(rows.contains(List.of("mysql9", "built-in", "mysql", "9.7", "MySQL 9.7 LTS, the newest")),
                run::describe);
        assertTrue(rows.contains(List.of("mariadb11", "built-in", "mariadb", "11.8", "MariaDB 11.8 LTS")),
                run::describe);
    }

    @Test
    void project_profile_comes_first_and_shadows_the_built_in_of_its_name() throws IOException {
        cli.projectProfile("mysql8", "extends: mysql8\ndescription: ours\n");

        TestCli.Run run = cli.run("profiles").exits(ExitCodes.OK);

        List<List<String>> rows = rows(run);
        assertEquals(List.of("mysql8", "project", "mysql", "8.4", "ours"), rows.get(0), run::describe);
        assertTrue(rows.contains(List.of("mysql8", "built-in (shadowed)", "", "", "")), run::describe);
    }

    @Test
    void user_profiles_are_listed_from_xdg_config_home() throws IOException {
        Files.createDirectories(cli.userProfiles);
        Files.writeString(cli.userProfiles.resolve("team.yaml"), "extends: mariadb11\ndescription: team default\n");

        TestCli.Run run = cli.run("profiles").exits(ExitCodes.OK);

        assertEquals(List.of("team", "user", "mariadb", "11.8", "team default"), rows(run).get(0), run::describe);
    }

    @Test
    void invalid_profile_is_listed_with_its_problem() throws IOException {
        cli.projectProfile("broken", "flavor: postgres\nversion: \"17\"\n");

        TestCli.Run run = cli.run("profiles").exits(ExitCodes.OK);

        List<String> row = rows(run).get(0);
        assertEquals(List.of("broken", "project", "", ""), row.subList(0, 4), run::describe);
        assertTrue(row.get(4).startsWith("(invalid: profile 'broken' ("), run::describe);
        assertTrue(row.get(4).endsWith("): field 'flavor' must be mysql or mariadb, not 'postgres')"), run::describe);
    }

    @Test
    void profile_extending_an_unknown_profile_is_listed_as_invalid() throws IOException {
        cli.projectProfile("broken", "extends: nosuch\n");

        TestCli.Run run = cli.run("profiles").exits(ExitCodes.OK);

        List<String> row = rows(run).get(0);
        assertEquals("broken", row.get(0), run::describe);
        assertTrue(row.get(4).contains("extends unknown profile 'nosuch'"), run::describe);
    }

    @Test
    void piped_row_stays_one_line_when_a_description_has_tabs_and_line_breaks() throws IOException {
        cli.projectProfile("odd", "extends: mysql8\ndescription: \"fast\\tand\\r\\nloose\\nfor tests\"\n");

        TestCli.Run run = cli.run("profiles").exits(ExitCodes.OK);

        assertEquals(ProfileCatalog.BUILT_IN.size() + 1, run.outLines().size(), run::describe);
        assertEquals(List.of("odd", "project", "mysql", "8.4", "fast and loose for tests"), rows(run).get(0),
                run::describe);
    }

    @Test
    void profiles_json_lists_every_profile_with_its_origin() throws IOException {
        cli.projectProfile("mysql8", "extends: mysql8\n");

        TestCli.Run run = cli.run("profiles", "--json").exits(ExitCodes.OK);

        List<Map<String, Object>> list = new ObjectMapper().readValue(run.out(), new TypeReference<>() {});
        assertEquals(ProfileCatalog.BUILT_IN.size() + 1, list.size(), run::describe);
        assertEquals(List.of("name", "origin", "location", "flavor", "version", "description", "shadowed"),
                List.copyOf(list.get(0).keySet()), run::describe);
        assertEquals(List.of("mysql8", "project", false),
                List.of(list.get(0).get("name"), list.get(0).get("origin"), list.get(0).get("shadowed")),
                run::describe);
        assertTrue(list.stream().anyMatch(p -> p.get("name").equals("mysql8") && p.get("origin").equals("built-in")
                && p.get("shadowed").equals(true)), run::describe);
    }

    @Test
    void profiles_show_of_an_extending_profile_prints_the_merged_mycnf() throws IOException {
        cli.projectProfile("fast", FAST);
        cli.env.put("DEVDB_REGISTRY", "devdb-test");

        TestCli.Run run = cli.run("profiles", "show", "fast").exits(ExitCodes.OK);

        Map<String, Object> shown = new ObjectMapper(new YAMLFactory()).readValue(run.out(), MAP);
        Map<String, String> mycnf = new HashMap<>();
        mycnf.put("skip_name_resolve", null);
        mycnf.put("innodb_flush_log_at_trx_commit", "2");
        mycnf.put("sync_binlog", "0");
        assertEquals(mycnf, shown.get("mycnf"), run::describe);
        assertEquals(List.of("mysql8 (built-in)"), shown.get("extends"), run::describe);
        assertEquals("fast and loose", shown.get("description"), run::describe);
        assertEquals("8.4", shown.get("version"), run::describe);
        assertEquals("devdb-test/mysql:8.4", shown.get("image"), run::describe);
        assertEquals("project", shown.get("origin"), run::describe);
    }

    @Test
    void profiles_show_json_prints_the_same_profile() throws IOException {
        cli.projectProfile("fast", FAST);

        TestCli.Run yaml = cli.run("profiles", "show", "fast").exits(ExitCodes.OK);
        TestCli.Run json = cli.run("profiles", "show", "--json", "fast").exits(ExitCodes.OK);

        assertEquals(new ObjectMapper(new YAMLFactory()).readValue(yaml.out(), MAP),
                new ObjectMapper().readValue(json.out(), MAP), () -> yaml.describe() + "\n" + json.describe());
    }

    @Test
    void profiles_show_of_an_unknown_profile_exits_3() {
        TestCli.Run run = cli.run("profiles", "show", "maridb11").exits(ExitCodes.PROFILE);

        assertEquals(1, run.errLines().size(), run::describe);
        assertTrue(run.err().startsWith("devdb: unknown profile 'maridb11'; did you mean 'mariadb11'?"),
                run::describe);
    }

    @Test
    void profiles_never_touch_the_engine() {
        cli.engine.failing(new DevDbException(ExitCodes.ENGINE_UNREACHABLE, "cannot reach the Docker engine"));

        TestCli.Run list = cli.run("profiles").exits(ExitCodes.OK);
        TestCli.Run show = cli.run("profiles", "show", "mysql8").exits(ExitCodes.OK);

        assertEquals(List.of(), cli.engine.calls(), () -> list.describe() + "\n" + show.describe());
    }
}
