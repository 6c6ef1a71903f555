package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import dev.devdb.error.ExitCodes;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Podman's Docker-compatible API (.ci/engines/podman.sh: rootful, `podman system service` on a socket of
 * its own, netavark with aardvark-dns, devdb-test/mysql:9.7 and devdb-test/mariadb:11.8 loaded with
 * `docker save | podman load`). On each flavour, one instance through shell, logs, the cache, snapshot
 * save and restore, the removal of the snapshot it runs on, reset and down; on MariaDB, a primary with a
 * replica that finds it by name on the topology's network. What Podman does differently (image names, labels on
 * commits, removing an image a container uses) does not show.
 */
class PodmanIT {
    static final Path SOCKET = Path.of(System.getenv().getOrDefault("DEVDB_IT_PODMAN_SOCKET",
            "/run/devdb-podman/podman.sock"));

    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;

    @BeforeAll
    static void podmanAnswers() {
        ExtraEngines.expect(Files.exists(SOCKET) && accepts(SOCKET), "no Podman service at " + SOCKET
                + ": start one with `.ci/engines/podman.sh start` (as root; .ci/run does)");
        Map<String, String> env = Map.of("DOCKER_HOST", "unix://" + SOCKET);
        cli = new Cli(dir, env);
        engine = DockerEngine.connect(env);
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
            cli.run("cache", "prune", "--all");
            engine.close();
        }
    }

    /** MySQL 9.7 and MariaDB 11.8, as far as {@code devdb.it.versions} keeps them. */
    static Stream<String> servers() {
        return Versions.all().filter(p -> p.equals("mysql9") || p.equals("mariadb11"));
    }

    private static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    private static String image(String base) {
        Versions.Server server = Versions.of(base);
        return "devdb-test/" + (server.mysql() ? "mysql" : "mariadb") + ":" + server.version();
    }

    private static int rows(JsonNode instance) throws SQLException {
        try (Connection c = Cli.connect(instance)) {
            return Integer.parseInt(Cli.scalar(c, "SELECT COUNT(*) FROM t"));
        }
    }

    @Test
    void doctor_names_podman_and_the_socket() {
        Cli.Result doctor = ok(cli.run("doctor"));
        assertTrue(doctor.out().contains("unix://" + SOCKET + " (DOCKER_HOST): Podman "), doctor::toString);
    }

    /**
     * What Podman changes for a topology is its network: names resolve through aardvark-dns, the same for
     * both flavours (replication itself, per flavour and version, is ReplicationIT's), so once, on MariaDB.
     */
    @Test
    void a_replica_finds_its_source_by_name_on_the_topology_network() throws Exception {
        String base = "mariadb11";
        assumeTrue(servers().anyMatch(base::equals), "devdb.it.versions leaves " + base + " out");
        String name = "pod-rep-" + base;
        JsonNode primary = ok(cli.run("up", base, "--name", name, "--replicas", "1", "--json")).json();
        JsonNode replica = primary.get("replicas").get(0);
        assertTrue(engine.networkExists(TestScope.container(name)), "no topology network");
        try (Connection c = Cli.connect(primary); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (i INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1), (2)");
        }
        assertEquals("3", Cli.awaitScalar(replica, "SELECT SUM(i) FROM t"));

        Cli.Result ps = ok(cli.run("ps", "--json"));
        for (JsonNode i : ps.json()) {
            if (i.get("name").asText().equals(replica.get("name").asText())) {
                assertEquals("replica", i.get("role").asText(), ps::toString);
                assertEquals(name, i.get("source").asText(), ps::toString);
                assertEquals("Yes", i.get("ioThread").asText(), ps::toString);
            }
        }

        ok(cli.run("down", name));
        for (String member : List.of(name, replica.get("name").asText())) {
            assertTrue(engine.inspect(TestScope.container(member)).isEmpty(), member + " left behind");
        }
        assertFalse(engine.networkExists(TestScope.container(name)), "network left behind");
    }

    @ParameterizedTest
    @MethodSource("servers")
    void up_shell_logs_cache_snapshot_reset_and_down_work_on_podman(String base) throws Exception {
        String name = "pod-" + base;
        String tag = "two-rows-" + base;
        JsonNode instance = ok(cli.run("up", base, "--name", name, "--json")).json();
        try (Connection c = Cli.connect(instance); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (i INT PRIMARY KEY)");
            s.execute("INSERT INTO t VALUES (1), (2)");
        }
        Cli.Result shell = ok(cli.run("shell", name, "-e", "SELECT SUM(i) AS total FROM t"));
        assertEquals(List.of("total", "3"), shell.out().lines().toList(), shell::toString);
        Cli.Result logs = ok(cli.run("logs", name));
        assertTrue(logs.out().contains("ready for connections"), logs::toString);

        // Podman names the committed entry docker.io/library/devdb-cache:KEY and the loaded image
        // localhost/devdb-test/...: devdb shows both as Docker does
        Cli.Result cache = ok(cli.run("cache", "ls", "--json"));
        boolean listed = false;
        for (JsonNode e : cache.json()) {
            listed |= e.get("baseImage").asText().equals(image(base));
        }
        assertTrue(listed, "no cache entry of " + image(base) + ": " + cache);

        ok(cli.run("snapshot", "save", name, tag));
        Cli.Result snapshots = ok(cli.run("snapshot", "ls", "--json"));
        JsonNode saved = null;
        for (JsonNode s : snapshots.json()) {
            saved = s.get("tag").asText().equals(tag) ? s : saved;
        }
        assertTrue(saved != null, snapshots::toString);
        assertEquals(image(base), saved.get("image").asText(), snapshots::toString);
        try (Connection c = Cli.connect(instance); Statement s = c.createStatement()) {
            s.execute("DELETE FROM t");
        }
        ok(cli.run("snapshot", "restore", name, tag));
        assertEquals(2, rows(instance));
        // the instance now runs on the snapshot's image: removing the snapshot leaves it running
        ok(cli.run("snapshot", "rm", tag));
        assertEquals(2, rows(instance));

        ok(cli.run("reset", name));
        Cli.Result tables = ok(cli.run("shell", name, "-e", "SHOW TABLES"));
        assertTrue(tables.out().isBlank(), "a reset instance has no table t: " + tables);

        ok(cli.run("down", name));
        assertEquals(ExitCodes.NO_INSTANCE, cli.run("shell", name, "-e", "SELECT 1").exitCode());
        assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), name + " left behind");
    }
}
