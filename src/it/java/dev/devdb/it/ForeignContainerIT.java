package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Containers devdb did not create are never touched, whatever their name. */
class ForeignContainerIT {
    @TempDir
    static Path dir;

    static DockerEngine engine;
    static String foreignId;
    /** Where the instance foreign of the run's scope would be. */
    static final String FOREIGN = TestScope.container("foreign");

    @BeforeAll
    static void createForeign() {
        engine = Cli.engine();
        foreignId = Docker.client().createContainerCmd("devdb-test/mariadb:10.11")
                .withName(FOREIGN)
                .withEnv("MYSQL_ALLOW_EMPTY_PASSWORD=1")
                .exec().getId();
    }

    @AfterAll
    static void removeForeign() {
        Docker.client().removeContainerCmd(foreignId).withForce(true).withRemoveVolumes(true).exec();
        engine.close();
    }

    @Test
    void down_up_and_down_all_leave_a_foreign_container_with_an_instance_name_alone() {
        Cli cli = new Cli(dir);

        Cli.Result down = cli.run("down", "foreign");
        assertEquals(ExitCodes.NO_INSTANCE, down.exitCode(), down::toString);
        assertTrue(down.err().contains("not created by devdb"), down::toString);

        Cli.Result up = cli.run("up", "mariadb10", "--name", "foreign");
        assertEquals(ExitCodes.NAME_CONFLICT, up.exitCode(), up::toString);
        assertTrue(up.err().contains("not created by devdb"), up::toString);

        Cli.Result all = cli.run("down", "--all");
        assertEquals(0, all.exitCode(), all::toString);

        var still = engine.inspect(FOREIGN);
        assertTrue(still.isPresent(), "foreign container was removed");
        assertEquals(foreignId, still.get().id());
        assertEquals("created", still.get().state(), "foreign container was started or changed");
    }
}
