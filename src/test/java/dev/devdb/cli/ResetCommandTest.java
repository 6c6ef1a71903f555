package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import dev.devdb.engine.ContainerInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class ResetCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7");

    @Test
    void reset_replaces_the_container_keeping_name_port_and_credentials() {
        cli.run("up", "mysql9", "--set", "max_connections=50").exits(ExitCodes.OK);
        ContainerInfo before = cli.engine.container("devdb-mysql9").orElseThrow();

        TestCli.Run run = cli.run("reset", "mysql9").exits(ExitCodes.OK);

        ContainerInfo after = cli.engine.container("devdb-mysql9").orElseThrow();
        assertNotEquals(before.id(), after.id(), run::describe);
        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames(), run::describe);
        assertEquals(before.hostPort(), after.hostPort(), run::describe);
        assertEquals("running", after.state(), run::describe);
        for (String key : List.of("MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD", "MYSQL_USER", "MYSQL_DATABASE")) {
            assertEquals(before.env().get(key), after.env().get(key), () -> key + "\n" + run.describe());
        }
        assertEquals("devdb-cache:" + before.labels().get("devdb.cache-key"), after.image(), run::describe);
        assertTrue(cli.engine.file("devdb-mysql9", "/etc/mysql/conf.d/devdb.cnf").contains("\nmax_connections = 50\n"),
                run::describe);
        assertEquals("devdb: mysql9 is reset by a restart and ready on 127.0.0.1:" + before.hostPort(),
                run.errLines().get(run.errLines().size() - 1).replaceFirst(" \\(.*\\)$", ""), run::describe);
    }

    @Test
    void reset_and_snapshot_restore_of_a_killed_instance_keep_its_port() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        Integer port = cli.engine.container("devdb-mysql9").orElseThrow().hostPort();
        cli.run("snapshot", "save", "mysql9", "before").exits(ExitCodes.OK);

        for (List<String> command : List.of(List.of("reset", "mysql9"), List.of("reset", "mysql9"),
                List.of("snapshot", "restore", "mysql9", "before"))) {
            // killed, a container shows no port: what it was given is recorded
            cli.engine.kill(cli.engine.container("devdb-mysql9").orElseThrow().id());
            TestCli.Run run = cli.run(command.toArray(String[]::new)).exits(ExitCodes.OK);
            assertEquals(port, cli.engine.container("devdb-mysql9").orElseThrow().hostPort(), run::describe);
        }
    }

    @Test
    void the_first_reset_keeps_a_clean_copy_of_the_entry_and_the_next_starts_from_it() {
        cli.run("up", "mysql9", "--set", "max_connections=50").exits(ExitCodes.OK);
        String cacheImage = "devdb-cache:" + cli.engine.container("devdb-mysql9").orElseThrow()
                .labels().get("devdb.cache-key");

        TestCli.Run first = cli.run("reset", "mysql9").exits(ExitCodes.OK);

        ContainerInfo kept = cli.engine.container("devdb-mysql9").orElseThrow();
        assertEquals("1", cli.engine.spec("devdb-mysql9").env().get("DEVDB_KEEP"), first::describe);
        List<String> keeper = cli.engine.spec("devdb-mysql9").entrypoint();
        assertTrue(keeper.get(keeper.size() - 2).endsWith(" && exec bash /etc/mysql/devdb-start.sh \"$@\""),
                first::describe);
        assertEquals(List.of("mysqld", "--datadir=/var/lib/devdb/data", "--user=mysql",
                "--init-file=/dev/shm/devdb-init.sql"), cli.engine.spec("devdb-mysql9").command(), first::describe);
        assertEquals(List.of("commit devdb-mysql9 " + cacheImage, "commit devdb-mysql9 " + cacheImage),
                cli.engine.calls("commit"), first::describe);
        assertTrue(cli.engine.file("devdb-mysql9", "/etc/mysql/conf.d/devdb.cnf").contains("\nmax_connections = 50\n"),
                first::describe);
        assertNotEquals(null, kept.env().get("MYSQL_ROOT_PASSWORD"), first::describe);

        TestCli.Run second = cli.run("reset", "mysql9").exits(ExitCodes.OK);

        assertEquals(null, cli.engine.spec("devdb-mysql9").env().get("DEVDB_KEEP"), second::describe);
        assertEquals(2, cli.engine.calls("commit").size(), second::describe);
    }

    @Test
    void reset_inside_the_running_server_keeps_the_container_and_says_so() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        ContainerInfo before = cli.engine.container("devdb-mysql9").orElseThrow();
        cli.engine.execScript((command, env) -> command.size() > 2 && command.get(2).contains("/var/lib/devdb/reset.sql")
                ? new dev.devdb.engine.ExecResult(0, "devdb-reset\t87000\t0\t0\n", "") : null);

        TestCli.Run run = cli.run("reset", "mysql9").exits(ExitCodes.OK);

        assertEquals(before.id(), cli.engine.container("devdb-mysql9").orElseThrow().id(), run::describe);
        assertEquals("devdb: mysql9 is reset inside its running server and ready on 127.0.0.1:" + before.hostPort(),
                run.errLines().get(run.errLines().size() - 1).replaceFirst(" \\(.*\\)$", ""), run::describe);
        assertTrue(run.errLines().get(run.errLines().size() - 1).endsWith("; 87 ms in the server)"), run::describe);
    }

    @Test
    void reset_restarts_the_server_and_says_why_when_the_reset_inside_it_cannot_be_done() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        ContainerInfo before = cli.engine.container("devdb-mysql9").orElseThrow();
        cli.engine.execScript((command, env) -> command.size() > 2 && command.get(2).contains("/var/lib/devdb/reset.sql")
                ? new dev.devdb.engine.ExecResult(1, "", "ERROR 1644 (45000) at line 5: devdb-fallback: the prepared copy"
                        + " is not usable (failed: disk full)\n") : null);

        TestCli.Run run = cli.run("reset", "mysql9").exits(ExitCodes.OK);

        assertNotEquals(before.id(), cli.engine.container("devdb-mysql9").orElseThrow().id(), run::describe);
        assertTrue(run.errLines().contains("devdb: resetting mysql9 by a restart: the prepared copy is not usable"
                + " (failed: disk full)"), run::describe);
        assertTrue(run.errLines().get(run.errLines().size() - 1).startsWith("devdb: mysql9 is reset by a restart and"
                + " ready on"), run::describe);
    }

    @Test
    void reset_of_an_instance_whose_cache_was_pruned_exits_5_and_keeps_it() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        ContainerInfo before = cli.engine.container("devdb-mysql9").orElseThrow();
        String cacheImage = "devdb-cache:" + before.labels().get("devdb.cache-key");
        cli.engine.removeImage(cacheImage, true);

        TestCli.Run run = cli.run("reset", "mysql9", "--full").exits(ExitCodes.IMAGE);

        assertEquals(List.of("devdb: the initialised data of mysql9 (" + cacheImage + ") is not in the cache (pruned, or never "
                + "kept because of `up --no-wait`); recreate the instance with `devdb up --recreate`"), run.errLines(), run::describe);
        assertEquals(before.id(), cli.engine.container("devdb-mysql9").orElseThrow().id(), run::describe);
    }

    @Test
    void reset_of_a_foreign_container_exits_10_and_leaves_it() {
        String id = cli.engine.addContainer("devdb-mysql9", "mysql:9.7", Map.of(), "running");

        TestCli.Run run = cli.run("reset", "mysql9").exits(ExitCodes.NO_INSTANCE);

        assertEquals(List.of("devdb: no instance named mysql9; the container devdb-mysql9 was not created by devdb "
                + "and is left alone"), run.errLines(), run::describe);
        assertEquals(id, cli.engine.container("devdb-mysql9").orElseThrow().id(), run::describe);
    }
}
