package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pulls through a real registry (Debian's docker-registry on 127.0.0.1): progress lines and errors. */
class PullIT {
    @TempDir
    static Path dir;

    static Process registry;
    static DockerEngine engine;
    static String prefix;

    @BeforeAll
    static void startRegistry() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/docker-registry")),
                "docker-registry is missing: apt-get install docker-registry (.ci/run does)");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path config = Files.writeString(dir.resolve("registry.yml"), """
                version: 0.1
                log:
                  level: error
                storage:
                  filesystem:
                    rootdirectory: %s
                http:
                  addr: 127.0.0.1:%d
                """.formatted(dir.resolve("storage"), port));
        registry = new ProcessBuilder("/usr/bin/docker-registry", "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (java.io.IOException e) {
                assertTrue(System.nanoTime() < deadline, "registry did not start: " + Files.readString(dir.resolve("registry.log")));
                Thread.sleep(100);
            }
        }
        prefix = "127.0.0.1:" + port + "/devdb-pull";
        engine = Cli.engine();
        String pushed = prefix + "/mariadb";
        // An image with a layer of its own, so the pull has a layer to download.
        String builder = Docker.client().createContainerCmd("devdb-test/mariadb:10.11").exec().getId();
        byte[] noise = new byte[1 << 20];
        new java.util.Random(42).nextBytes(noise);
        Path marker = Files.write(dir.resolve("marker.bin"), noise);
        engine.copyFiles(builder, "/opt", java.util.List.of(new dev.devdb.engine.FileCopy("marker.bin", marker, 0644)));
        Docker.client().commitCmd(builder).withRepository(pushed).withTag("10.11").exec();
        Docker.client().removeContainerCmd(builder).withRemoveVolumes(true).exec();
        Docker.client().pushImageCmd(pushed).withTag("10.11")
                .exec(new ResultCallback.Adapter<PushResponseItem>()).awaitCompletion(120, TimeUnit.SECONDS);
        Docker.client().removeImageCmd(pushed + ":10.11").exec();
    }

    @AfterAll
    static void stopRegistry() {
        new Cli(dir).run("down", "pulled");
        engine.removeImage(prefix + "/mariadb:10.11", false);
        engine.close();
        registry.destroy();
    }

    @Test
    void up_pulls_a_missing_image_through_the_registry_showing_plain_progress() throws Exception {
        assertTrue(engine.imageId(prefix + "/mariadb:10.11") == null, "the pushed tag must be gone locally");
        Cli cli = new Cli(dir, Map.of("DEVDB_REGISTRY", prefix));
        Cli.Result up = cli.run("up", "mariadb10", "--name", "pulled", "--json");
        assertEquals(0, up.exitCode(), up::toString);
        assertTrue(up.err().contains("devdb: pulling " + prefix + "/mariadb:10.11"), up::toString);
        assertTrue(up.err().lines().anyMatch(l -> l.matches("devdb: layer [0-9a-f]+: Pull complete")), up::toString);
        assertTrue(up.err().chars().noneMatch(c -> c == '\r' || c == 0x1b), "control characters in piped progress");
        JsonNode json = up.json();
        try (Connection c = Cli.connect(json)) {
            assertEquals("1", Cli.scalar(c, "SELECT 1"));
        }
        assertTrue(engine.imageId(prefix + "/mariadb:10.11") != null);
    }

    @Test
    void a_tag_the_registry_does_not_have_fails_with_exit_5() {
        Cli cli = new Cli(dir, Map.of("DEVDB_REGISTRY", prefix));
        Cli.Result up = cli.run("up", "mysql9", "--name", "pull-missing");
        assertEquals(ExitCodes.IMAGE, up.exitCode(), up::toString);
        assertTrue(up.err().contains("cannot pull image " + prefix + "/mysql:9.7"), up::toString);
        assertTrue(engine.inspect(TestScope.container("pull-missing")).isEmpty());
    }
}
