package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Podman's Docker-compatible API (.ci/engines/podman.sh: rootful, `podman system service` on a socket of
 * its own, devdb-test/mariadb:11.8 loaded with `docker save | podman load`): one MariaDB instance goes
 * through up, shell, logs, the cache, snapshot, reset and down, and what Podman does differently (image
 * names, labels on commits) does not show.
 */
class PodmanIT {
    static final String NAME = "ci-podman";
    static final Path SOCKET = Path.of(System.getenv().getOrDefault("DEVDB_IT_PODMAN_SOCKET",
            "/run/devdb-podman/podman.sock"));

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void podmanAnswers() {
        assumeTrue(Files.exists(SOCKET) && accepts(SOCKET), "no Podman service at " + SOCKET
                + ": start one with `.ci/engines/podman.sh start` (as root; .ci/run does)");
        cli = new Cli(dir, Map.of("DOCKER_HOST", "unix://" + SOCKET));
        cli.run("down", NAME);
    }

    static boolean accepts(Path socket) {
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            return c.connect(UnixDomainSocketAddress.of(socket));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @AfterAll
    static void removeWhatTheRunMadeInPodman() {
        if (cli != null) {
            cli.run("down", "--all", "-q");
            Cli.Result snapshots = cli.run("snapshot", "ls", "--json");
            if (snapshots.exitCode() == 0) {
                snapshots.json().forEach(s -> cli.run("snapshot", "rm", s.get("tag").asText()));
            }
            cli.run("cache", "prune");
        }
    }

    static int rows(JsonNode instance) throws Exception {
        try (Connection c = Cli.connect(instance)) {
            return Integer.parseInt(Cli.scalar(c, "SELECT COUNT(*) FROM t"));
        }
    }

    @Test
    void up_shell_logs_cache_snapshot_reset_and_down_work_on_podman() throws Exception {
        Cli.Result doctor = cli.run("doctor");
        assertTrue(doctor.out().contains("unix://" + SOCKET + " (DOCKER_HOST): Podman "), doctor::toString);

        Cli.Result up = cli.run("up", "mariadb11", "--name", NAME, "--json");
        assertEquals(0, up.exitCode(), up::toString);
        JsonNode instance = up.json();
        try (Connection c = Cli.connect(instance); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (i INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1), (2)");
        }
        Cli.Result shell = cli.run("shell", NAME, "-e", "SELECT SUM(i) AS total FROM t");
        assertEquals(0, shell.exitCode(), shell::toString);
        assertTrue(shell.out().contains("3"), shell::toString);
        Cli.Result logs = cli.run("logs", NAME);
        assertEquals(0, logs.exitCode(), logs::toString);
        assertTrue(logs.out().contains("ready for connections"), logs::toString);

        // Podman names the committed entry docker.io/library/devdb-cache:KEY and takes its labels only as
        // instructions: devdb lists it as Docker shows it
        Cli.Result cache = cli.run("cache", "ls", "--json");
        assertEquals(0, cache.exitCode(), cache::toString);
        assertTrue(cache.json().size() >= 1, "no cache entry listed: " + cache);
        assertEquals("devdb-test/mariadb:11.8", cache.json().get(0).get("baseImage").asText(), cache::toString);

        Cli.Result save = cli.run("snapshot", "save", NAME, "two-rows");
        assertEquals(0, save.exitCode(), save::toString);
        Cli.Result listed = cli.run("snapshot", "ls", "--json");
        assertEquals("two-rows", listed.json().get(0).get("tag").asText(), listed::toString);
        try (Connection c = Cli.connect(instance); Statement s = c.createStatement()) {
            s.execute("DELETE FROM t");
        }
        Cli.Result restore = cli.run("snapshot", "restore", NAME, "two-rows");
        assertEquals(0, restore.exitCode(), restore::toString);
        assertEquals(2, rows(instance));
        Cli.Result rm = cli.run("snapshot", "rm", "two-rows");
        assertEquals(0, rm.exitCode(), rm::toString);

        Cli.Result reset = cli.run("reset", NAME);
        assertEquals(0, reset.exitCode(), reset::toString);
        Cli.Result tables = cli.run("shell", NAME, "-e", "SHOW TABLES");
        assertEquals(0, tables.exitCode(), tables::toString);
        assertTrue(tables.out().isBlank(), "a reset instance has no table t: " + tables);

        Cli.Result down = cli.run("down", NAME);
        assertEquals(0, down.exitCode(), down::toString);
        assertEquals(ExitCodes.NO_INSTANCE, cli.run("shell", NAME, "-e", "SELECT 1").exitCode());
    }
}
