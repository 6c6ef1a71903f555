package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import dev.devdb.error.ExitCodes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * DOCKER_HOST=ssh://root@HOST:PORT: an sshd on this machine (.ci/engines/sshd.sh) in front of the first
 * engine, reached with keys made here, as devdb would reach an engine on another host. Each flavour goes
 * through up, shell, logs, snapshot, reset and down with the endpoint naming a host that is not this
 * machine's loopback (ssh is told its address, 127.0.0.1), so the port is "on the other host" and the
 * client connects through the forward devdb prints; ssh's refusals, a host without docker and Ctrl-C are
 * tested on ssh://root@127.0.0.1:PORT.
 */
class SshEngineIT {
    static final Path SSHD = Path.of(System.getenv().getOrDefault("DEVDB_IT_SSHD_DIR", "/run/devdb-sshd"));
    /** The engine's host as the endpoint names it: a name of the reserved .test domain, which ssh reaches at 127.0.0.1. */
    static final String OTHER_HOST = "engine.devdb-it.test";
    /**
     * Where the instances on "the other host" publish their ports: that host's loopback, though not the address
     * 127.0.0.1 this machine uses for the forward's end (both are this machine's loopback here).
     */
    static final String OTHER_LOOPBACK = "127.0.0.2";

    @TempDir
    static Path dir;

    static String port;
    static String endpoint;
    static Path key;
    static Path knownHosts;
    static final List<String> authorized = new ArrayList<>();
    /** devdb on ssh://root@127.0.0.1:PORT. */
    static Cli cli;
    /** devdb on ssh://root@OTHER_HOST:PORT. */
    static Cli other;
    /** devdb on the first engine's own socket, for checking what is left. */
    static Cli local;

    @BeforeAll
    static void keysAuthorizedForRoot() throws Exception {
        ExtraEngines.expect(Files.isReadable(SSHD.resolve("port")) && Files.isWritable(SSHD.resolve("authorized_keys")),
                "no test sshd at " + SSHD + ": start one with `.ci/engines/sshd.sh start` (as root; .ci/run does)");
        port = Files.readString(SSHD.resolve("port")).strip();
        endpoint = "ssh://root@127.0.0.1:" + port;
        knownHosts = SSHD.resolve("known_hosts");
        key = keygen("key");
        authorize(Files.readString(dir.resolve("key.pub")).strip());
        cli = new Cli(dir, Map.of("DOCKER_HOST", endpoint, "DEVDB_SSH_COMMAND", ssh(key, knownHosts)));
        other = new Cli(dir, Map.of("DOCKER_HOST", "ssh://root@" + OTHER_HOST + ":" + port, "DEVDB_SSH_COMMAND",
                ssh(key, knownHosts) + " -o HostName=127.0.0.1"));
        local = new Cli(dir);
    }

    @AfterAll
    static void down() throws IOException {
        if (local != null) {
            local.run("down", "--all", "-q");
            String keys = Files.readString(SSHD.resolve("authorized_keys"));
            for (String line : authorized) {
                keys = keys.replace(line + "\n", "");
            }
            Files.writeString(SSHD.resolve("authorized_keys"), keys);
        }
    }

    static void authorize(String line) throws IOException {
        authorized.add(line);
        Files.writeString(SSHD.resolve("authorized_keys"), line + "\n", StandardOpenOption.APPEND);
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

    static Cli.Result ok(Cli.Result r) {
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    /** Runs the test's ssh with these arguments, and waits for it. */
    static void runSsh(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of((ssh(key, knownHosts) + " -o HostName=127.0.0.1 -o BatchMode=yes")
                .split(" ")));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "ssh did not finish: " + command);
        assertEquals(0, p.exitValue(), command + ": " + said);
    }

    static String count(Connection c) throws SQLException {
        return Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = DATABASE()"
                + " AND table_name = 't'").equals("0") ? "no table" : Cli.scalar(c, "SELECT COUNT(*) FROM t");
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#flavours")
    void up_shell_logs_snapshot_reset_and_down_work_through_ssh_and_the_printed_forward(String profile)
            throws Exception {
        String name = "ssh-" + profile;
        // The forward's end is this machine's 127.0.0.1 on the instance's port number, where the engine knows
        // nothing of what listens: another server there would take the test's connections. The test holds a
        // port of this machine's 127.0.0.1 and publishes the instance on that number of the other loopback,
        // and lets go of it only for the forward.
        int p;
        String forward;
        String hint;
        String jdbc;
        try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            p = held.getLocalPort();
            Cli.Result up = ok(other.run("up", profile, "--name", name, "--bind", OTHER_LOOPBACK, "--port",
                    Integer.toString(p), "--json"));
            assertEquals(p, up.json().get("port").asInt(), up::toString);
            forward = "ssh -NL " + p + ":" + OTHER_LOOPBACK + ":" + p + " -p " + port + " root@" + OTHER_HOST;
            hint = "devdb: port " + p + " is on the loopback of " + OTHER_HOST + ", where the engine runs, not on"
                    + " this machine's: forward it first (" + forward + "), then connect to 127.0.0.1:" + p;
            assertTrue(up.err().contains(hint + "; or publish it where this machine reaches it"), up::toString);

            Cli.Result env = ok(other.run("env", name));
            assertTrue(env.out().contains("export MYSQL_HOST='127.0.0.1'\nexport MYSQL_TCP_PORT='" + p + "'\n"),
                    env::toString);
            assertEquals(List.of(hint), env.err().lines().toList(), env::toString);
            Cli.Result url = ok(other.run("url", name, "--jdbc"));
            assertEquals(List.of(hint), url.err().lines().toList(), url::toString);
            jdbc = url.out().strip();
            String scheme = profile.startsWith("mysql") ? "mysql" : "mariadb";
            assertTrue(jdbc.startsWith("jdbc:" + scheme + "://127.0.0.1:" + p + "/"), jdbc);
        }
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getByName("127.0.0.1"), p).close(),
                "nothing listens on this machine's 127.0.0.1:" + p + " before the forward");

        // the forward as printed, in the background once it listens, ended through its control socket
        Path control = dir.resolve("forward-" + profile + ".ctl");
        List<String> printed = List.of(forward.substring("ssh ".length()).split(" "));
        List<String> start = new ArrayList<>(List.of("-M", "-S", control.toString(), "-f", "-o",
                "ExitOnForwardFailure=yes"));
        start.addAll(printed);
        runSsh(start);
        try {
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
                s.execute("CREATE TABLE t (i INT PRIMARY KEY)");
                s.execute("INSERT INTO t VALUES (1), (2)");
            }
            Cli.Result shell = ok(other.run("shell", name, "-e", "SELECT SUM(i) AS total FROM t"));
            assertEquals("total\n3\n", shell.out(), shell::toString);
            Cli.Result logs = ok(other.run("logs", name, "--tail", "200"));
            assertTrue(logs.out().contains("ready for connections"), logs::toString);

            ok(other.run("snapshot", "save", name, "two-rows-" + profile));
            try (Connection c = DriverManager.getConnection(jdbc); Statement s = c.createStatement()) {
                s.execute("DELETE FROM t");
            }
            ok(other.run("snapshot", "restore", name, "two-rows-" + profile));
            try (Connection c = DriverManager.getConnection(jdbc)) {
                assertEquals("2", count(c), "the snapshot's rows, on the same port and credentials");
            }
            ok(other.run("snapshot", "rm", "two-rows-" + profile));

            ok(other.run("reset", name));
            try (Connection c = DriverManager.getConnection(jdbc)) {
                assertEquals("no table", count(c), "reset: the table is gone");
            }
            ok(other.run("down", name));
            assertEquals(ExitCodes.NO_INSTANCE, other.run("shell", name, "-e", "SELECT 1").exitCode());
        } finally {
            runSsh(List.of("-S", control.toString(), "-O", "exit", "-p", port, "root@" + OTHER_HOST));
        }
    }

    @Test
    void doctor_names_the_ssh_endpoint_and_does_not_fail_on_ports_this_machine_reaches_only_through_a_forward() {
        Cli.Result doctor = ok(other.run("doctor", "--json"));
        JsonNode engine = doctor.json().get(0);
        assertEquals("engine", engine.get("check").asText(), doctor::toString);
        assertEquals("ok", engine.get("status").asText(), doctor::toString);
        assertTrue(engine.get("detail").asText().startsWith("ssh://root@" + OTHER_HOST + ":" + port
                + " (DOCKER_HOST): Docker "), doctor::toString);
        JsonNode ports = null;
        for (JsonNode check : doctor.json()) {
            ports = check.get("check").asText().equals("ports") ? check : ports;
        }
        assertEquals("skip", ports.get("status").asText(), doctor::toString);
        assertTrue(ports.get("detail").asText().contains("on the loopback of " + OTHER_HOST + ", where it runs"),
                doctor::toString);
        assertTrue(ports.get("fix").asText().contains("ssh -NL PORT:127.0.0.1:PORT -p " + port + " root@" + OTHER_HOST),
                doctor::toString);
    }

    @Test
    void an_ipv6_endpoint_and_address_are_in_brackets_in_the_urls_the_driver_takes() throws Exception {
        Path interfaces = Path.of("/proc/net/if_inet6");
        assumeTrue(Files.isReadable(interfaces) && Files.readString(interfaces).lines().anyMatch(l -> l.endsWith(" lo")),
                "this machine has no IPv6 loopback");
        ExtraEngines.expect(Files.readString(knownHosts).contains("[::1]:" + port + " "),
                "the test sshd does not listen on ::1: start it again with `.ci/engines/sshd.sh start`");
        Cli v6 = new Cli(dir, Map.of("DOCKER_HOST", "ssh://root@[::1]:" + port, "DEVDB_SSH_COMMAND",
                ssh(key, knownHosts)));
        String name = "ssh-v6";
        int p = ok(v6.run("up", "mariadb10", "--name", name, "--bind", "::1", "--json")).json().get("port").asInt();
        Cli.Result url = ok(v6.run("url", name));
        assertTrue(url.out().matches("mysql://app:\\w+@\\[::1]:" + p + "/app\n"), url::toString);
        assertEquals("", url.err(), "no forward: the engine is on this machine");
        String jdbc = ok(v6.run("url", name, "--jdbc")).out().strip();
        assertTrue(jdbc.startsWith("jdbc:mariadb://[::1]:" + p + "/app?"), jdbc);
        try (Connection c = DriverManager.getConnection(jdbc)) {
            assertEquals("42", Cli.scalar(c, "SELECT 6 * 7"));
        }
        assertTrue(ok(v6.run("env", name)).out().contains("export MYSQL_HOST='::1'\n"));
        ok(v6.run("down", name));
    }

    @Test
    void an_unknown_host_key_fails_with_exit_4_saying_so_and_leaves_nothing_running() throws Exception {
        Path empty = Files.createFile(dir.resolve("known_hosts_empty"));
        Cli strict = new Cli(dir, Map.of("DOCKER_HOST", endpoint, "DEVDB_SSH_COMMAND", ssh(key, empty)));
        Cli.Result ps = strict.run("ps");
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, ps.exitCode(), ps::toString);
        assertEquals(List.of("devdb: cannot reach the Docker engine at " + endpoint + " (DOCKER_HOST): ssh does not"
                + " know the host key of [127.0.0.1]:" + port + " (devdb runs ssh in batch mode and never accepts a key"
                + " itself); connect once with `ssh -p " + port + " root@127.0.0.1`, check the key and accept it, or add"
                + " it to ~/.ssh/known_hosts (ssh-keyscan)"), ps.err().lines().toList());
        assertEquals(0, Files.size(empty), "devdb never adds a host key");
    }

    @Test
    void a_key_the_host_refuses_fails_with_exit_4_naming_user_and_methods() throws Exception {
        Path stranger = keygen("stranger");
        Cli refused = new Cli(dir, Map.of("DOCKER_HOST", endpoint, "DEVDB_SSH_COMMAND", ssh(stranger, knownHosts)));
        Cli.Result ps = refused.run("ps");
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, ps.exitCode(), ps::toString);
        assertEquals(1, ps.err().lines().count(), ps::toString);
        assertTrue(ps.err().startsWith("devdb: cannot reach the Docker engine at " + endpoint + " (DOCKER_HOST): "
                + "[127.0.0.1]:" + port + " refused authentication as root (publickey); devdb runs ssh in batch mode"),
                ps::toString);
    }

    @Test
    void a_host_without_docker_fails_with_exit_4_saying_what_the_remote_shell_said() throws Exception {
        // a key whose sessions find no docker command: sshd runs its forced command, which empties PATH first
        Path noDocker = keygen("no-docker");
        authorize("command=\"PATH=/nonexistent; eval \\\"$SSH_ORIGINAL_COMMAND\\\"\" "
                + Files.readString(dir.resolve("no-docker.pub")).strip());
        Cli none = new Cli(dir, Map.of("DOCKER_HOST", endpoint, "DEVDB_SSH_COMMAND", ssh(noDocker, knownHosts)));
        Cli.Result ps = none.run("ps");
        assertEquals(ExitCodes.ENGINE_UNREACHABLE, ps.exitCode(), ps::toString);
        assertEquals(1, ps.err().lines().count(), ps::toString);
        assertTrue(ps.err().startsWith("devdb: cannot reach the Docker engine at " + endpoint + " (DOCKER_HOST): "
                + "[127.0.0.1]:" + port + " has no docker command for the ssh user (the remote shell said: "), ps::toString);
        assertTrue(ps.err().contains("docker: command not found); install the Docker CLI there"), ps::toString);
    }

    @Test
    void ctrl_c_during_up_removes_the_container_through_ssh_then_ssh_and_its_socket_end() throws Exception {
        // devdb's ssh, marked: a wrapper records the pid (kept by exec) and the arguments of every ssh devdb starts
        Path calls = dir.resolve("ssh-calls");
        Path wrapper = dir.resolve("ssh-marked");
        Files.writeString(wrapper, "#!/bin/sh\necho \"$$ $*\" >>" + calls + "\nexec ssh \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        String name = "ssh-int";
        // the jar itself, as the launcher runs it (the launcher's first run after a build also prepares its class archive)
        List<String> command = List.of("setsid", Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("devdb.jar"), "up", "mariadb10", "--name", name);
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().putIfAbsent("DEVDB_REGISTRY", "devdb-test");
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve(".config").toString());
        TestScope.env(pb.environment());
        pb.environment().put("DOCKER_HOST", endpoint);
        pb.environment().put("DEVDB_SSH_COMMAND", ssh(key, knownHosts).replaceFirst("^ssh ", wrapper + " "));
        Process up = pb.start();
        StringBuilder err = new StringBuilder();
        List<String[]> sshCalls;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(up.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = lines.readLine()) != null) {
                err.append(line).append('\n');
                if (line.startsWith("devdb: starting ")) {
                    break;
                }
            }
            assertTrue(err.toString().contains("devdb: starting "), err::toString);
            sshCalls = Files.readAllLines(calls).stream().map(l -> l.split(" ")).toList();
            assertTrue(sshCalls.stream().anyMatch(c -> ProcessHandle.of(Long.parseLong(c[0])).isPresent()),
                    "no ssh of devdb's runs while it starts the container: " + Files.readAllLines(calls));
            // as a terminal's Ctrl-C does, to devdb's process group (setsid made it one of its own); ssh runs in a
            // session of its own and keeps going while devdb removes what it created
            assertEquals(0, new ProcessBuilder("kill", "-INT", "--", "-" + up.pid()).start().waitFor());
            boolean ended = up.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                up.destroyForcibly().waitFor();
            }
            while ((line = lines.readLine()) != null) {
                err.append(line).append('\n');
            }
            assertTrue(ended, "devdb did not end within 60 s of SIGINT: " + err);
        } finally {
            up.destroyForcibly();
        }
        assertEquals(ExitCodes.INTERRUPTED, up.exitValue(), err::toString);
        for (String[] call : sshCalls) {
            Optional<ProcessHandle> ssh = ProcessHandle.of(Long.parseLong(call[0]));
            if (ssh.isPresent()) {
                ssh.get().onExit().get(10, TimeUnit.SECONDS);
            }
            int control = List.of(call).indexOf("-S");
            assertTrue(control > 0, "every ssh of devdb's uses its control socket: " + String.join(" ", call));
            Path socketDirectory = Path.of(call[control + 1]).getParent();
            assertTrue(socketDirectory.getFileName().toString().startsWith("devdb-ssh-"), socketDirectory::toString);
            assertFalse(Files.exists(socketDirectory), "left behind: " + socketDirectory);
        }
        JsonNode ps = ok(local.run("ps", "--json")).json();
        ps.forEach(i -> assertFalse(i.get("name").asText().equals(name), "left behind: " + ps));
        try (DockerEngine engine = Cli.engine()) {
            assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), "its container is gone");
        }
    }
}
