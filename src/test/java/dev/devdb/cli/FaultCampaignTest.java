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
}
