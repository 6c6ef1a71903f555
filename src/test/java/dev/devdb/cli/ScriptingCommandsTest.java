package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Endpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** env, url, wait, prune, up --no-wait/--ttl and doctor on the in-memory engine. */
@Timeout(60)
class ScriptingCommandsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:10.11");

    private ContainerInfo container(String name) {
        return cli.engine.container("devdb-" + name).orElseThrow();
    }

    @Test
    void env_prints_export_lines_with_the_instances_credentials() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        ContainerInfo c = container("mysql9");
        String password = c.env().get("MYSQL_PASSWORD");

        TestCli.Run run = cli.run("env").exits(ExitCodes.OK);

        assertEquals(List.of("export MYSQL_HOST='127.0.0.1'", "export MYSQL_TCP_PORT='" + c.hostPort() + "'",
                "export MYSQL_USER='app'", "export MYSQL_PWD='" + password + "'", "export MYSQL_DATABASE='app'",
                "export DATABASE_URL='mysql://app:" + password + "@127.0.0.1:" + c.hostPort() + "/app'",
                "export JDBC_URL='jdbc:mysql://127.0.0.1:" + c.hostPort() + "/app?user=app&password=" + password
                        + "&allowPublicKeyRetrieval=true&sslMode=DISABLED'"), run.outLines(), run::describe);
        assertEquals("", run.err(), run::describe);

        assertEquals("mysql://app:" + password + "@127.0.0.1:" + c.hostPort() + "/app\n",
                cli.run("url", "mysql9").exits(ExitCodes.OK).out());
        assertTrue(cli.run("url", "--jdbc").exits(ExitCodes.OK).out().startsWith("jdbc:mysql://127.0.0.1:"));
    }

    @Test
    void url_and_env_of_an_instance_on_a_remote_loopback_say_how_to_forward_on_one_line() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        // the same container, as an engine on another host would report it (the in-memory one has no host)
        cli.engine.at(new Endpoint("ssh://deploy@build.example.com:2222", Endpoint.Origin.DOCKER_HOST, null, null));
        int port = container("mysql9").hostPort();
        String hint = "devdb: port " + port + " is on the loopback of build.example.com, where the engine runs, not on"
                + " this machine's: forward it first (ssh -NL " + port + ":127.0.0.1:" + port + " -p 2222"
                + " deploy@build.example.com), then connect to 127.0.0.1:" + port;

        TestCli.Run url = cli.run("url", "mysql9").exits(ExitCodes.OK);
        assertTrue(url.out().matches("mysql://app:\\w+@127\\.0\\.0\\.1:" + port + "/app\n"), url::describe);
        assertEquals(List.of(hint), url.errLines(), url::describe);
        TestCli.Run env = cli.run("env", "mysql9").exits(ExitCodes.OK);
        assertTrue(env.out().contains("export MYSQL_HOST='127.0.0.1'\n"), env::describe);
        assertEquals(List.of(hint), env.errLines(), env::describe);
        assertEquals("", cli.run("env", "mysql9", "--quiet").exits(ExitCodes.OK).err());
    }

    @Test
    void an_ipv6_engine_host_is_in_brackets_in_urls_and_bare_in_mysql_host() {
        cli.run("up", "mariadb10", "--bind", "::").exits(ExitCodes.OK);
        cli.engine.at(new Endpoint("ssh://[2001:db8::5]", Endpoint.Origin.DOCKER_HOST, null, null));
        int port = container("mariadb10").hostPort();

        TestCli.Run url = cli.run("url", "mariadb10").exits(ExitCodes.OK);
        assertTrue(url.out().matches("mysql://app:\\w+@\\[2001:db8::5]:" + port + "/app\n"), url::describe);
        assertEquals("", url.err(), "no forward needed: " + url.describe());
        assertTrue(cli.run("url", "--jdbc").exits(ExitCodes.OK).out().startsWith("jdbc:mariadb://[2001:db8::5]:" + port
                + "/app?"));
        assertTrue(cli.run("env").exits(ExitCodes.OK).out().contains("export MYSQL_HOST='2001:db8::5'\n"));
    }

    @Test
    void env_of_an_instance_that_is_not_running_exits_10() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.engine.kill(container("mysql9").id());

        TestCli.Run run = cli.run("env", "mysql9").exits(ExitCodes.NO_INSTANCE);

        assertEquals("", run.out(), run::describe);
        assertTrue(run.err().startsWith("devdb: instance mysql9 is not running (exited)"), run::describe);
    }

    @Test
    void env_github_appends_to_the_runner_files_and_masks_the_password() throws IOException {
        cli.run("up", "mariadb10").exits(ExitCodes.OK);
        Path envFile = Files.writeString(dir.resolve("env"), "BEFORE=1\n");
        Path outputFile = dir.resolve("output");
        cli.env.put("GITHUB_ENV", envFile.toString());
        cli.env.put("GITHUB_OUTPUT", outputFile.toString());
        String password = container("mariadb10").env().get("MYSQL_PASSWORD");

        TestCli.Run run = cli.run("env", "--format", "github").exits(ExitCodes.OK);

        assertEquals(List.of("::add-mask::" + password), run.outLines(), run::describe);
        List<String> env = Files.readAllLines(envFile);
        assertEquals("BEFORE=1", env.get(0));
        assertTrue(env.get(1).matches("MYSQL_HOST<<ghadelimiter_[0-9a-f-]{36}"), env.get(1));
        assertEquals("127.0.0.1", env.get(2));
        assertEquals(env.get(1).substring("MYSQL_HOST<<".length()), env.get(3));
        assertEquals(1 + 7 * 3, env.size());
        List<String> outputs = Files.readAllLines(outputFile);
        assertTrue(outputs.get(0).startsWith("host<<ghadelimiter_"), outputs.toString());
        assertTrue(outputs.contains(password), outputs.toString());
        assertTrue(outputs.get(18).startsWith("jdbc-url<<"), outputs.toString());
        assertTrue(outputs.get(19).startsWith("jdbc:mariadb://127.0.0.1:"), outputs.toString());

        cli.env.remove("GITHUB_ENV");
        cli.env.remove("GITHUB_OUTPUT");
        TestCli.Run nowhere = cli.run("env", "--format", "github").exits(ExitCodes.USAGE);
        assertTrue(nowhere.err().contains("GITHUB_ENV"), nowhere::describe);
    }

    @Test
    void up_no_wait_returns_after_the_start_and_keeps_no_cache() throws IOException {
        TestCli.Run run = cli.run("up", "mysql9", "--no-wait", "--json").exits(ExitCodes.OK);

        JsonNode json = JSON.readTree(run.out());
        assertFalse(json.get("ready").asBoolean(), run::describe);
        assertEquals(container("mysql9").hostPort().intValue(), json.get("port").asInt());
        assertTrue(run.err().contains("devdb: mysql9 started (not waiting for the server)"), run::describe);
        assertTrue(run.err().contains("run `devdb wait mysql9` before connecting"), run::describe);
        assertEquals(List.of(), cli.engine.calls("commit"), run::describe);

        TestCli.Run wait = cli.run("wait", "mysql9", "--timeout", "10s").exits(ExitCodes.OK);
        assertEquals("", wait.out(), wait::describe);
        assertTrue(wait.err().startsWith("devdb: mysql9 is ready: MySQL 9.7 on 127.0.0.1:"), wait::describe);
    }

    @Test
    void up_ttl_records_the_expiry_in_epoch_seconds() {
        long before = cli.clock.instant().getEpochSecond();
        cli.run("up", "mysql9", "--ttl", "2h").exits(ExitCodes.OK);
        long expires = Long.parseLong(container("mysql9").label("devdb.expires"));
        assertTrue(expires >= before + 7200 && expires <= cli.clock.instant().getEpochSecond() + 7200, "" + expires);

        cli.run("up", "mariadb10").exits(ExitCodes.OK);
        assertEquals(null, container("mariadb10").label("devdb.expires"));

        TestCli.Run bad = cli.run("up", "mysql9", "--name", "x", "--ttl", "forever").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: --ttl 'forever' is not a duration; use e.g. 90s or 3m"), bad.errLines());
    }

    @Test
    void up_of_a_name_another_up_has_created_but_not_started_exits_7() {
        cli.engine.addContainer("devdb-mysql9", "devdb-test/mysql:9.7",
                Map.of("devdb.managed", "true", "devdb.name", "mysql9"), "created");

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.NAME_CONFLICT);

        assertTrue(run.err().startsWith("devdb: instance mysql9 is being created by another `devdb up` right now"),
                run::describe);
        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames());
        assertEquals(List.of(), cli.engine.calls("remove"), run::describe);
    }

    @Test
    void prune_removes_expired_and_exited_instances_and_never_foreign_containers() throws IOException {
        String past = Long.toString(cli.clock.instant().getEpochSecond() - 10);
        String future = Long.toString(cli.clock.instant().getEpochSecond() + 3600);
        cli.engine.addContainer("devdb-old", "mysql:9.7",
                Map.of("devdb.managed", "true", "devdb.name", "old", "devdb.expires", past), "running");
        cli.engine.addContainer("devdb-young", "mysql:9.7",
                Map.of("devdb.managed", "true", "devdb.name", "young", "devdb.expires", future), "running");
        cli.engine.addContainer("devdb-crashed", "mysql:9.7",
                Map.of("devdb.managed", "true", "devdb.name", "crashed"), "exited");
        cli.engine.addContainer("devdb-foreign", "mysql:9.7", Map.of("devdb.expires", past), "exited");
        cli.engine.addContainer("other", "nginx", Map.of("devdb.managed", "false"), "exited");

        TestCli.Run dry = cli.run("prune", "--dry-run").exits(ExitCodes.OK);
        assertEquals(3, dry.errLines().size(), dry::describe);
        assertEquals("devdb: would remove crashed (exited with code 0)", dry.errLines().get(0), dry::describe);
        assertTrue(dry.errLines().get(1).matches("devdb: would remove old \\(expired 1[01]s ago\\)"), dry::describe);
        assertEquals("devdb: would remove 2 instances", dry.errLines().get(2), dry::describe);
        assertEquals(List.of(), cli.engine.calls("remove"), dry::describe);

        TestCli.Run only = cli.run("prune", "--json", "o*").exits(ExitCodes.OK);
        JsonNode json = JSON.readTree(only.out());
        assertEquals(1, json.size(), only::describe);
        assertEquals("old", json.get(0).get("name").asText());
        assertEquals("expired", json.get(0).get("reason").asText());
        assertTrue(json.get(0).get("removed").asBoolean());

        TestCli.Run run = cli.run("prune").exits(ExitCodes.OK);
        assertEquals(List.of("devdb: removed crashed (exited with code 0)", "devdb: removed 1 instance"),
                run.errLines(), run::describe);
        assertEquals(List.of("devdb-young", "devdb-foreign", "other"), cli.engine.containerNames(), run::describe);
    }

    @Test
    void every_command_takes_help_as_its_own_error_message_suggests() {
        for (String command : List.of("up", "down", "env", "url", "wait", "prune", "doctor", "completion")) {
            TestCli.Run run = cli.run(command, "--help").exits(ExitCodes.OK);
            assertTrue(run.out().startsWith("Usage: devdb " + command + " "), run::describe);
        }
        TestCli.Run wrong = cli.run("env", "--no-such-option").exits(ExitCodes.USAGE);
        assertEquals("Try 'devdb env --help' for more information.", wrong.errLines().get(1), wrong::describe);
        assertEquals(List.of(), cli.engine.calls(), "help needs no engine");
    }

    @Test
    void doctor_skips_the_port_check_of_an_engine_on_another_host_saying_how_to_forward() throws Exception {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.engine.at(new Endpoint("ssh://deploy@build.example.com", Endpoint.Origin.DOCKER_HOST, null, null));

        TestCli.Run run = cli.run("doctor", "--json");

        JsonNode ports = null;
        for (JsonNode check : JSON.readTree(run.out())) {
            ports = check.get("check").asText().equals("ports") ? check : ports;
        }
        assertEquals("skip", ports.get("status").asText(), run::describe);
        assertEquals("not checked from here: the engine published the throw-away container's port on the loopback of"
                + " build.example.com, where it runs, which this machine reaches only through a forward",
                ports.get("detail").asText(), run::describe);
        assertEquals("to connect from this machine, forward an instance's port first: ssh -NL PORT:127.0.0.1:PORT"
                + " deploy@build.example.com (`devdb url` prints the one to run)", ports.get("fix").asText());
    }

    @Test
    void doctor_exits_4_and_says_what_to_do_when_no_engine_answers() {
        cli.engine.failing(new DevDbException(ExitCodes.ENGINE_UNREACHABLE, "cannot reach the Docker engine",
                new IOException("No such file or directory")));

        TestCli.Run run = cli.run("doctor").exits(ExitCodes.ENGINE_UNREACHABLE);

        assertTrue(run.out().startsWith("fail  engine     nothing answers at unix:///fake/docker.sock"
                + " (the default socket): No such file or directory"), run::describe);
        assertTrue(run.out().contains("fix: start Docker"), run::describe);
        assertEquals(List.of("devdb: 1 check failed"), run.errLines(), run::describe);
    }
}
