package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class PsCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7");

    @Test
    void piped_ps_prints_one_tab_separated_row_per_instance_without_header() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        int port = cli.engine.container("devdb-mysql9").orElseThrow().hostPort();

        TestCli.Run run = cli.run("ps").exits(ExitCodes.OK);

        assertEquals(1, run.outLines().size(), run::describe);
        List<String> cells = Arrays.asList(run.outLines().get(0).split("\t", -1));
        assertEquals(8, cells.size(), run::describe);
        assertEquals("-", cells.get(7), run::describe);
        assertEquals(List.of("mysql9", "mysql9", "mysql", "9.7", "running", "127.0.0.1:" + port), cells.subList(0, 6),
                run::describe);
        assertNotNull(Durations.parse(cells.get(6)), run::describe);
        assertEquals("", run.err(), run::describe);
    }

    @Test
    void ps_ages_instances_by_the_clock() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        cli.clock.advance(java.time.Duration.ofSeconds(190));

        TestCli.Run run = cli.run("ps").exits(ExitCodes.OK);
        assertEquals("3m10s", run.outLines().get(0).split("\t", -1)[6], run::describe);
    }

    @Test
    void ps_shows_a_stopped_instance_without_an_address_and_skips_foreign_containers() {
        cli.engine.addContainer("devdb-old", "devdb-test/mysql:8.4", Map.of("devdb.managed", "true",
                "devdb.name", "old", "devdb.profile", "mysql8", "devdb.flavor", "mysql", "devdb.version", "8.4"),
                "exited");
        cli.engine.addContainer("devdb-foreign", "mysql:8.4", Map.of(), "running");

        TestCli.Run run = cli.run("ps").exits(ExitCodes.OK);

        assertEquals(1, run.outLines().size(), run::describe);
        List<String> cells = Arrays.asList(run.outLines().get(0).split("\t", -1));
        assertEquals(List.of("old", "mysql8", "mysql", "8.4", "exited", "-"), cells.subList(0, 6), run::describe);
        assertEquals("?", cells.get(7), run::describe);
    }

    @Test
    void piped_ps_without_instances_prints_nothing() {
        TestCli.Run run = cli.run("ps").exits(ExitCodes.OK);

        assertEquals("", run.out() + run.err(), run::describe);
    }

    @Test
    void ps_json_is_an_array_with_the_documented_fields() throws IOException {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        int port = cli.engine.container("devdb-mysql9").orElseThrow().hostPort();

        TestCli.Run run = cli.run("ps", "--json").exits(ExitCodes.OK);

        JsonNode json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(run.out());
        assertTrue(json.isArray(), run::describe);
        assertEquals(1, json.size(), run::describe);
        JsonNode i = json.get(0);
        List<String> fields = new ArrayList<>();
        i.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("name", "scope", "profile", "flavor", "version", "state", "host", "port", "container",
                "image", "created", "ageSeconds", "drift", "driftChanges", "engine"), fields, run::describe);
        assertTrue(i.get("drift").isArray() && i.get("drift").isEmpty(), run::describe);
        assertEquals("{\"endpoint\":\"unix:///fake/docker.sock\",\"chosenBy\":\"default\",\"context\":null}",
                i.get("engine").toString(), run::describe);
        assertEquals("mysql9", i.get("name").asText(), run::describe);
        assertEquals("running", i.get("state").asText(), run::describe);
        assertEquals(port, i.get("port").asInt(), run::describe);
        assertEquals("devdb-mysql9", i.get("container").asText(), run::describe);
        assertEquals("devdb-test/mysql:9.7", i.get("image").asText(), run::describe);
    }

    @Test
    void ps_json_without_instances_is_an_empty_array() throws IOException {
        TestCli.Run run = cli.run("ps", "--json").exits(ExitCodes.OK);

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertTrue(json.isArray() && json.isEmpty(), run::describe);
    }
}
