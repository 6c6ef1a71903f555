package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import dev.devdb.core.Labels;
import dev.devdb.engine.DockerEngine;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What `up` does when it cannot succeed: clear errors, documented exit codes, nothing left behind. */
class UpFailuresIT {
    @TempDir
    static Path dir;

    static DockerEngine engine;

    @BeforeAll
    static void connect() {
        engine = Cli.engine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void an_image_that_cannot_be_pulled_fails_with_exit_5_naming_it() {
        // Nothing listens on this port: the pull fails the way an unreachable mirror does.
        Cli cli = new Cli(dir, Map.of("DEVDB_REGISTRY", "127.0.0.1:1/nowhere"));
        Cli.Result r = cli.run("up", "mariadb10", "--name", "fail-pull");
        assertEquals(ExitCodes.IMAGE, r.exitCode(), r::toString);
        assertTrue(r.err().contains("127.0.0.1:1/nowhere/mariadb:10.11"), r::toString);
        assertTrue(r.err().lines().filter(l -> l.startsWith("devdb: cannot pull")).count() == 1, r::toString);
        assertTrue(engine.inspect(TestScope.container("fail-pull")).isEmpty());
    }

    @Test
    void pull_never_with_a_missing_image_fails_without_pulling() {
        Cli cli = new Cli(dir, Map.of("DEVDB_REGISTRY", "devdb-missing"));
        Cli.Result r = cli.run("up", "mariadb10", "--name", "fail-never", "--pull", "never");
        assertEquals(ExitCodes.IMAGE, r.exitCode(), r::toString);
        assertTrue(r.err().contains("--pull never"), r::toString);
    }

    @Test
    void a_port_in_use_fails_with_exit_6_and_leaves_nothing() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            Cli.Result r = new Cli(dir).run("up", "mariadb10", "--name", "fail-port", "--port",
                    Integer.toString(taken.getLocalPort()));
            assertEquals(ExitCodes.PORT_IN_USE, r.exitCode(), r::toString);
            assertTrue(r.err().contains("--port"), r::toString);
        }
        assertTrue(engine.inspect(TestScope.container("fail-port")).isEmpty(), "container left behind");
    }

    @Test
    void an_unreachable_engine_fails_with_exit_4_naming_the_endpoint() {
        Cli cli = new Cli(dir, Map.of("DOCKER_HOST", "unix:///nonexistent/docker.sock"));
        Cli.Result r = cli.run("ps");
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, r.exitCode(), r::toString);
        assertTrue(r.err().contains("unix:///nonexistent/docker.sock"), r::toString);
        assertTrue(r.err().contains("DOCKER_HOST"), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
    }

    @Test
    void a_docker_host_devdb_cannot_use_exits_2_naming_the_variable() {
        // a process of its own: the Docker client's config builder reads DOCKER_HOST from the real environment
        for (String host : new String[] {"notaurl", "tcp://", "http://127.0.0.1:1", "ssh://"}) {
            Cli.Result r = DevDbProcess.start(dir, Map.of("DOCKER_HOST", host),
                    java.util.List.of(DevDbProcess.LAUNCHER.toString(), "ps")).finish(120);
            assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
            assertEquals(1, r.err().lines().count(), r::toString);
            assertTrue(r.err().startsWith("devdb: DOCKER_HOST '" + host + "' "), r::toString);
        }
    }

    @Test
    void an_ssh_endpoint_nothing_answers_on_exits_4_naming_it() {
        Cli.Result r = DevDbProcess.start(dir, Map.of("DOCKER_HOST", "ssh://nobody@127.0.0.1:1"),
                java.util.List.of(DevDbProcess.LAUNCHER.toString(), "ps")).finish(120);
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, r.exitCode(), r::toString);
        assertEquals(1, r.err().lines().count(), r::toString);
        assertTrue(r.err().startsWith("devdb: cannot reach the Docker engine at ssh://nobody@127.0.0.1:1 (DOCKER_HOST): "),
                r::toString);
    }

    @Test
    void docker_built_in_networks_are_refused_with_exit_2_before_anything_is_created() {
        for (String profile : new String[] {"mysql9", "mariadb10"}) {
            for (String network : new String[] {"host", "none", "bridge"}) {
                String name = "fail-net-" + network + "-" + profile;
                Cli.Result r = new Cli(dir).run("up", profile, "--name", name, "--network", network);
                assertEquals(ExitCodes.USAGE, r.exitCode(), r::toString);
                assertEquals("devdb: --network " + network + " is one of Docker's built-in networks (bridge, host,"
                        + " none), which give a container no host name of its own: create a network (docker network"
                        + " create NET) and give that; the port is published on 127.0.0.1 either way",
                        r.err().strip(), r::toString);
                assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), "container left behind");
            }
        }
    }

    @Test
    void wait_on_a_server_killed_while_it_starts_says_it_was_killed() {
        Cli cli = new Cli(dir);
        String name = "fail-killed";
        Cli.Result up = cli.run("up", "mariadb10", "--name", name, "--no-wait");
        assertEquals(0, up.exitCode(), up::toString);
        try {
            engine.kill(TestScope.container(name));
            Cli.Result r = cli.run("wait", name, "--timeout", "60s");
            assertEquals(ExitCodes.SERVER_FAILED, r.exitCode(), r::toString);
            assertEquals("devdb: the server in " + name + " stopped while starting (exit code 137): it was killed with "
                    + "SIGKILL, by `docker kill` or by the out-of-memory killer (the container ran out of memory)",
                    r.err().strip(), r::toString);
        } finally {
            cli.run("down", name);
        }
    }

    @Test
    void ctrl_c_while_the_server_starts_leaves_no_container() throws Exception {
        // once the container exists and its server is starting
        Cli.Result r = Cli.interruptAt(dir, "waiting for", () -> assertTrue(
                engine.inspect(TestScope.container("interrupted")).isPresent(), "the container should exist by now"),
                "up", "mysql9", "--name", "interrupted");
        assertTrue(r.err().contains("waiting for"), r::toString);
        assertEquals(130, r.exitCode(), r::toString);
        assertTrue(engine.inspect(TestScope.container("interrupted")).isEmpty(), "Ctrl-C left the container behind");
    }

    /**
     * SIGINT as soon as {@code up} says it is at a step: at "creating" the create request is on its
     * way, and the engine may make the container after the clean-up has started.
     */
    @ParameterizedTest
    @CsvSource({"mysql9, creating ", "mysql9, starting ", "mysql9, waiting for",
        "mariadb10, creating ", "mariadb10, starting ", "mariadb10, waiting for"})
    void sigint_at_any_step_of_up_leaves_nothing_with_its_labels(String profile, String step) throws Exception {
        String name = "sigint-" + profile + "-" + step.strip().split(" ")[0];
        Cli.Result r = Cli.interruptAt(dir, step, () -> { }, "up", profile, "--name", name);
        assertTrue(r.err().contains(step), r::toString);
        assertEquals(130, r.exitCode(), r::toString);
        assertEquals(java.util.List.of(), engine.list(Map.of(Labels.MANAGED, "true", Labels.NAME, name)),
                () -> "SIGINT at '" + step + "' left a container behind\n" + r.err());
    }

    /** SIGINT while a cold up records its prepared copy over the server's port: nothing is left, no cache entry made. */
    @ParameterizedTest
    @CsvSource({"mysql9", "mariadb10"})
    void sigint_while_a_cold_up_records_its_prepared_copy_leaves_nothing_with_its_labels(String profile)
            throws Exception {
        String name = "sigint-cold-" + profile;
        // a seed of its own makes the up a cold one
        Path seed = java.nio.file.Files.writeString(dir.resolve(name + ".sql"), "CREATE TABLE t (v VARCHAR(32));\n"
                + "INSERT INTO t VALUES ('" + Long.toHexString(System.nanoTime()) + "');\n");
        String step = "preparing a copy";
        Cli.Result r = Cli.interruptAt(dir, step, () -> { }, "up", profile, "--name", name, "--init", seed.toString());
        assertTrue(r.err().contains(step), r::toString);
        assertEquals(130, r.exitCode(), r::toString);
        assertEquals(java.util.List.of(), engine.list(Map.of(Labels.MANAGED, "true", Labels.NAME, name)),
                () -> "SIGINT at '" + step + "' left a container behind\n" + r.err());
        assertTrue(r.err().lines().noneMatch(l -> l.contains("keeping the initialised data")), r::toString);
    }
}
