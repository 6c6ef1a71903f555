package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devdb.error.ExitCodes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class DownCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:11.8");

    @Test
    void down_removes_only_the_named_instance() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("up", "mariadb11").exits(ExitCodes.OK);
        cli.engine.addContainer("devdb-other", "nginx:1.27", Map.of(), "running");

        TestCli.Run run = cli.run("down", "mysql9").exits(ExitCodes.OK);

        assertEquals(List.of("devdb: removed mysql9"), run.errLines(), run::describe);
        assertEquals("", run.out(), run::describe);
        assertEquals(List.of("devdb-mariadb11", "devdb-other"), cli.engine.containerNames(), run::describe);
    }

    @Test
    void down_of_a_container_without_devdb_labels_exits_10_and_leaves_it() {
        cli.engine.addContainer("devdb-mysql9", "mysql:9.7", Map.of("com.example.team", "db"), "running");

        TestCli.Run run = cli.run("down", "mysql9").exits(ExitCodes.NO_INSTANCE);

        assertEquals(List.of("devdb: no instance named mysql9; the container devdb-mysql9 was not created by devdb "
                + "and is left alone"), run.errLines(), run::describe);
        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames(), run::describe);
        assertEquals(List.of(), cli.engine.calls("remove"), run::describe);
    }

    @Test
    void down_of_an_unknown_name_lists_the_instances_there_are() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("down", "mysql8").exits(ExitCodes.NO_INSTANCE);

        assertEquals(List.of("devdb: no instance named mysql8; instances: mysql9"), run.errLines(), run::describe);
        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames(), run::describe);
    }

    @Test
    void down_all_removes_every_labelled_container_and_leaves_foreign_ones() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("up", "mariadb11").exits(ExitCodes.OK);
        cli.engine.addContainer("devdb-foreign", "mysql:8.4", Map.of(), "running");
        cli.engine.addContainer("postgres", "postgres:17", Map.of("devdb.managed", "false"), "exited");

        TestCli.Run run = cli.run("down", "--all").exits(ExitCodes.OK);

        assertEquals(List.of("devdb: removed mysql9", "devdb: removed mariadb11", "devdb: removed 2 instances"),
                run.errLines(), run::describe);
        assertEquals(List.of("devdb-foreign", "postgres"), cli.engine.containerNames(), run::describe);
    }

    @Test
    void down_all_with_nothing_to_remove_says_so() {
        cli.engine.addContainer("devdb-foreign", "mysql:8.4", Map.of(), "running");

        TestCli.Run run = cli.run("down", "--all").exits(ExitCodes.OK);

        assertEquals(List.of("devdb: no instances to remove"), run.errLines(), run::describe);
        assertEquals(List.of("devdb-foreign"), cli.engine.containerNames(), run::describe);
    }

    @Test
    void down_without_a_name_removes_the_only_instance() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("down").exits(ExitCodes.OK);

        assertEquals(List.of("devdb: removed mysql9"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void down_without_a_name_among_several_instances_exits_10_and_removes_nothing() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("up", "mariadb11").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("down").exits(ExitCodes.NO_INSTANCE);

        assertEquals(List.of("devdb: several instances exist (mysql9, mariadb11); name the one you mean"),
                run.errLines(), run::describe);
        assertEquals(List.of("devdb-mysql9", "devdb-mariadb11"), cli.engine.containerNames(), run::describe);
    }

    @Test
    void down_without_any_instance_exits_10() {
        TestCli.Run run = cli.run("down").exits(ExitCodes.NO_INSTANCE);

        assertEquals(List.of("devdb: no devdb instance exists; start one with `devdb up`"), run.errLines(),
                run::describe);
    }

    @Test
    void names_together_with_all_is_a_usage_error_and_removes_nothing() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("down", "--all", "mysql9").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: give instance names or --all, not both"), run.errLines(), run::describe);
        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames(), run::describe);
    }

    @Test
    void quiet_down_prints_nothing() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("down", "-q", "mysql9").exits(ExitCodes.OK);

        assertEquals("", run.err() + run.out(), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }
}
