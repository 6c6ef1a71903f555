package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.Endpoint;
import dev.devdb.engine.Endpoints;
import dev.devdb.error.DevDbException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * devdb on a second Docker engine, reached through a Docker context over TCP with TLS (client key in
 * PKCS#1, as docker-machine writes it): the engine {@code .ci/engines/second-dockerd.sh start} runs
 * on 127.0.0.1:2376. Skipped, saying so, where that engine does not run.
 */
class RemoteEngineIT {
    /** The context the script writes, in the docker configuration directory it writes. */
    static final String CONTEXT = "devdb-second";
    static final String PROFILE = "mariadb105";

    @TempDir
    static Path dir;

    static Cli remote;
    static Map<String, String> env;

    @BeforeAll
    static void secondEngine() {
        String configured = System.getenv("DEVDB_IT_SECOND_ENGINE_CONFIG");
        Path config = Path.of(configured != null && !configured.isBlank() ? configured
                : "/var/lib/devdb-second-engine/config");
        env = new HashMap<>();
        env.put("DOCKER_HOST", "");
        env.put("DOCKER_CONFIG", config.toString());
        env.put("DOCKER_CONTEXT", CONTEXT);
        String skip = "no second Docker engine: start one with `sudo bash .ci/engines/second-dockerd.sh start`"
                + " (it writes the context " + CONTEXT + " in " + config
                + "; DEVDB_IT_SECOND_ENGINE_CONFIG names another directory)";
        ExtraEngines.expect(Files.isDirectory(config.resolve("contexts")), skip);
        try (DockerEngine engine = DockerEngine.connect(env)) {
            engine.version();
        } catch (DevDbException e) {
            ExtraEngines.expect(false, skip + ": " + e.getMessage());
        }
        remote = new Cli(dir, env);
    }

    @AfterAll
    static void tearDown() {
        if (remote == null) {
            return;
        }
        remote.run("down", "--all", "-q");
        Cli.Result snapshots = remote.run("snapshot", "ls", "--json");
        if (snapshots.exitCode() == 0) {
            snapshots.json().forEach(s -> remote.run("snapshot", "rm", s.get("tag").asText()));
        }
        remote.run("cache", "prune", "--all");
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    private static String count(Connection c) throws Exception {
        return Cli.scalar(c, "SELECT COUNT(*) FROM items");
    }

    @Test
    void up_shell_logs_snapshot_reset_and_down_work_through_a_context_over_tls() throws Exception {
        Endpoint endpoint = Endpoints.resolve(env);
        assertEquals("tcp://127.0.0.1:2376 (DOCKER_CONTEXT=" + CONTEXT + ")", endpoint.toString());
        assertTrue(endpoint.tls() != null && endpoint.tls().cert() != null, endpoint::toString);
        assertTrue(Files.readString(endpoint.tls().key()).contains("BEGIN RSA PRIVATE KEY"), "a PKCS#1 key");

        String name = "remote";
        JsonNode up = ok(remote.run("up", PROFILE, "--name", name, "--json")).json();
        String container = TestScope.container(name);
        try (DockerEngine first = Cli.engine(); DockerEngine second = DockerEngine.connect(env)) {
            assertTrue(second.inspect(container).isPresent(), "the instance is in the second engine");
            assertTrue(first.inspect(container).isEmpty(), "the instance is not in the first engine");
        }
        JsonNode ps = ok(remote.run("ps", "--json")).json();
        assertEquals(1, ps.size(), ps::toString);
        JsonNode where = ps.get(0).get("engine");
        assertEquals("tcp://127.0.0.1:2376", where.get("endpoint").asText(), ps::toString);
        assertEquals("DOCKER_CONTEXT", where.get("chosenBy").asText(), ps::toString);
        assertEquals(CONTEXT, where.get("context").asText(), ps::toString);

        try (Connection c = Cli.connect(up); Statement s = c.createStatement()) {
            assertTrue(Cli.scalar(c, "SELECT VERSION()").startsWith("10.5."));
            s.execute("CREATE TABLE items (id INT PRIMARY KEY)");
            s.execute("INSERT INTO items VALUES (1), (2)");
        }
        Cli.Result shell = ok(remote.run("shell", name, "-e", "SELECT COUNT(*) AS n FROM items"));
        assertEquals("n\n2\n", shell.out(), shell::toString);

        Cli.Result logs = ok(remote.run("logs", name, "--tail", "200"));
        assertTrue(logs.out().contains("ready for connections"), logs::toString);

        ok(remote.run("snapshot", "save", name, "two"));
        try (Connection c = Cli.connect(up); Statement s = c.createStatement()) {
            s.execute("INSERT INTO items VALUES (3)");
            assertEquals("3", count(c));
        }
        ok(remote.run("snapshot", "restore", name, "two"));
        try (Connection c = Cli.connect(up)) {
            assertEquals("2", count(c), "the snapshot's rows, on the same port and credentials");
        }
        ok(remote.run("reset", name));
        try (Connection c = Cli.connect(up)) {
            assertEquals("0", Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = '"
                    + up.get("database").asText() + "' AND table_name = 'items'"), "reset: the table is gone");
        }

        ok(remote.run("down", name));
        try (DockerEngine second = DockerEngine.connect(env)) {
            assertTrue(second.inspect(container).isEmpty(), "down removed it from the second engine");
        }
    }

    @Test
    void doctor_names_the_endpoint_and_the_context_that_chose_it() {
        Cli.Result doctor = remote.run("doctor", "--json");
        JsonNode engine = doctor.json().get(0);
        assertEquals("engine", engine.get("check").asText(), doctor::toString);
        assertEquals("ok", engine.get("status").asText(), doctor::toString);
        assertTrue(engine.get("detail").asText().startsWith("tcp://127.0.0.1:2376 (DOCKER_CONTEXT=" + CONTEXT + "): Docker "),
                doctor::toString);
    }

    @Test
    void a_missing_context_exits_2_and_an_engine_that_does_not_answer_exits_4_naming_it() throws Exception {
        Map<String, String> missing = new HashMap<>(env);
        missing.put("DOCKER_CONTEXT", "no-such-context");
        Cli.Result r = new Cli(dir, missing).run("ps");
        assertEquals(2, r.exitCode(), r::toString);
        assertTrue(r.err().startsWith("devdb: the Docker context no-such-context (DOCKER_CONTEXT) does not exist"),
                r::toString);

        Map<String, String> closed = new HashMap<>(env);
        closed.put("DOCKER_HOST", "tcp://127.0.0.1:1");
        Cli.Result down = new Cli(dir, closed).run("ps");
        assertEquals(4, down.exitCode(), down::toString);
        assertTrue(down.err().startsWith("devdb: cannot reach the Docker engine at tcp://127.0.0.1:1 (DOCKER_HOST): "),
                down::toString);
    }
}
