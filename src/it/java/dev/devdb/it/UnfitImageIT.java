package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images that lack what devdb needs (made here from the test images by removing something) fail at
 * once with exit code 14 and a line naming what is missing, and leave nothing behind.
 */
class UnfitImageIT {
    private static final String LABEL = "devdb.it.unfit-image";
    private static final String README = "; see \"What devdb needs of an image\" in the README";

    @TempDir
    static Path dir;

    static DockerEngine engine;

    @BeforeAll
    static void makeImages() throws InterruptedException {
        engine = Cli.engine();
        derive("devdb-test/mariadb:10.11", "devdb-test/unfit-nobash", "rm -f /usr/bin/bash /bin/bash");
        derive("devdb-test/mariadb:10.11", "devdb-test/unfit-noserver", "rm -f /usr/sbin/mariadbd /usr/sbin/mysqld");
        derive("devdb-test/mysql:9.7", "devdb-test/unfit-noconfd",
                "for f in /etc/my.cnf /etc/mysql/my.cnf; do if [ -f $f ]; then sed -i /includedir/d $f; fi; done");
    }

    /** Commits a container of {@code from} after {@code script} ran in it, as REPO:TAG (the same tag). */
    private static void derive(String from, String repository, String script) throws InterruptedException {
        DockerClient docker = Docker.client();
        String id = docker.createContainerCmd(from).withEntrypoint("sh", "-c", script).withCmd(List.of())
                .withLabels(Map.of(LABEL, "1")).exec().getId();
        try {
            docker.startContainerCmd(id).exec();
            int rc = docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
            assertEquals(0, rc, script);
            docker.commitCmd(id).withRepository(repository).withTag(from.substring(from.indexOf(':') + 1))
                    .withLabels(Map.of(LABEL, "1")).exec();
        } finally {
            docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
        }
    }

    @AfterAll
    static void removeImages() {
        DockerClient docker = Docker.client();
        docker.listImagesCmd().withLabelFilter(Map.of(LABEL, "1")).exec()
                .forEach(i -> docker.removeImageCmd(i.getId()).withForce(true).exec());
        engine.close();
    }

    private static Cli.Result up(String name, String profile) throws IOException {
        Path file = Files.writeString(dir.resolve(name + ".yaml"), profile);
        return new Cli(dir).run("up", file.toString(), "--name", name, "--timeout", "60s");
    }

    private static String lastLine(Cli.Result r) {
        List<String> lines = r.err().lines().toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    @Test
    void an_image_without_bash_fails_at_start_naming_bash() throws IOException {
        long t0 = System.nanoTime();
        Cli.Result r = up("unfit-bash", "flavor: mariadb\nversion: \"10.11\"\nimage: unfit-nobash\n");
        double seconds = (System.nanoTime() - t0) / 1e9;

        assertEquals(ExitCodes.IMAGE_UNFIT, r.exitCode(), r::toString);
        assertEquals("devdb: image devdb-test/unfit-nobash:10.11 cannot run a devdb instance: the image has no bash on "
                + "PATH" + README + "; the container was removed", lastLine(r), r::toString);
        assertEquals(List.of(), engine.list(Map.of("devdb.name", "unfit-bash")), "container left behind");
        assertTrue(seconds < 30, "took " + seconds + " s");
    }

    @Test
    void an_image_without_the_server_fails_before_anything_starts_naming_it() throws IOException {
        Cli.Result r = up("unfit-server", "flavor: mariadb\nversion: \"10.11\"\nimage: unfit-noserver\n");

        assertEquals(ExitCodes.IMAGE_UNFIT, r.exitCode(), r::toString);
        assertEquals("devdb: image devdb-test/unfit-noserver:10.11 cannot run a devdb instance: the image has no "
                + "mariadbd on PATH" + README + "; the container was removed", lastLine(r), r::toString);
        assertEquals(List.of(), engine.list(Map.of("devdb.name", "unfit-server")), "container left behind");
    }

    @Test
    void an_image_whose_option_files_skip_conf_d_fails_instead_of_ignoring_the_profiles_settings()
            throws IOException {
        Cli.Result r = up("unfit-confd", "flavor: mysql\nversion: \"9.7\"\nimage: unfit-noconfd\n"
                + "mycnf:\n  max_connections: 77\n");

        assertEquals(ExitCodes.IMAGE_UNFIT, r.exitCode(), r::toString);
        assertEquals("devdb: image devdb-test/unfit-noconfd:9.7 cannot run a devdb instance: the image has no option "
                + "file that includes /etc/mysql/conf.d" + README + "; the container was removed", lastLine(r),
                r::toString);
        assertEquals(List.of(), engine.list(Map.of("devdb.name", "unfit-confd")), "container left behind");
    }
}
