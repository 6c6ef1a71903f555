package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.ContainerInfo;
import dev.devdb.mysql.InitFile;
import dev.devdb.mysql.StartScript;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class UpCommandTest {
    private static final String IMAGE = "devdb-test/mysql:9.7";
    private static final String CONTAINER = "devdb-mysql9";

    @RegisterExtension
    final TestCli cli = TestCli.withImages(IMAGE);

    private ContainerInfo container(TestCli.Run run, String name) {
        return cli.engine.container(name).orElseThrow(() -> new AssertionError(
                "no container " + name + "; calls: " + cli.engine.calls() + "\n" + run.describe()));
    }

    private ContainerInfo container(TestCli.Run run) {
        return cli.engine.container(CONTAINER).orElseThrow(() -> new AssertionError(
                "no container " + CONTAINER + "; calls: " + cli.engine.calls() + "\n" + run.describe()));
    }

    @Test
    void up_creates_labelled_container_from_the_registry_image() {
        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.OK);

        ContainerInfo c = container(run);
        assertEquals(IMAGE, c.image(), run::describe);
        assertEquals("running", c.state(), run::describe);
        Map<String, String> labels = c.labels();
        assertEquals(Map.of(
                "devdb.managed", "true",
                "devdb.name", "mysql9",
                "devdb.scope", "",
                "devdb.profile", "mysql9",
                "devdb.flavor", "mysql",
                "devdb.version", "9.7",
                "devdb.image", IMAGE,
                "devdb.database", "app",
                "devdb.user", "app",
                "devdb.ready-file", "/var/lib/devdb/state/initialised"),
                withoutKeys(labels, "devdb.config-hash", "devdb.up-token", "devdb.base-image-id", "devdb.cache-key",
                        "devdb.recipe", "devdb.bind"),
                run::describe);
        assertEquals("127.0.0.1", labels.get("devdb.bind"), run::describe);
        assertEquals("127.0.0.1", cli.engine.spec(CONTAINER).bindAddress(), run::describe);
        assertTrue(labels.get("devdb.config-hash").matches("[0-9a-f]{16}"), run::describe);
        assertTrue(labels.get("devdb.up-token").matches("[A-Za-z0-9]{16}"), run::describe);
        assertTrue(labels.get("devdb.base-image-id").matches("sha256:[0-9a-f]{64}"), run::describe);
        assertTrue(labels.get("devdb.cache-key").matches("[0-9a-f]{20}"), run::describe);
        assertEquals(List.of("create " + CONTAINER), cli.engine.calls("create"), run::describe);
    }

    @Test
    void bind_publishes_the_port_there_and_says_who_can_reach_it() {
        TestCli.Run run = cli.run("up", "mysql9", "--bind", "0.0.0.0").exits(ExitCodes.OK);

        assertEquals("0.0.0.0", cli.engine.spec(CONTAINER).bindAddress(), run::describe);
        assertEquals("0.0.0.0", container(run).labels().get("devdb.bind"), run::describe);
        int port = container(run).hostPort();
        assertTrue(run.errLines().contains("devdb: port " + port + " is published on every interface of this machine"
                + " (--bind 0.0.0.0): whoever reaches it can try to log in, and the password is all that stops them"),
                run::describe);
        assertTrue(run.out().startsWith("host      127.0.0.1\n"), run::describe);

        TestCli.Run again = cli.run("up", "mysql9").exits(ExitCodes.NAME_CONFLICT);
        assertTrue(again.err().contains("replicas, network or --bind"), again::describe);
    }

    @Test
    void bind_to_something_that_is_no_address_exits_2_before_anything_is_created() {
        TestCli.Run run = cli.run("up", "mysql9", "--bind", "example.com").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: --bind 'example.com' is not an IP address: give one of the engine host's"
                + " addresses, 127.0.0.1 (the default, its loopback) or 0.0.0.0 (every interface)"), run.errLines(),
                run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
    }

    @Test
    void up_gives_the_server_the_profile_credentials_and_a_root_password() {
        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.OK);

        Map<String, String> env = container(run).env();
        assertEquals("app", env.get("MYSQL_DATABASE"), run::describe);
        assertEquals("app", env.get("MYSQL_USER"), run::describe);
        assertTrue(env.get("MYSQL_PASSWORD").matches("[A-Za-z0-9]{20}"), run::describe);
        assertTrue(env.get("MYSQL_ROOT_PASSWORD").matches("[A-Za-z0-9]{24}"), run::describe);
        assertNotEquals(env.get("MYSQL_PASSWORD"), env.get("MYSQL_ROOT_PASSWORD"), run::describe);
    }

    @Test
    void up_prints_connection_details_on_stdout_and_progress_on_stderr() {
        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.OK);

        ContainerInfo c = container(run);
        int port = c.hostPort();
        String password = c.env().get("MYSQL_PASSWORD");
        assertEquals(List.of(
                "host      127.0.0.1",
                "port      " + port,
                "user      app",
                "password  " + password,
                "database  app",
                "url       mysql://app:" + password + "@127.0.0.1:" + port + "/app",
                "jdbc      jdbc:mysql://127.0.0.1:" + port + "/app?user=app&password=" + password
                        + "&allowPublicKeyRetrieval=true&sslMode=DISABLED"),
                run.outLines(), run::describe);
        List<String> err = run.errLines();
        assertEquals(List.of(
                "devdb: creating devdb-mysql9 from " + IMAGE,
                "devdb: starting devdb-mysql9",
                "devdb: waiting for MySQL 9.7 to accept connections",
                "devdb: preparing a copy of the seed state for resets inside the server",
                "devdb: keeping the initialised data for the next up and reset (devdb-cache:"
                        + c.labels().get("devdb.cache-key") + ")"),
                err.subList(0, Math.min(5, err.size())), run::describe);
        assertEquals(6, err.size(), run::describe);
        assertTrue(err.get(5).matches("devdb: mysql9 is ready: MySQL 9\\.7 on 127\\.0\\.0\\.1:" + port + " \\(.+\\)"),
                run::describe);
    }

    @Test
    void up_copies_devdb_cnf_with_the_set_values_into_conf_d() {
        TestCli.Run run = cli.run("up", "mysql9", "--set", "innodb_buffer_pool_size=256M",
                "--set", "init-connect=SET NAMES utf8mb4", "--set", "skip-log-bin").exits(ExitCodes.OK);

        assertEquals("""
                # Written by devdb (profile mysql9).
                [mysqld]
                skip_name_resolve
                innodb_buffer_pool_size = 256M
                init_connect = "SET NAMES utf8mb4"
                skip_log_bin
                """, cli.engine.file(CONTAINER, "/etc/mysql/conf.d/devdb.cnf"), run::describe);
        assertEquals(List.of("writeFile devdb-mysql9 /etc/mysql/conf.d/devdb.cnf",
                "writeFile devdb-mysql9 /etc/mysql/devdb-start.sh"), cli.engine.calls("writeFile").stream()
                .filter(call -> call.startsWith("writeFile devdb-mysql9 /etc/")).toList(), run::describe);
    }

    @Test
    void up_slow_log_and_general_log_switch_on_the_server_logs() {
        TestCli.Run run = cli.run("up", "mysql9", "--slow-log", "0.5", "--general-log").exits(ExitCodes.OK);

        assertEquals("""
                # Written by devdb (profile mysql9).
                [mysqld]
                skip_name_resolve
                slow_query_log = ON
                long_query_time = 0.5
                general_log = ON
                """, cli.engine.file(CONTAINER, "/etc/mysql/conf.d/devdb.cnf"), run::describe);
    }

    @Test
    void first_up_keeps_the_initialised_data_as_a_cache_image() {
        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.OK);

        String cacheImage = "devdb-cache:" + container(run).labels().get("devdb.cache-key");
        assertEquals(List.of("commit " + CONTAINER + " " + cacheImage), cli.engine.calls("commit"), run::describe);
        assertTrue(cli.engine.imageReferences().contains(cacheImage), run::describe);
        assertEquals(List.of("mysqld", "--datadir=/var/lib/devdb/data"), cli.engine.spec(CONTAINER).command(),
                run::describe);
    }

    @Test
    void a_new_server_starts_through_devdbs_start_script() {
        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.OK);

        assertEquals(List.of("bash", "/etc/mysql/devdb-start.sh"), cli.engine.spec(CONTAINER).entrypoint(),
                run::describe);
        assertEquals(new String(StartScript.text(), StandardCharsets.UTF_8),
                cli.engine.file(CONTAINER, "/etc/mysql/devdb-start.sh"), run::describe);
        assertEquals("/var/lib/devdb/state/initialised", container(run).labels().get("devdb.ready-file"),
                run::describe);
    }

    @Test
    void the_first_warm_start_replaces_the_entry_by_a_cleanly_stopped_copy_and_later_ones_use_it() {
        TestCli.Run first = cli.run("up", "mysql9").exits(ExitCodes.OK);
        String cacheImage = "devdb-cache:" + container(first).labels().get("devdb.cache-key");
        assertEquals(null, cli.engine.spec(CONTAINER).env().get("DEVDB_KEEP"), "a first up keeps what runs");

        TestCli.Run second = cli.run("up", "mysql9", "--name", "second").exits(ExitCodes.OK);

        assertEquals("1", cli.engine.spec("devdb-second").env().get("DEVDB_KEEP"), second::describe);
        List<String> keeper = cli.engine.spec("devdb-second").entrypoint();
        assertEquals(List.of("bash", "-c"), keeper.subList(0, 2), second::describe);
        assertTrue(keeper.get(2).contains(InitFile.writer("/dev/shm/devdb-init.sql", "MYSQL_CDC_PASSWORD")
                + " && exec bash /etc/mysql/devdb-start.sh \"$@\""), "the init file first, then the script: " + keeper);
        List<String> calls = cli.engine.calls();
        int prepared = calls.indexOf("readFiles devdb-second /var/lib/devdb/state");
        int commit = calls.indexOf("commit devdb-second " + cacheImage);
        int go = calls.indexOf("writeFile devdb-second /var/lib/devdb/state/go");
        assertTrue(0 < prepared && prepared < commit && commit < go, "commit the stopped data, then start: " + calls);
        assertTrue(second.errLines().contains("devdb: keeping a cleanly shut down copy of " + cacheImage
                + " (once per cache entry)"), second::describe);

        TestCli.Run third = cli.run("up", "mysql9", "--name", "third").exits(ExitCodes.OK);

        assertEquals(null, cli.engine.spec("devdb-third").env().get("DEVDB_KEEP"), third::describe);
        assertEquals("bash", cli.engine.spec("devdb-third").entrypoint().get(0), third::describe);
        assertEquals(2, cli.engine.calls("commit").size(), third::describe);
    }

    @Test
    void while_one_start_keeps_the_clean_copy_others_start_from_the_entry_as_it_is() {
        TestCli.Run first = cli.run("up", "mysql9").exits(ExitCodes.OK);
        String key = container(first).labels().get("devdb.cache-key");
        cli.engine.addContainer("devdb-keeper", "devdb-cache:" + key,
                Map.of("devdb.managed", "true", "devdb.name", "keeper", "devdb.keeping", key), "running");

        TestCli.Run second = cli.run("up", "mysql9", "--name", "second").exits(ExitCodes.OK);

        assertEquals(null, cli.engine.spec("devdb-second").env().get("DEVDB_KEEP"), second::describe);
        assertEquals("", container(second, "devdb-second").labels().get("devdb.keeping"), second::describe);
        assertEquals(1, cli.engine.calls("commit").size(), second::describe);
    }

    @Test
    void a_server_that_is_never_set_up_times_out_and_leaves_nothing() {
        cli.engine.neverInitialised();

        TestCli.Run run = cli.run("up", "mysql9", "--timeout", "2s").exits(ExitCodes.TIMEOUT);

        assertTrue(run.errLines().get(run.errLines().size() - 1)
                .startsWith("devdb: the server in mysql9 did not accept connections within 2.0s"), run::describe);
        assertEquals(List.of(), cli.engine.calls("commit"), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void a_server_that_greets_before_its_set_up_is_done_is_not_ready() {
        cli.engine.neverInitialised();
        cli.run("up", "mysql9", "--no-wait").exits(ExitCodes.OK);
        assertEquals(null, cli.engine.spec(CONTAINER).env().get("DEVDB_KEEP"), "nobody keeps the data of --no-wait");

        TestCli.Run run = cli.run("wait", "mysql9", "--timeout", "1s").exits(ExitCodes.TIMEOUT);

        assertTrue(run.err().contains("did not accept connections within 1.0s"), run::describe);
    }

    @Test
    void same_configuration_under_another_name_starts_from_the_cached_data() {
        TestCli.Run first = cli.run("up", "mysql9").exits(ExitCodes.OK);
        String cacheImage = "devdb-cache:" + container(first).labels().get("devdb.cache-key");

        cli.run("up", "mysql9", "--name", "cleaner").exits(ExitCodes.OK);
        TestCli.Run second = cli.run("up", "mysql9", "--name", "other").exits(ExitCodes.OK);

        assertTrue(second.errLines().contains("devdb: creating devdb-other from initialised data " + cacheImage),
                second::describe);
        assertEquals(cacheImage, cli.engine.spec("devdb-other").image(), second::describe);
        List<String> entrypoint = cli.engine.spec("devdb-other").entrypoint();
        assertEquals("mysqld", entrypoint.get(entrypoint.size() - 1), second::describe);
        assertTrue(entrypoint.get(2).startsWith("rm -f /var/lib/devdb/data/auto.cnf "),
                "each instance gets its own server UUID: " + entrypoint);
        assertTrue(entrypoint.get(2).contains(" /var/run/mysqld/*.lock "),
                "a lock file copied from a running server names another process: " + entrypoint);
        assertEquals(List.of("commit " + CONTAINER + " " + cacheImage, "commit devdb-cleaner " + cacheImage),
                cli.engine.calls("commit"), second::describe);
        assertEquals("", container(second, "devdb-other").labels().get("devdb.ready-file"),
                "the cache image's label, inherited, is overridden: ready once it greets");
        assertEquals(List.of(), cli.engine.calls("readFiles devdb-other"), "no file to wait for: " + cli.engine.calls());
        String password = cli.engine.container("devdb-other").orElseThrow().env().get("MYSQL_PASSWORD");
        assertNotEquals(container(first).env().get("MYSQL_PASSWORD"), password, second::describe);
        // the container writes the init file that sets its passwords from its environment: nothing is copied in
        assertEquals(List.of(), cli.engine.calls("writeFile devdb-other"), second::describe);
        assertTrue(entrypoint.get(2).contains(InitFile.writer("/dev/shm/devdb-init.sql", "MYSQL_CDC_PASSWORD")),
                entrypoint::toString);
        assertEquals(List.of("--datadir=/var/lib/devdb/data", "--user=mysql", "--init-file=/dev/shm/devdb-init.sql"),
                cli.engine.spec("devdb-other").command(), second::describe);
    }

    @Test
    void seed_scripts_are_copied_in_name_order_into_the_initdb_directory() throws IOException {
        Path seeds = Files.createDirectories(cli.cwd.resolve("seeds"));
        Files.writeString(seeds.resolve("b-data.sql"), "INSERT INTO t VALUES (1);\n");
        Files.writeString(seeds.resolve("a-schema.sql"), "CREATE TABLE t (id INT);\n");
        Files.writeString(seeds.resolve("notes.txt"), "not a seed\n");

        TestCli.Run run = cli.run("up", "mysql9", "--init", "seeds").exits(ExitCodes.OK);

        assertEquals(List.of(
                "copyFile devdb-mysql9 /docker-entrypoint-initdb.d/001-a-schema.sql 644",
                "copyFile devdb-mysql9 /docker-entrypoint-initdb.d/002-b-data.sql 644"),
                cli.engine.calls("copyFile").stream().filter(c -> c.contains(" /docker-entrypoint-initdb.d/")).toList(),
                run::describe);
        assertEquals("CREATE TABLE t (id INT);\n",
                cli.engine.file(CONTAINER, "/docker-entrypoint-initdb.d/001-a-schema.sql"), run::describe);
    }

    @Test
    void changed_seed_content_is_another_configuration() throws IOException {
        Path seed = Files.writeString(cli.cwd.resolve("seed.sql"), "CREATE TABLE t (id INT);\n");
        cli.run("up", "mysql9", "--init", "seed.sql").exits(ExitCodes.OK);
        Files.writeString(seed, "CREATE TABLE t (id BIGINT);\n");

        TestCli.Run run = cli.run("up", "mysql9", "--init", "seed.sql").exits(ExitCodes.NAME_CONFLICT);

        assertEquals(List.of("devdb: instance mysql9 is running with a different configuration (seeds: " + seed
                + " changed); replace it with `devdb up --recreate`, or pick another --name"), run.errLines(),
                run::describe);
    }

    @Test
    void missing_seed_is_a_usage_error_before_anything_is_created() {
        TestCli.Run run = cli.run("up", "mysql9", "--init", "nothing.sql").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: seed " + cli.cwd.resolve("nothing.sql") + " does not exist; check the profile's "
                + "init: (relative to the profile file) or --init and --seed (relative to the current directory)"),
                run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
    }

    @Test
    void failing_seed_exits_11_naming_the_seed_and_removes_the_container() throws IOException {
        Path seed = Files.writeString(cli.cwd.resolve("broken.sql"), "CREATE TABLE;\n");
        cli.engine.exitOnNextStart(1, List.of(
                "2025-06-01 10:00:05+00:00 [Note] [Entrypoint]: /usr/local/bin/docker-entrypoint.sh: running "
                        + "/docker-entrypoint-initdb.d/001-broken.sql",
                "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax"));

        TestCli.Run run = cli.run("up", "mysql9", "--init", "broken.sql").exits(ExitCodes.SEED_FAILED);

        assertEquals("devdb: seed " + seed + " failed in mysql9: ERROR 1064 (42000) at line 1: You have an error in "
                + "your SQL syntax; the container was removed", run.errLines().get(run.errLines().size() - 1),
                run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void a_failing_seed_is_named_with_its_own_error_however_much_is_logged_after_it() throws IOException {
        Path seed = Files.writeString(cli.cwd.resolve("broken.sql"), "CREATE TABLE;\n");
        List<String> logs = new ArrayList<>(List.of(
                "2026-12-01 22:49:57+00:00 [Note] [devdb]: running /docker-entrypoint-initdb.d/001-broken.sql",
                "ERROR 1064 (42000) at line 1: You have an error in your SQL syntax",
                "2026-12-01 22:49:57+00:00 [ERROR] [devdb]: /docker-entrypoint-initdb.d/001-broken.sql failed",
                "--------------",
                "INSERT INTO time_zone_transition (Time_zone_id, Transition_time, Transition_type_id) VALUES"));
        for (int i = 0; i < 500; i++) {
            logs.add(",(@time_zone_id, " + i + ", 1)");
        }
        logs.addAll(List.of("--------------", "", "ERROR 2006 (HY000) at line 4231: Server has gone away",
                "2026-12-01 22:49:57 0 [Note] mariadbd: Shutdown complete"));
        cli.engine.exitOnNextStart(1, logs);

        TestCli.Run run = cli.run("up", "mysql9", "--init", "broken.sql").exits(ExitCodes.SEED_FAILED);

        assertEquals("devdb: seed " + seed + " failed in mysql9: ERROR 1064 (42000) at line 1: You have an error in "
                + "your SQL syntax; the container was removed", run.errLines().get(run.errLines().size() - 1),
                run::describe);
    }

    @Test
    void a_failure_after_every_seed_has_run_is_not_blamed_on_a_seed() throws IOException {
        Files.writeString(cli.cwd.resolve("fine.sql"), "CREATE TABLE t (v INT);\n");
        cli.engine.exitOnNextStart(1, List.of(
                "2026-12-01 22:49:57+00:00 [Note] [devdb]: running /docker-entrypoint-initdb.d/001-fine.sql",
                "2026-12-01 22:49:57+00:00 [Note] [devdb]: all seed scripts have run",
                "2026-12-01 22:49:58+00:00 [ERROR] [devdb]: loading the time zone tables failed"));

        TestCli.Run run = cli.run("up", "mysql9", "--init", "fine.sql").exits(ExitCodes.SERVER_FAILED);

        assertEquals("devdb: the server in mysql9 stopped while starting (exit code 1): [ERROR] [devdb]: loading the "
                + "time zone tables failed; the container was removed", run.errLines().get(run.errLines().size() - 1),
                run::describe);
    }

    @Test
    void wait_on_a_killed_server_says_it_was_killed_and_quotes_none_of_its_start() {
        cli.engine.neverInitialised();
        TestCli.Run up = cli.run("up", "mysql9", "--no-wait").exits(ExitCodes.OK);
        cli.engine.output(CONTAINER, "2026-12-01 22:49:56 0 [Note] InnoDB: 128 rollback segments are active.",
                "2026-12-01 22:49:56 0 [Note] InnoDB: initialization has ended");
        cli.engine.kill(container(up).id());

        TestCli.Run run = cli.run("wait", "mysql9", "--timeout", "10s").exits(ExitCodes.SERVER_FAILED);

        assertEquals(List.of("devdb: the server in mysql9 stopped while starting (exit code 137): it was killed with "
                + "SIGKILL, by `docker kill` or by the out-of-memory killer (the container ran out of memory)"),
                run.errLines(), run::describe);
    }

    @Test
    void up_json_prints_only_the_connection_object() throws IOException {
        TestCli.Run run = cli.run("up", "mysql9", "--json").exits(ExitCodes.OK);

        JsonNode json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(run.out());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("name", "scope", "profile", "flavor", "version", "container", "host", "port", "user",
                "password", "database", "url", "jdbcUrl", "ready"), fields, run::describe);
        ContainerInfo c = container(run);
        assertEquals("mysql9", json.get("name").asText(), run::describe);
        assertEquals("mysql9", json.get("profile").asText(), run::describe);
        assertEquals("mysql", json.get("flavor").asText(), run::describe);
        assertEquals("9.7", json.get("version").asText(), run::describe);
        assertEquals(CONTAINER, json.get("container").asText(), run::describe);
        assertEquals("127.0.0.1", json.get("host").asText(), run::describe);
        assertEquals(c.hostPort().intValue(), json.get("port").asInt(), run::describe);
        assertEquals(c.env().get("MYSQL_PASSWORD"), json.get("password").asText(), run::describe);
        assertTrue(json.get("jdbcUrl").asText().startsWith("jdbc:mysql://127.0.0.1:" + c.hostPort() + "/app?"),
                run::describe);
    }

    @Test
    void quiet_up_prints_nothing_on_stderr() {
        TestCli.Run run = cli.run("up", "mysql9", "-q").exits(ExitCodes.OK);

        assertEquals("", run.err(), run::describe);
        assertEquals(7, run.outLines().size(), run::describe);
    }

    @Test
    void same_up_twice_reuses_the_running_instance() {
        TestCli.Run first = cli.run("up", "mysql9", "--set", "max_connections=50").exits(ExitCodes.OK);
        String id = container(first).id();

        TestCli.Run second = cli.run("up", "mysql9", "--set", "max_connections=50").exits(ExitCodes.OK);

        assertEquals(first.out(), second.out(), second::describe);
        assertEquals(1, second.errLines().size(), second::describe);
        assertTrue(second.err().endsWith(" (already running)\n"), second::describe);
        assertEquals(id, container(second).id(), second::describe);
        assertEquals(List.of("create " + CONTAINER), cli.engine.calls("create"), second::describe);
    }

    @Test
    void different_set_on_the_same_name_is_a_name_conflict_and_leaves_the_instance() {
        TestCli.Run first = cli.run("up", "mysql9").exits(ExitCodes.OK);
        String id = container(first).id();

        TestCli.Run second = cli.run("up", "mysql9", "--set", "max_connections=50").exits(ExitCodes.NAME_CONFLICT);

        assertEquals(List.of("devdb: instance mysql9 is running with a different configuration (max_connections: "
                + "unset -> 50); replace it with `devdb up --recreate`, or pick another --name"), second.errLines(),
                second::describe);
        assertEquals("", second.out(), second::describe);
        ContainerInfo c = container(second);
        assertEquals(id, c.id(), second::describe);
        assertEquals("running", c.state(), second::describe);
        assertEquals(List.of(), cli.engine.calls("remove"), second::describe);
    }

    @Test
    void recreate_replaces_an_instance_with_another_configuration() {
        TestCli.Run first = cli.run("up", "mysql9").exits(ExitCodes.OK);
        String oldId = container(first).id();

        TestCli.Run second = cli.run("up", "mysql9", "--set", "max_connections=50", "--recreate")
                .exits(ExitCodes.OK);

        assertNotEquals(oldId, container(second).id(), second::describe);
        assertEquals(List.of(CONTAINER), cli.engine.containerNames(), second::describe);
        assertTrue(cli.engine.file(CONTAINER, "/etc/mysql/conf.d/devdb.cnf").contains("\nmax_connections = 50\n"),
                second::describe);
    }

    @Test
    void foreign_container_with_the_instance_name_is_a_conflict_and_untouched() {
        String id = cli.engine.addContainer(CONTAINER, "nginx:1.27", Map.of("maintainer", "someone"), "running");

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.NAME_CONFLICT);

        assertEquals(List.of("devdb: a container named devdb-mysql9 exists and was not created by devdb; "
                + "devdb leaves it alone: choose another --name"), run.errLines(), run::describe);
        ContainerInfo c = container(run);
        assertEquals(id, c.id(), run::describe);
        assertEquals("nginx:1.27", c.image(), run::describe);
        assertEquals("running", c.state(), run::describe);
        assertEquals(Map.of("maintainer", "someone"), c.labels(), run::describe);
        assertEquals(List.of(), cli.engine.calls("remove"), run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
    }

    @Test
    void stopped_instance_with_the_name_is_a_conflict_pointing_at_recreate() {
        cli.engine.addContainer(CONTAINER, IMAGE, Map.of("devdb.managed", "true", "devdb.name", "mysql9"), "exited");

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.NAME_CONFLICT);

        assertEquals(List.of("devdb: instance mysql9 exists but is exited (exit code 0); see `devdb logs mysql9`, "
                + "then `devdb up --recreate` or `devdb down mysql9`"), run.errLines(), run::describe);
        assertEquals(List.of(CONTAINER), cli.engine.containerNames(), run::describe);
    }

    @Test
    void server_exiting_during_start_exits_8_with_its_errors_and_is_removed() {
        cli.engine.exitOnNextStart(1, List.of(
                "2025-06-01 10:00:00+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 9.7.0 started.",
                "2025-06-01T10:00:01.000000Z 0 [System] [MY-010116] [Server] /usr/sbin/mysqld starting",
                "2025-06-01T10:00:01.100000Z 0 [ERROR] [MY-000067] [Server] unknown variable 'innodb_bogus=1'.",
                "2025-06-01T10:00:01.200000Z 0 [ERROR] [MY-010119] [Server] Aborting"));

        TestCli.Run run = cli.run("up", "mysql9", "--set", "innodb_bogus=1").exits(ExitCodes.SERVER_FAILED);

        List<String> err = run.errLines();
        assertTrue(err.contains("  [ERROR] [MY-000067] [Server] unknown variable 'innodb_bogus=1'."), run::describe);
        assertTrue(err.contains("  [ERROR] [MY-010119] [Server] Aborting"), run::describe);
        assertEquals("devdb: the server in mysql9 stopped while starting (exit code 1): [ERROR] [MY-000067] [Server] "
                + "unknown variable 'innodb_bogus=1'.; the container was removed", err.get(err.size() - 1),
                run::describe);
        assertEquals("", run.out(), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
        assertEquals(List.of("remove " + CONTAINER), cli.engine.calls("remove"), run::describe);
    }

    @Test
    void an_image_the_start_script_finds_unfit_exits_14_naming_what_it_lacks_and_is_removed() {
        cli.engine.exitOnNextStart(StartScript.UNFIT_EXIT, List.of(
                "2026-12-01 10:00:00+00:00 [ERROR] [devdb]: unfit image: the image has no mysqld on PATH, no mysql user"));

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.IMAGE_UNFIT);

        assertEquals(List.of("devdb: image devdb-test/mysql:9.7 cannot run a devdb instance: the image has no mysqld on "
                + "PATH, no mysql user; see \"What devdb needs of an image\" in the README; the container was removed"),
                run.errLines().subList(run.errLines().size() - 1, run.errLines().size()), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void an_image_without_bash_exits_14_before_anything_runs_and_is_removed() {
        cli.engine.failOnNextStart(new DevDbException(ExitCodes.IMAGE_UNFIT,
                "the image has no bash on PATH"));

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.IMAGE_UNFIT);

        assertEquals(List.of("devdb: image devdb-test/mysql:9.7 cannot run a devdb instance: the image has no bash on "
                + "PATH; see \"What devdb needs of an image\" in the README; the container was removed"),
                run.errLines().subList(run.errLines().size() - 1, run.errLines().size()), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void another_exit_code_with_the_same_words_is_a_server_failure() {
        cli.engine.exitOnNextStart(1, List.of("2026-12-01 10:00:00+00:00 [ERROR] [devdb]: unfit image: not really"));

        cli.run("up", "mysql9").exits(ExitCodes.SERVER_FAILED);
    }

    @Test
    void pull_never_with_a_missing_image_exits_5_before_creating_anything() {
        TestCli.Run run = cli.run("up", "mysql8", "--pull", "never").exits(ExitCodes.IMAGE);

        assertEquals(List.of("devdb: image devdb-test/mysql:8.4 is not available locally and --pull never was "
                + "given; pull it or allow pulling"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.calls("pull"), run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
    }

    @Test
    void missing_image_is_pulled_through_the_registry() {
        cli.env.put("DEVDB_REGISTRY", "mirror.example.com/hub/");

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.OK);

        assertEquals(List.of("pull mirror.example.com/hub/mysql:9.7"), cli.engine.calls("pull"), run::describe);
        assertTrue(run.errLines().contains("devdb: pulling mirror.example.com/hub/mysql:9.7"), run::describe);
        assertEquals("mirror.example.com/hub/mysql:9.7", container(run).image(), run::describe);
    }

    @Test
    void image_that_cannot_be_pulled_exits_5_without_a_container() {
        cli.engine.unpullable("devdb-test/mysql:8.4");

        TestCli.Run run = cli.run("up", "mysql8").exits(ExitCodes.IMAGE);

        assertEquals("devdb: cannot pull image devdb-test/mysql:8.4: manifest unknown",
                run.errLines().get(run.errLines().size() - 1), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void host_port_in_use_exits_6_and_removes_the_container() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
            String port = Integer.toString(taken.getLocalPort());

            TestCli.Run run = cli.run("up", "mysql9", "--port", port).exits(ExitCodes.PORT_IN_USE);

            assertTrue(run.errLines().get(run.errLines().size() - 1).startsWith("devdb: the host port is already in use"),
                    run::describe);
            assertEquals(List.of(), cli.engine.containerNames(), run::describe);
        }
    }

    @Test
    void fixed_port_is_recorded_in_a_label() throws IOException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }

        TestCli.Run run = cli.run("up", "mysql9", "--port", Integer.toString(port)).exits(ExitCodes.OK);

        ContainerInfo c = container(run);
        assertEquals(Integer.toString(port), c.labels().get("devdb.fixed-port"), run::describe);
        assertEquals(port, c.hostPort().intValue(), run::describe);
    }

    @Test
    void unknown_profile_exits_3_and_suggests_the_closest() {
        TestCli.Run run = cli.run("up", "mysql99").exits(ExitCodes.PROFILE);

        assertEquals(List.of("devdb: unknown profile 'mysql99'; did you mean 'mysql9'? Known profiles: mariadb10, "
                + "mariadb105, mariadb11, mysql57, mysql8, mysql80, mysql9"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
    }

    @Test
    void timeout_that_is_not_a_duration_is_a_usage_error() {
        TestCli.Run run = cli.run("up", "mysql9", "--timeout", "soon").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: --timeout 'soon' is not a duration; use e.g. 90s or 3m"), run.errLines(),
                run::describe);
        assertEquals(List.of(), cli.engine.calls(), run::describe);
    }

    @Test
    void set_key_with_a_line_break_is_a_usage_error_and_creates_nothing() {
        TestCli.Run run = cli.run("up", "mysql9", "--set", "max_connections\n[client]=1").exits(ExitCodes.USAGE);

        assertTrue(run.err().startsWith("devdb: --set "), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void set_of_a_reserved_option_is_a_usage_error() {
        TestCli.Run run = cli.run("up", "mysql9", "--set", "bind-address=0.0.0.0").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: --set bind-address: server option 'bind-address' cannot be set: devdb binds the "
                + "published port to 127.0.0.1 on the host"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    private static Map<String, String> withoutKeys(Map<String, String> map, String... keys) {
        Map<String, String> copy = new HashMap<>(map);
        for (String k : keys) {
            copy.remove(k);
        }
        return copy;
    }
}
