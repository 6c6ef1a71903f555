package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.ContainerInfo;
import dev.devdb.mysql.InitFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class SnapshotAndCacheCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:10.11");

    @Test
    void save_then_restore_runs_the_instance_on_the_snapshot_keeping_port_and_credentials() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        ContainerInfo before = cli.engine.container("devdb-mysql9").orElseThrow();
        TestCli.Run save = cli.run("snapshot", "save", "mysql9", "before");
        save.exits(ExitCodes.OK);
        assertTrue(cli.engine.imageReferences().contains("devdb-snapshot:before"), save::describe);

        TestCli.Run restore = cli.run("snapshot", "restore", "before").exits(ExitCodes.OK);

        ContainerInfo after = cli.engine.container("devdb-mysql9").orElseThrow();
        assertNotEquals(before.id(), after.id(), restore::describe);
        assertEquals("devdb-snapshot:before", after.image(), restore::describe);
        assertEquals(before.hostPort(), after.hostPort(), restore::describe);
        assertEquals(before.env().get("MYSQL_PASSWORD"), after.env().get("MYSQL_PASSWORD"), restore::describe);
        assertEquals(before.labels().get("devdb.cache-key"), after.labels().get("devdb.cache-key"),
                "reset after a restore still goes back to the seed state");
    }

    @Test
    void images_made_from_an_instance_carry_no_passwords_and_starts_from_them_get_their_own() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        String key = cli.engine.container("devdb-mysql9").orElseThrow().labels().get("devdb.cache-key");
        cli.run("up", "mysql9", "--name", "second").exits(ExitCodes.OK); // keeps the clean copy
        cli.run("snapshot", "save", "second", "before").exits(ExitCodes.OK);
        ContainerInfo second = cli.engine.container("devdb-second").orElseThrow();

        for (String image : List.of("devdb-cache:" + key, "devdb-snapshot:before")) {
            java.util.Map<String, String> env = cli.engine.imageEnv(image);
            for (String variable : List.of("MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD", "DEVDB_KEEP")) {
                assertEquals("", env.getOrDefault(variable, ""), image + " " + env);
            }
            assertEquals("app", env.get("MYSQL_DATABASE"), image + " " + env);
        }
        TestCli.Run restore = cli.run("snapshot", "restore", "second", "before").exits(ExitCodes.OK);
        ContainerInfo restored = cli.engine.container("devdb-second").orElseThrow();
        for (String variable : List.of("MYSQL_ROOT_PASSWORD", "MYSQL_PASSWORD")) {
            assertFalse(second.env().get(variable).isEmpty(), variable);
            assertEquals(second.env().get(variable), restored.env().get(variable), restore::describe);
        }
        cli.run("up", "mysql9", "--name", "third").exits(ExitCodes.OK);
        ContainerInfo third = cli.engine.container("devdb-third").orElseThrow();
        assertFalse(third.env().get("MYSQL_ROOT_PASSWORD").isEmpty());
        assertNotEquals(second.env().get("MYSQL_ROOT_PASSWORD"), third.env().get("MYSQL_ROOT_PASSWORD"));
    }

    /** The paths of an image's files whose bytes hold one of these strings. */
    private List<String> filesHolding(String image, List<String> secrets) {
        List<String> found = new java.util.ArrayList<>();
        cli.engine.imageFiles(image).forEach((path, bytes) -> {
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (secrets.stream().anyMatch(text::contains)) {
                found.add(path);
            }
        });
        return found;
    }

    private static List<String> passwords(ContainerInfo c) {
        return List.of(c.env().get("MYSQL_ROOT_PASSWORD"), c.env().get("MYSQL_PASSWORD"));
    }

    @Test
    void the_init_file_is_on_the_containers_tmpfs_and_in_no_image_made_from_it() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        String cacheImage = "devdb-cache:" + cli.engine.container("devdb-mysql9").orElseThrow().labels()
                .get("devdb.cache-key");
        cli.run("up", "mysql9", "--name", "second").exits(ExitCodes.OK); // keeps the clean copy
        TestCli.Run reset = cli.run("reset", "second", "--full").exits(ExitCodes.OK);
        cli.run("snapshot", "save", "second", "before").exits(ExitCodes.OK);
        List<String> secrets = new java.util.ArrayList<>(passwords(cli.engine.container("devdb-mysql9").orElseThrow()));
        ContainerInfo second = cli.engine.container("devdb-second").orElseThrow();
        secrets.addAll(passwords(second));

        // each start from initialised data wrote its own passwords where the server reads them
        assertEquals(InitFile.sql(second.env(), "MYSQL_CDC_PASSWORD"),
                cli.engine.file("devdb-second", "/dev/shm/devdb-init.sql"), reset::describe);
        assertEquals(null, cli.engine.file("devdb-second", "/etc/mysql/devdb-init.sql"), reset::describe);
        for (String image : List.of(cacheImage, "devdb-snapshot:before")) {
            assertFalse(cli.engine.imageFiles(image).isEmpty(), image);
            assertEquals(List.of(), filesHolding(image, secrets), image + " holds a password");
        }
        TestCli.Run restore = cli.run("snapshot", "restore", "second", "before").exits(ExitCodes.OK);
        assertEquals(InitFile.sql(second.env(), "MYSQL_CDC_PASSWORD"),
                cli.engine.file("devdb-second", "/dev/shm/devdb-init.sql"), restore::describe);
    }

    @Test
    void a_start_from_an_image_an_earlier_devdb_made_removes_the_init_file_it_holds_and_writes_its_own() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        ContainerInfo first = cli.engine.container("devdb-mysql9").orElseThrow();
        String key = first.labels().get("devdb.cache-key");
        // a clean copy as an earlier devdb kept it: the init file of the start that kept it in its layer
        String stale = "ALTER USER 'root'@'%' IDENTIFIED BY 'stale-secret-of-the-keeper';\n";
        cli.engine.writeFiles(first.id(), "/etc/mysql", java.util.Map.of("devdb-init.sql",
                stale.getBytes(StandardCharsets.UTF_8)));
        cli.engine.commit(first.id(), "devdb-cache", key, java.util.Map.of("devdb.clean", "true"), List.of(
                "MYSQL_ROOT_PASSWORD=", "MYSQL_PASSWORD="));
        assertEquals(List.of("/etc/mysql/devdb-init.sql"), filesHolding("devdb-cache:" + key,
                List.of("stale-secret")));

        TestCli.Run warm = cli.run("up", "mysql9", "--name", "second").exits(ExitCodes.OK);
        cli.run("snapshot", "save", "second", "later").exits(ExitCodes.OK);

        ContainerInfo second = cli.engine.container("devdb-second").orElseThrow();
        assertEquals(List.of("--datadir=/var/lib/devdb/data", "--user=mysql", "--init-file=/dev/shm/devdb-init.sql"),
                cli.engine.spec("devdb-second").command(), warm::describe);
        assertEquals(null, cli.engine.file("devdb-second", "/etc/mysql/devdb-init.sql"), warm::describe);
        assertEquals(InitFile.sql(second.env(), "MYSQL_CDC_PASSWORD"),
                cli.engine.file("devdb-second", "/dev/shm/devdb-init.sql"), warm::describe);
        assertEquals(List.of(), filesHolding("devdb-snapshot:later", List.of("stale-secret")));
    }

    @Test
    void a_snapshot_of_another_image_is_refused_and_the_instance_is_untouched() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("up", "mariadb10").exits(ExitCodes.OK);
        cli.run("snapshot", "save", "mysql9", "m9").exits(ExitCodes.OK);
        ContainerInfo maria = cli.engine.container("devdb-mariadb10").orElseThrow();

        TestCli.Run run = cli.run("snapshot", "restore", "mariadb10", "m9").exits(ExitCodes.SNAPSHOT);

        assertEquals(1, run.errLines().size(), run::describe);
        assertTrue(run.err().contains("snapshot m9 was saved from devdb-test/mysql:9.7"), run::describe);
        assertTrue(run.err().contains("mariadb10 runs devdb-test/mariadb:10.11"), run::describe);
        assertEquals(maria.id(), cli.engine.container("devdb-mariadb10").orElseThrow().id(), run::describe);
    }

    @Test
    void saving_a_tag_twice_is_refused_and_rm_then_restore_says_it_is_gone() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("snapshot", "save", "t1").exits(ExitCodes.OK);
        TestCli.Run twice = cli.run("snapshot", "save", "t1").exits(ExitCodes.SNAPSHOT);
        assertTrue(twice.err().contains("devdb snapshot rm t1"), twice::describe);

        cli.run("snapshot", "rm", "t1").exits(ExitCodes.OK);
        TestCli.Run gone = cli.run("snapshot", "restore", "t1").exits(ExitCodes.SNAPSHOT);
        assertTrue(gone.err().startsWith("devdb: no snapshot t1"), gone::describe);
    }

    @Test
    void restoring_onto_a_member_of_a_replication_topology_is_refused() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("snapshot", "save", "mysql9", "topo").exits(ExitCodes.OK);
        java.util.Map<String, String> labels = new java.util.HashMap<>(
                cli.engine.container("devdb-mysql9").orElseThrow().labels());
        labels.put("devdb.name", "topo-r1");
        labels.put("devdb.role", "replica");
        String replica = cli.engine.addContainer("devdb-topo-r1", "devdb-test/mysql:9.7", labels, "running");

        TestCli.Run run = cli.run("snapshot", "restore", "topo-r1", "topo").exits(ExitCodes.SNAPSHOT);

        assertTrue(run.err().contains("replica of a replication topology"), run::describe);
        assertEquals(replica, cli.engine.container("devdb-topo-r1").orElseThrow().id(), run::describe);
    }

    @Test
    void snapshot_tags_are_validated() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        TestCli.Run run = cli.run("snapshot", "save", "mysql9", "../etc").exits(ExitCodes.USAGE);
        assertTrue(run.err().contains("snapshot tag '../etc' is not valid"), run::describe);
    }

    @Test
    void snapshot_ls_json_lists_tag_instance_and_image() throws IOException {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("snapshot", "save", "s1").exits(ExitCodes.OK);
        TestCli.Run ls = cli.run("snapshot", "ls", "--json").exits(ExitCodes.OK);
        JsonNode arr = new ObjectMapper().readTree(ls.out());
        assertEquals(1, arr.size(), ls::describe);
        assertEquals("s1", arr.get(0).get("tag").asText());
        assertEquals("mysql9", arr.get(0).get("instance").asText());
        assertEquals("devdb-test/mysql:9.7", arr.get(0).get("image").asText());
    }

    @Test
    void cache_prune_keeps_entries_in_use_and_all_removes_them() throws IOException {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        cli.run("up", "mysql9", "--name", "other", "--set", "max_connections=10").exits(ExitCodes.OK);
        cli.run("down", "other").exits(ExitCodes.OK);

        TestCli.Run ls = cli.run("cache", "ls", "--json").exits(ExitCodes.OK);
        JsonNode entries = new ObjectMapper().readTree(ls.out());
        assertEquals(2, entries.size(), ls::describe);
        for (JsonNode e : entries) {
            assertFalse(e.get("clean").asBoolean(), "a first up keeps what runs: " + ls.describe());
        }
        cli.run("reset", "mysql9").exits(ExitCodes.OK);
        TestCli.Run table = cli.run("cache", "ls").exits(ExitCodes.OK);
        String inUseKey = cli.engine.container("devdb-mysql9").orElseThrow().labels().get("devdb.cache-key");
        for (String row : table.outLines()) {
            List<String> cells = List.of(row.split("\t"));
            assertEquals(7, cells.size(), table::describe);
            assertEquals(cells.get(0).equals(inUseKey) ? "yes" : "no", cells.get(5),
                    "the first reset kept a clean copy of its entry: " + table.describe());
        }

        TestCli.Run prune = cli.run("cache", "prune").exits(ExitCodes.OK);
        assertEquals(1, prune.outLines().size(), prune::describe);
        String inUse = "devdb-cache:" + cli.engine.container("devdb-mysql9").orElseThrow().labels().get("devdb.cache-key");
        assertTrue(cli.engine.imageReferences().contains(inUse), prune::describe);

        cli.run("cache", "prune", "--all").exits(ExitCodes.OK);
        assertFalse(cli.engine.imageReferences().contains(inUse));
        cli.run("reset", "mysql9").exits(ExitCodes.IMAGE);
    }
}
