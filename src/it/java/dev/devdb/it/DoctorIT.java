package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DoctorIT {
    @TempDir
    Path dir;

    @Test
    void doctor_passes_on_a_working_engine_and_leaves_no_container() {
        Cli.Result r = new Cli(dir).run("doctor", "--json");
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> status = new HashMap<>();
        for (JsonNode c : r.json()) {
            status.put(c.get("check").asText(), c.get("status").asText());
            assertTrue(c.has("detail") && c.has("fix"), r::toString);
        }
        assertEquals("ok", status.get("engine"), r::toString);
        assertEquals("ok", status.get("disk"), r::toString);
        assertEquals("ok", status.get("ports"), r::toString);
        assertTrue(status.containsKey("instances"), r::toString);
        try (DockerEngine engine = Cli.engine()) {
            assertTrue(Docker.client().listContainersCmd().withShowAll(true).withNameFilter(List.of(TestScope.container("doctor-")))
                    .exec().isEmpty(), "doctor left its container behind");
        }
    }

    @Test
    void doctor_names_the_endpoint_it_tried_and_exits_4_when_nothing_answers() {
        String socket = "unix://" + dir.resolve("no-engine.sock");
        Cli.Result r = DevDbProcess.start(dir, Map.of("DOCKER_HOST", socket),
                List.of(DevDbProcess.LAUNCHER.toString(), "doctor")).finish(120);
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("fail  engine     nothing answers at " + socket + " (DOCKER_HOST)"), r::toString);
        assertTrue(r.out().contains("fix: start the engine DOCKER_HOST names"), r::toString);
        assertTrue(r.err().contains("devdb: 1 check failed"), r::toString);
    }
}
