package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Many devdb processes at once on one engine, as parallel CI jobs on one runner. */
class ParallelUpIT {
    static final int COUNT = 10;

    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final List<String> names = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
        for (int n = 1; n <= COUNT; n++) {
            names.add("ci-par" + n);
        }
        names.add("ci-race");
        for (String n : names) {
            cli.run("down", n);
        }
    }

    @AfterAll
    static void tearDown() {
        for (String n : names) {
            cli.run("down", n);
        }
        engine.close();
    }

    @Test
    void ten_ups_at_once_all_come_up_on_distinct_ports_without_errors() throws Exception {
        List<DevDbProcess> running = new ArrayList<>();
        for (String n : names.subList(0, COUNT)) {
            running.add(DevDbProcess.devdb(dir, "up", "mysql9", "--name", n, "--json", "--timeout", "400s",
                    "--ttl", "30m"));
        }
        List<JsonNode> results = new ArrayList<>();
        for (DevDbProcess p : running) {
            Cli.Result r = p.finish(600);
            assertEquals(0, r.exitCode(), r::toString);
            assertFalse(r.err().toLowerCase().contains("error") || r.err().toLowerCase().contains("warn"),
                    r::toString);
            results.add(r.json());
        }
        Set<Integer> ports = new HashSet<>();
        Set<String> servers = new HashSet<>();
        for (int i = 0; i < COUNT; i++) {
            JsonNode json = results.get(i);
            assertEquals(names.get(i), json.get("name").asText());
            assertTrue(json.get("ready").asBoolean());
            ports.add(json.get("port").asInt());
            try (Connection c = Cli.connect(json)) {
                servers.add(Cli.scalar(c, "SELECT @@hostname"));
                try (var s = c.createStatement()) {
                    s.execute("CREATE TABLE owner (name VARCHAR(20))");
                    s.execute("INSERT INTO owner VALUES ('" + names.get(i) + "')");
                }
            }
        }
        assertEquals(COUNT, ports.size(), "ports: " + ports);
        assertEquals(COUNT, servers.size(), "server host names (container ids): " + servers);
        for (int i = 0; i < COUNT; i++) {
            try (Connection c = Cli.connect(results.get(i))) {
                assertEquals(names.get(i), Cli.scalar(c, "SELECT GROUP_CONCAT(name) FROM owner"));
            }
        }

        JsonNode ps = cli.run("ps", "--json").json();
        int listed = 0;
        for (JsonNode row : ps) {
            int i = names.indexOf(row.get("name").asText());
            if (i >= 0 && i < COUNT) {
                listed++;
                assertEquals("running", row.get("state").asText());
                assertEquals(results.get(i).get("port").asInt(), row.get("port").asInt());
            }
        }
        assertEquals(COUNT, listed, ps::toString);
    }

    @Test
    void two_ups_of_one_name_at_once_end_with_one_instance_and_one_clear_error() {
        DevDbProcess a = DevDbProcess.devdb(dir, "up", "mariadb10", "--name", "ci-race", "--json", "--timeout", "300s");
        DevDbProcess b = DevDbProcess.devdb(dir, "up", "mariadb10", "--name", "ci-race", "--json", "--timeout", "300s");
        List<Cli.Result> results = List.of(a.finish(400), b.finish(400));
        List<Cli.Result> ok = results.stream().filter(r -> r.exitCode() == 0).toList();
        List<Cli.Result> failed = results.stream().filter(r -> r.exitCode() != 0).toList();
        assertEquals(1, ok.size(), results::toString);
        assertEquals(1, failed.size(), results::toString);
        Cli.Result error = failed.get(0);
        assertEquals(ExitCodes.NAME_CONFLICT, error.exitCode(), error::toString);
        assertEquals("", error.out(), "nothing on stdout when up fails");
        assertTrue(error.err().lines().anyMatch(l -> l.startsWith("devdb: instance ci-race ")
                && l.contains("devdb wait ci-race")), error::toString);

        assertEquals(1, engine.list(Map.of("devdb.name", "ci-race")).size());
        String id = engine.inspect(TestScope.container("ci-race")).orElseThrow().id();
        assertTrue(engine.inspect(id).orElseThrow().running());

        Cli.Result repeat = cli.run("up", "mariadb10", "--name", "ci-race", "--json");
        assertEquals(0, repeat.exitCode(), "once the first finished, a repeat up shares it: " + repeat);
        assertEquals(ok.get(0).json().get("port").asInt(), repeat.json().get("port").asInt());
    }
}
