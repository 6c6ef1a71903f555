package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How DockerEngine words the engine's failures; the engine's own refusals are covered by the contract IT. */
class DockerEngineErrorsTest {

    @Test
    void refusals_map_to_the_documented_exit_codes() {
        assertEquals(ExitCodes.NO_INSTANCE, DockerEngine.exitCode(404, "No such container: devdb-x"));
        assertEquals(ExitCodes.NO_INSTANCE, DockerEngine.exitCode(409,
                "container 3f2a9c1b0d4e5f60 is not running"));
        assertEquals(ExitCodes.NO_INSTANCE, DockerEngine.exitCode(409, "Container 3f2a is paused, unpause the container"
                + " before exec"));
        assertEquals(ExitCodes.NAME_CONFLICT, DockerEngine.exitCode(409,
                "Conflict. The container name \"/devdb-x\" is already in use by container \"3f2a\"."));
        assertEquals(ExitCodes.PORT_IN_USE, DockerEngine.exitCode(500, "driver failed programming external "
                + "connectivity on endpoint devdb-x: Bind for 127.0.0.1:3306 failed: port is already allocated"));
        assertEquals(ExitCodes.FAILURE, DockerEngine.exitCode(500, "OCI runtime create failed"));
    }

    @Test
    void a_start_refused_for_a_missing_entrypoint_program_names_it() {
        assertEquals("bash", DockerEngine.missingExecutable("failed to create shim task: OCI runtime create failed: "
                + "runc create failed: unable to start container process: exec: \"bash\": executable file not found "
                + "in $PATH: unknown"));
        assertEquals("/bin/bash", DockerEngine.missingExecutable("OCI runtime create failed: unable to start container"
                + " process: exec: \"/bin/bash\": stat /bin/bash: no such file or directory: unknown"));
        assertEquals("bash", DockerEngine.missingExecutable("unable to start container process: exec: \\\"bash\\\": "
                + "executable file not found in $PATH: unknown"), "as the engine's JSON escapes it");
        assertEquals(null, DockerEngine.missingExecutable("OCI runtime create failed: cgroup mountpoint does not exist"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"start", "remove", "rename", "exec", "startExec", "streamLogs", "logs", "kill", "commit",
        "readFiles", "inspect", "list", "createNetwork"})
    void every_call_to_an_engine_nobody_answers_for_exits_4_naming_the_endpoint(String call, @TempDir Path dir) {
        String endpoint = "unix://" + dir.resolve("docker.sock");
        try (DockerEngine engine = DockerEngine.connect(Map.of("DOCKER_HOST", endpoint))) {
            Consumer<byte[]> ignore = b -> {};
            DevDbException e = assertThrows(DevDbException.class, () -> {
                switch (call) {
                    case "start" -> engine.start("devdb-x");
                    case "remove" -> engine.remove("devdb-x", Duration.ofSeconds(1));
                    case "rename" -> engine.rename("devdb-x", "devdb-y");
                    case "exec" -> engine.exec("devdb-x", List.of("true"), Map.of());
                    case "startExec" -> engine.startExec("devdb-x", List.of("true"), Map.of(), ignore, ignore).await();
                    case "streamLogs" -> engine.streamLogs("devdb-x", null, null, false, ignore).await();
                    case "logs" -> engine.logs("devdb-x", 10);
                    case "kill" -> engine.kill("devdb-x");
                    case "commit" -> engine.commit("devdb-x", "devdb-snapshot", "t", Map.of(), List.of());
                    case "readFiles" -> engine.readFiles("devdb-x", "/etc");
                    case "inspect" -> engine.inspect("devdb-x");
                    case "list" -> engine.list(Map.of());
                    case "createNetwork" -> engine.createNetwork("devdb-n", Map.of());
                    default -> throw new AssertionError(call);
                }
            });
            assertEquals(ExitCodes.ENGINE_UNREACHABLE, e.exitCode(), e::toString);
            assertTrue(e.getMessage().startsWith("cannot reach the Docker engine at " + endpoint + " (DOCKER_HOST): "),
                    e.getMessage());
        }
    }

    @Test
    void podman_references_read_as_docker_shows_them() {
        assertEquals("devdb-cache:9e02327879e9", DockerEngine.familiar("docker.io/library/devdb-cache:9e02327879e9",
                () -> true));
        assertEquals("devdb-test/mariadb:11.8", DockerEngine.familiar("docker.io/devdb-test/mariadb:11.8", () -> true));
        assertEquals("devdb-test/mariadb:11.8", DockerEngine.familiar("localhost/devdb-test/mariadb:11.8", () -> true));
        // on Docker, localhost/ is a registry's name and stays
        assertEquals("localhost/shop/mysql:9", DockerEngine.familiar("localhost/shop/mysql:9", () -> false));
        assertEquals("registry.example:5000/mysql:9", DockerEngine.familiar("registry.example:5000/mysql:9",
                () -> {
                    throw new AssertionError("asked the engine about a reference it does not rewrite");
                }));
    }

    @Test
    void podman_gets_labels_as_instructions_it_reads_back_exactly() {
        assertEquals("LABEL \"devdb.scope\"=\"\"", DockerEngine.labelInstruction("devdb.scope", ""));
        assertEquals("LABEL \"devdb.base-image\"=\"registry.example:5000/mysql:9.7\"",
                DockerEngine.labelInstruction("devdb.base-image", "registry.example:5000/mysql:9.7"));
        DevDbException e = assertThrows(DevDbException.class, () -> DockerEngine.labelInstruction("k", "a\"b"));
        assertEquals(ExitCodes.FAILURE, e.exitCode());
        assertThrows(DevDbException.class, () -> DockerEngine.labelInstruction("k", "a\nb"));
    }
}
