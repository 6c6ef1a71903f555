package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** prune removes expired and stopped instances, keeps the rest, and never touches foreign containers. */
class PruneIT {
    static final String IMAGE = "devdb-test/mariadb:10.11";
    static final List<String> INSTANCES = List.of("ci-prune-old", "ci-prune-keep", "ci-prune-stopped");
    /** Where instances of the run's scope would be, but created without devdb. */
    static final List<String> FOREIGN = List.of(TestScope.container("ci-prune-foreign-exited"),
            TestScope.container("ci-prune-foreign-running"));
    /** Matches the instances and, by container name, the foreign containers too. */
    static final String PATTERN = "*ci-prune-*";

    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final Map<String, String> foreignIds = new HashMap<>();

    @BeforeAll
    static void setUp() throws Exception {
        cli = new Cli(dir);
        engine = Cli.engine();
        tearDown();
        for (String name : FOREIGN) {
            boolean exits = name.endsWith("exited");
            String id = Docker.client().createContainerCmd(IMAGE)
                    .withName(name)
                    .withEntrypoint(exits ? List.of("true") : List.of("sleep", "600"))
                    .exec().getId();
            Docker.client().startContainerCmd(id).exec();
            foreignIds.put(name, id);
        }
        Docker.client().waitContainerCmd(foreignIds.get(FOREIGN.get(0))).start().awaitStatusCode();
    }

    @AfterAll
    static void tearDown() {
        for (String n : INSTANCES) {
            cli.run("down", n);
        }
        for (String name : FOREIGN) {
            engine.inspect(name).ifPresent(c -> Docker.client().removeContainerCmd(c.id()).withForce(true)
                    .withRemoveVolumes(true).exec());
        }
    }

    @Test
    void prune_removes_the_expired_and_the_stopped_and_leaves_the_rest() throws Exception {
        Cli.Result old = cli.run("up", "mariadb10", "--name", "ci-prune-old", "--ttl", "1s", "--no-wait", "-q");
        Cli.Result keep = cli.run("up", "mariadb10", "--name", "ci-prune-keep", "--ttl", "1h", "--no-wait", "-q");
        Cli.Result stopped = cli.run("up", "mariadb10", "--name", "ci-prune-stopped", "--no-wait", "-q");
        for (Cli.Result r : List.of(old, keep, stopped)) {
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals("", r.err(), "--quiet prints nothing but errors: " + r);
        }
        Docker.client().killContainerCmd(TestScope.container("ci-prune-stopped")).exec();
        String expires = engine.inspect(TestScope.container("ci-prune-old")).orElseThrow().label("devdb.expires");
        assertTrue(Long.parseLong(expires) <= System.currentTimeMillis() / 1000 + 1, expires);
        Thread.sleep(2100);

        Cli.Result dry = cli.run("prune", "--dry-run", "--json", PATTERN);
        assertEquals(0, dry.exitCode(), dry::toString);
        assertEquals(Map.of("ci-prune-old", "expired", "ci-prune-stopped", "stopped"), reasons(dry.json()), dry::toString);
        for (JsonNode p : dry.json()) {
            assertEquals(false, p.get("removed").asBoolean());
        }
        for (String n : INSTANCES) {
            assertTrue(engine.inspect(TestScope.container(n)).isPresent(), "dry run removed " + n);
        }

        Cli.Result prune = cli.run("prune", "--json", PATTERN);
        assertEquals(0, prune.exitCode(), prune::toString);
        assertEquals(Map.of("ci-prune-old", "expired", "ci-prune-stopped", "stopped"), reasons(prune.json()));
        assertTrue(prune.err().contains("devdb: removed 2 instances"), prune::toString);
        assertTrue(engine.inspect(TestScope.container("ci-prune-old")).isEmpty(), "expired instance left");
        assertTrue(engine.inspect(TestScope.container("ci-prune-stopped")).isEmpty(), "stopped instance left");
        assertTrue(engine.inspect(TestScope.container("ci-prune-keep")).orElseThrow().running(), "instance within its ttl removed");

        for (String name : FOREIGN) {
            ContainerInfo c = engine.inspect(name).orElseThrow(() -> new AssertionError("foreign " + name + " removed"));
            assertEquals(foreignIds.get(name), c.id());
            assertEquals(name.endsWith("exited") ? "exited" : "running", c.state());
        }

        Cli.Result again = cli.run("prune", PATTERN);
        assertEquals(0, again.exitCode(), again::toString);
        assertTrue(again.err().contains("nothing to prune"), again::toString);
    }

    static Map<String, String> reasons(JsonNode array) {
        Map<String, String> m = new HashMap<>();
        for (JsonNode p : array) {
            m.put(p.get("name").asText(), p.get("reason").asText());
        }
        return m;
    }
}
