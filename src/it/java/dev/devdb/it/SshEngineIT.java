package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DOCKER_HOST=ssh://root@127.0.0.1:PORT: an sshd on this machine (.ci/engines/sshd.sh) in front of the
 * first engine, reached with a key made here, as devdb would reach an engine on another host. One MySQL
 * instance goes through up, shell, logs, snapshot, reset and down; ssh's refusals fail with exit code 4.
 */
class SshEngineIT {
    static final String NAME = "ci-ssh";
    static final Path SSHD = Path.of(System.getenv().getOrDefault("DEVDB_IT_SSHD_DIR", "/run/devdb-sshd"));

    @TempDir
    static Path dir;

    static String endpoint;
    static String publicKey;
    static Path key;
    static Cli cli;

    @BeforeAll
    static void keyAuthorizedForRoot() throws Exception {
        assumeTrue(Files.isReadable(SSHD.resolve("port")) && Files.isWritable(SSHD.resolve("authorized_keys")),
                "no test sshd at " + SSHD + ": start one with `.ci/engines/sshd.sh start` (as root; .ci/run does)");
        endpoint = "ssh://root@127.0.0.1:" + Files.readString(SSHD.resolve("port")).strip();
        key = keygen("key");
        publicKey = Files.readString(dir.resolve("key.pub"));
        Files.writeString(SSHD.resolve("authorized_keys"), publicKey, StandardOpenOption.APPEND);
        cli = new Cli(dir, Map.of("DOCKER_HOST", endpoint, "DEVDB_SSH_COMMAND", ssh(key, SSHD.resolve("known_hosts"))));
        cli.run("down", NAME);
    }

    @AfterAll
    static void down() throws IOException {
        if (cli != null) {
            cli.run("down", NAME);
            String keys = Files.readString(SSHD.resolve("authorized_keys"));
            Files.writeString(SSHD.resolve("authorized_keys"), keys.replace(publicKey, ""));
        }
    }

    static Path keygen(String name) throws Exception {
        Path file = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "devdb-it", "-f",
                file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0,
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        return file;
    }

    /** The ssh command devdb runs: this key only, this known_hosts only, nothing from ~/.ssh/config. */
    static String ssh(Path identity, Path knownHosts) {
        return "ssh -F /dev/null -o IdentitiesOnly=yes -i " + identity + " -o UserKnownHostsFile=" + knownHosts
                + " -o StrictHostKeyChecking=yes";
    }

    static int rows(JsonNode instance) throws Exception {
        try (Connection c = Cli.connect(instance)) {
            return Integer.parseInt(Cli.scalar(c, "SELECT COUNT(*) FROM t"));
        }
    }

    static JsonNode listed() {
        Cli.Result ps = cli.run("ps", "--json");
        assertEquals(0, ps.exitCode(), ps::toString);
        for (JsonNode i : ps.json()) {
            if (i.get("name").asText().equals(NAME)) {
                return i;
            }
        }
        throw new AssertionError(NAME + " not listed: " + ps);
    }

    @Test
    void up_shell_logs_snapshot_reset_and_down_work_through_ssh() throws Exception {
        Cli.Result up = cli.run("up", "mysql9", "--name", NAME, "--json");
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

        Cli.Result save = cli.run("snapshot", "save", NAME, "two-rows");
        assertEquals(0, save.exitCode(), save::toString);
        try (Connection c = Cli.connect(instance); Statement s = c.createStatement()) {
            s.execute("DELETE FROM t");
        }
        Cli.Result restore = cli.run("snapshot", "restore", NAME, "two-rows");
        assertEquals(0, restore.exitCode(), restore::toString);
        assertEquals(instance.get("port").asInt(), listed().get("port").asInt(), "the port a restore keeps");
        assertEquals(2, rows(instance));
        assertEquals(0, cli.run("snapshot", "rm", "two-rows").exitCode());

        Cli.Result reset = cli.run("reset", NAME);
        assertEquals(0, reset.exitCode(), reset::toString);
        Cli.Result tables = cli.run("shell", NAME, "-e", "SHOW TABLES");
        assertEquals(0, tables.exitCode(), tables::toString);
        assertTrue(tables.out().isBlank(), "a reset instance has no table t: " + tables);

        Cli.Result down = cli.run("down", NAME);
        assertEquals(0, down.exitCode(), down::toString);
        assertEquals(ExitCodes.NO_INSTANCE, cli.run("shell", NAME, "-e", "SELECT 1").exitCode());
    }

    @Test
    void an_unknown_host_key_fails_with_exit_4_saying_so_and_leaves_nothing_running() throws Exception {
        Path empty = Files.createFile(dir.resolve("known_hosts_empty"));
        Cli strict = new Cli(dir, Map.of("DOCKER_HOST", endpoint, "DEVDB_SSH_COMMAND", ssh(key, empty)));
        Cli.Result ps = strict.run("ps");
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, ps.exitCode(), ps::toString);
        assertEquals(List.of("devdb: cannot reach the Docker engine at " + endpoint + " (DOCKER_HOST): ssh does not"
                + " know the host key of [127.0.0.1]:" + endpoint.substring(endpoint.lastIndexOf(':') + 1)
                + " (devdb runs ssh in batch mode and never accepts a key itself); connect once with `ssh -p "
                + endpoint.substring(endpoint.lastIndexOf(':') + 1) + " root@127.0.0.1`, check the key and accept"
                + " it, or add it to ~/.ssh/known_hosts (ssh-keyscan)"), ps.err().lines().toList());
        assertEquals(0, Files.size(empty), "devdb never adds a host key");
    }

    @Test
    void a_key_the_host_refuses_fails_with_exit_4_naming_user_and_methods() throws Exception {
        Path stranger = keygen("stranger");
        Cli refused = new Cli(dir, Map.of("DOCKER_HOST", endpoint, "DEVDB_SSH_COMMAND",
                ssh(stranger, SSHD.resolve("known_hosts"))));
        Cli.Result ps = refused.run("ps");
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, ps.exitCode(), ps::toString);
        assertTrue(ps.err().startsWith("devdb: cannot reach the Docker engine at " + endpoint + " (DOCKER_HOST): "
                + "[127.0.0.1]:"), ps::toString);
        assertTrue(ps.err().contains("refused authentication as root (publickey)"), ps::toString);
    }
}
