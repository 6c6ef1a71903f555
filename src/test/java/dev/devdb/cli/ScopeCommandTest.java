package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ExecResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Scopes on the in-memory engine: naming, validation, and commands that stay within their scope. */
@Timeout(60)
class ScopeCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:11.8");

    /** {@code devdb --scope SCOPE ARGS}. */
    private TestCli.Run in(String scope, String... args) {
        return cli.run(Stream.concat(Stream.of("--scope", scope), Stream.of(args)).toArray(String[]::new));
    }

    private ContainerInfo container(String name) {
        return cli.engine.container(name).orElseThrow(() -> new AssertionError("no container " + name + " in "
                + cli.engine.containerNames()));
    }

    private static List<String> names(TestCli.Run ps) throws IOException {
        List<String> names = new ArrayList<>();
        JSON.readTree(ps.out()).forEach(i -> names.add(i.get("name").asText()));
        return names;
    }

    @Test
    void the_same_name_in_two_scopes_and_the_default_scope_gives_three_containers_that_cannot_collide()
            throws IOException {
        cli.run("up", "mysql9", "--name", "app").exits(ExitCodes.OK);
        in("ci-1", "up", "mysql9", "--name", "app").exits(ExitCodes.OK);
        in("ci-2", "up", "mariadb11", "--name", "app").exits(ExitCodes.OK);

        assertEquals(List.of("devdb-app", "devdb.ci-1.app", "devdb.ci-2.app"), cli.engine.containerNames());
        assertFalse(container("devdb-app").labels().containsKey("devdb.scope") && !container("devdb-app").labels()
                .get("devdb.scope").isEmpty(), "the default scope has no scope name");
        assertEquals("ci-1", container("devdb.ci-1.app").labels().get("devdb.scope"));
        assertEquals("ci-2", container("devdb.ci-2.app").labels().get("devdb.scope"));
        List<Integer> ports = Stream.of("devdb-app", "devdb.ci-1.app", "devdb.ci-2.app")
                .map(n -> container(n).hostPort()).distinct().toList();
        assertEquals(3, ports.size(), "each is a server of its own: " + ports);

        TestCli.Run ps = in("ci-2", "ps", "--json").exits(ExitCodes.OK);
        JsonNode only = JSON.readTree(ps.out());
        assertEquals(1, only.size(), ps::describe);
        assertEquals("ci-2", only.get(0).get("scope").asText(), ps::describe);
        assertEquals("devdb.ci-2.app", only.get(0).get("container").asText(), ps::describe);
        assertEquals("mariadb", only.get(0).get("flavor").asText(), ps::describe);
        TestCli.Run ps0 = cli.run("ps", "--json").exits(ExitCodes.OK);
        assertEquals(1, JSON.readTree(ps0.out()).size(), ps0::describe);
        assertTrue(JSON.readTree(ps0.out()).get(0).get("scope").isNull(), ps0::describe);

        TestCli.Run url = in("ci-1", "url", "app").exits(ExitCodes.OK);
        assertTrue(url.out().contains(":" + container("devdb.ci-1.app").hostPort() + "/"), url::describe);
    }

    @Test
    void the_option_comes_before_or_after_the_subcommand_and_overrides_the_variable() throws IOException {
        cli.env.put("DEVDB_SCOPE", "from-env");
        cli.run("up", "mysql9", "--name", "a").exits(ExitCodes.OK);
        cli.run("up", "mysql9", "--name", "b", "--scope", "from-option").exits(ExitCodes.OK);

        assertEquals(List.of("devdb.from-env.a", "devdb.from-option.b"), cli.engine.containerNames());
        assertEquals(List.of("a"), names(cli.run("ps", "--json").exits(ExitCodes.OK)));
        assertEquals(List.of("b"), names(cli.run("--scope", "from-option", "ps", "--json").exits(ExitCodes.OK)));
        assertEquals(List.of("b"), names(cli.run("ps", "--json", "--scope", "from-option").exits(ExitCodes.OK)));
        cli.env.put("DEVDB_SCOPE", "");
        assertEquals(List.of(), names(cli.run("ps", "--json").exits(ExitCodes.OK)), "empty is the default scope");
    }

    @Test
    void an_invalid_scope_exits_2_with_one_line_and_creates_nothing() {
        for (String bad : List.of("a.b", "../x", "-x", "x y", "a".repeat(49), "bad$(id)")) {
            TestCli.Run run = cli.run("up", "mysql9", "--scope", bad).exits(ExitCodes.USAGE);
            assertEquals(1, run.errLines().size(), run::describe);
            assertTrue(run.err().startsWith("devdb: --scope: scope '"), run::describe);
            assertTrue(run.err().contains("is not valid: use up to 48 letters, digits, '_' or '-'"), run::describe);
        }
        cli.env.put("DEVDB_SCOPE", "a.b");
        TestCli.Run run = cli.run("ps").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: DEVDB_SCOPE: scope 'a.b' is not valid: use up to 48 letters, digits, '_' or '-',"
                + " starting with a letter or digit"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.containerNames());
        assertEquals(List.of(), cli.engine.calls("create"));
    }

    @Test
    void a_name_is_looked_up_only_in_the_current_scope() {
        cli.run("up", "mysql9", "--name", "app").exits(ExitCodes.OK);

        TestCli.Run down = in("ci", "down", "app").exits(ExitCodes.NO_INSTANCE);
        assertEquals(List.of("devdb: no instance named app in scope ci; none exist"), down.errLines(), down::describe);
        in("ci", "shell", "app", "-e", "select 1").exits(ExitCodes.NO_INSTANCE);
        in("ci", "reset", "app").exits(ExitCodes.NO_INSTANCE);
        in("ci", "env", "app").exits(ExitCodes.NO_INSTANCE);
        TestCli.Run only = in("ci", "env").exits(ExitCodes.NO_INSTANCE);
        assertEquals(List.of("devdb: no devdb instance exists in scope ci; start one with `devdb up`"),
                only.errLines(), only::describe);
        assertEquals(List.of("devdb-app"), cli.engine.containerNames());
        assertEquals(List.of(), cli.engine.calls("remove"));
    }

    @Test
    void down_all_and_prune_stay_within_the_scope() {
        cli.run("up", "mysql9", "--name", "mine").exits(ExitCodes.OK);
        cli.run("up", "mysql9", "--name", "mine-stopped").exits(ExitCodes.OK);
        in("other", "up", "mysql9", "--name", "theirs").exits(ExitCodes.OK);
        in("ci", "up", "mysql9", "--name", "a").exits(ExitCodes.OK);
        in("ci", "up", "mysql9", "--name", "b").exits(ExitCodes.OK);
        cli.engine.kill(container("devdb-mine-stopped").id());
        cli.engine.kill(container("devdb.other.theirs").id());
        cli.engine.kill(container("devdb.ci.b").id());

        TestCli.Run prune = in("ci", "prune").exits(ExitCodes.OK);
        assertEquals(List.of("devdb-mine", "devdb-mine-stopped", "devdb.ci.a", "devdb.other.theirs"),
                cli.engine.containerNames().stream().sorted().toList(), prune::describe);

        TestCli.Run down = in("ci", "down", "--all").exits(ExitCodes.OK);
        assertEquals(List.of("devdb: removed a", "devdb: removed 1 instance"), down.errLines(), down::describe);
        assertEquals(List.of("devdb-mine", "devdb-mine-stopped", "devdb.other.theirs"), cli.engine.containerNames());

        cli.run("prune").exits(ExitCodes.OK);
        assertEquals(List.of("devdb-mine", "devdb.other.theirs"), cli.engine.containerNames());
        cli.run("down", "--all").exits(ExitCodes.OK);
        assertEquals(List.of("devdb.other.theirs"), cli.engine.containerNames());
    }

    @Test
    void instances_made_before_scopes_belong_to_the_default_scope() throws IOException {
        cli.engine.addContainer("devdb-old", "devdb-test/mysql:9.7", Map.of("devdb.managed", "true",
                "devdb.name", "old", "devdb.flavor", "mysql", "devdb.version", "9.7"), "exited");

        assertEquals(List.of("old"), names(cli.run("ps", "--json").exits(ExitCodes.OK)));
        assertEquals(List.of(), names(in("ci", "ps", "--json").exits(ExitCodes.OK)));
        in("ci", "down", "--all").exits(ExitCodes.OK);
        in("ci", "prune").exits(ExitCodes.OK);
        assertEquals(List.of("devdb-old"), cli.engine.containerNames());
        cli.run("prune").exits(ExitCodes.OK);
        assertEquals(List.of(), cli.engine.containerNames());
    }

    @Test
    void a_warm_start_from_an_entry_another_scope_made_stays_in_its_own_scope() throws IOException {
        in("ci", "up", "mysql9", "--name", "app").exits(ExitCodes.OK);
        cli.run("up", "mysql9", "--name", "app").exits(ExitCodes.OK);
        in("other", "up", "mysql9", "--name", "app").exits(ExitCodes.OK);

        String key = container("devdb.ci.app").labels().get("devdb.cache-key");
        assertEquals(key, container("devdb-app").labels().get("devdb.cache-key"), "one entry for one configuration");
        assertEquals(List.of("app"), names(cli.run("ps", "--json").exits(ExitCodes.OK)));
        assertEquals(List.of("app"), names(in("ci", "ps", "--json").exits(ExitCodes.OK)));
        assertEquals(List.of("app"), names(in("other", "ps", "--json").exits(ExitCodes.OK)));
        cli.run("reset", "app").exits(ExitCodes.OK);
        in("other", "reset", "app").exits(ExitCodes.OK);
        assertEquals(List.of("app"), names(cli.run("ps", "--json").exits(ExitCodes.OK)));
        assertEquals(List.of("app"), names(in("other", "ps", "--json").exits(ExitCodes.OK)));
        assertEquals(List.of("app"), names(in("ci", "ps", "--json").exits(ExitCodes.OK)));
        assertEquals("ci", cli.engine.imageLabels("devdb-cache:" + key).get("devdb.scope"),
                "the clean copy a reset keeps stays the entry of the scope that made it");
    }

    @Test
    void cache_prune_removes_only_entries_its_scope_made_that_no_instance_of_any_scope_uses() throws IOException {
        in("ci", "up", "mysql9", "--name", "shared").exits(ExitCodes.OK);
        in("ci", "up", "mysql9", "--name", "own", "--set", "max_connections=10").exits(ExitCodes.OK);
        in("ci", "up", "mysql9", "--name", "gone", "--set", "max_connections=20").exits(ExitCodes.OK);
        cli.run("up", "mysql9", "--name", "shared").exits(ExitCodes.OK);
        cli.run("up", "mariadb11", "--name", "default").exits(ExitCodes.OK);
        cli.run("down", "default").exits(ExitCodes.OK);
        String shared = "devdb-cache:" + container("devdb-shared").labels().get("devdb.cache-key");
        String own = "devdb-cache:" + container("devdb.ci.own").labels().get("devdb.cache-key");
        String gone = "devdb-cache:" + container("devdb.ci.gone").labels().get("devdb.cache-key");
        in("ci", "down", "gone").exits(ExitCodes.OK);
        in("ci", "down", "shared").exits(ExitCodes.OK);

        TestCli.Run ls = in("ci", "cache", "ls", "--json").exits(ExitCodes.OK);
        JsonNode entries = JSON.readTree(ls.out());
        assertEquals(3, entries.size(), ls::describe);
        for (JsonNode e : entries) {
            assertEquals("ci", e.get("scope").asText(), ls::describe);
            if (e.get("image").asText().equals(shared)) {
                assertEquals(0, e.get("usedBy").size(), "the scope's own instances only: " + ls.describe());
                assertEquals(1, e.get("usedInOtherScopes").asInt(), ls::describe);
            }
        }
        TestCli.Run ls0 = cli.run("cache", "ls", "--json").exits(ExitCodes.OK);
        assertEquals(2, JSON.readTree(ls0.out()).size(), "the entry the default scope made and the one it uses: "
                + ls0.describe());

        TestCli.Run prune = in("ci", "cache", "prune", "--all").exits(ExitCodes.OK);
        assertEquals(2, prune.outLines().size(), prune::describe);
        assertFalse(cli.engine.imageReferences().contains(gone), prune::describe);
        assertFalse(cli.engine.imageReferences().contains(own), "--all removes those its own instances use");
        assertTrue(cli.engine.imageReferences().contains(shared), "another scope's instance uses it");

        TestCli.Run other = in("other", "cache", "prune", "--all").exits(ExitCodes.OK);
        assertEquals(List.of(), other.outLines(), other::describe);
        long defaultEntries = cli.engine.imageReferences().stream().filter(r -> r.startsWith("devdb-cache:")).count();
        assertEquals(2, defaultEntries, "the default scope's entry and the shared one stay");
        cli.run("cache", "prune").exits(ExitCodes.OK);
        assertEquals(1, cli.engine.imageReferences().stream().filter(r -> r.startsWith("devdb-cache:")).count());
        assertTrue(cli.engine.imageReferences().contains(shared));
    }

    @Test
    void snapshots_of_the_same_tag_in_two_scopes_are_two_images_and_stay_within_their_scope() throws IOException {
        cli.run("up", "mysql9", "--name", "app").exits(ExitCodes.OK);
        in("ci", "up", "mysql9", "--name", "app").exits(ExitCodes.OK);
        cli.run("snapshot", "save", "app", "before").exits(ExitCodes.OK);
        in("ci", "snapshot", "save", "app", "before").exits(ExitCodes.OK);

        assertTrue(cli.engine.imageReferences().containsAll(List.of("devdb-snapshot:before",
                "devdb.snapshot:ci.before")), cli.engine.imageReferences()::toString);
        TestCli.Run ls = in("ci", "snapshot", "ls", "--json").exits(ExitCodes.OK);
        assertEquals(1, JSON.readTree(ls.out()).size(), ls::describe);
        in("ci", "snapshot", "restore", "app", "before").exits(ExitCodes.OK);
        assertEquals("devdb.snapshot:ci.before", container("devdb.ci.app").image());
        assertEquals(List.of("app"), names(in("ci", "ps", "--json").exits(ExitCodes.OK)));

        in("ci", "snapshot", "rm", "before").exits(ExitCodes.OK);
        assertTrue(cli.engine.imageReferences().contains("devdb-snapshot:before"));
        in("ci", "snapshot", "rm", "before").exits(ExitCodes.SNAPSHOT);
        TestCli.Run ls0 = cli.run("snapshot", "ls", "--json").exits(ExitCodes.OK);
        assertEquals(1, JSON.readTree(ls0.out()).size(), ls0::describe);

        TestCli.Run tooLong = in("ci", "snapshot", "save", "app", "t".repeat(127)).exits(ExitCodes.USAGE);
        assertEquals(1, tooLong.errLines().size(), tooLong::describe);
        assertTrue(tooLong.err().contains("too long for scope ci"), tooLong::describe);
    }

    @Test
    void topology_networks_are_named_by_scope_and_down_all_removes_only_its_own() {
        cli.engine.execResponder(command -> {
            String all = String.join(" ", command);
            if (all.contains("SHOW REPLICA STATUS")) {
                return new ExecResult(0, """
                        *************************** 1. row ***************************
                                   Replica_IO_Running: Yes
                                  Replica_SQL_Running: Yes
                                          Source_Host: db
                                        Last_IO_Error:\s
                                       Last_SQL_Error:\s
                                Seconds_Behind_Source: 0
                        *************************** 2. row ***************************
                        Devdb_Caught_Up: 1
                        """, "");
            }
            if (all.contains("gtid_executed")) {
                return new ExecResult(0, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5\n", "");
            }
            return new ExecResult(0, "", "");
        });
        cli.run("up", "mysql9", "--name", "db", "--replicas", "1").exits(ExitCodes.OK);
        in("ci", "up", "mysql9", "--name", "db", "--replicas", "1").exits(ExitCodes.OK);

        assertEquals(java.util.Set.of("devdb-db", "devdb.ci.db"), cli.engine.networkNames());
        assertEquals(List.of("devdb-db", "devdb-db-r1", "devdb.ci.db", "devdb.ci.db-r1"), cli.engine.containerNames());
        assertNotEquals(container("devdb-db-r1").hostPort(), container("devdb.ci.db-r1").hostPort());

        in("ci", "down", "--all").exits(ExitCodes.OK);
        assertEquals(java.util.Set.of("devdb-db"), cli.engine.networkNames());
        assertEquals(List.of("devdb-db", "devdb-db-r1"), cli.engine.containerNames());
        in("ci", "up", "mysql9", "--name", "db", "--replicas", "1").exits(ExitCodes.OK);
        cli.run("down", "--all").exits(ExitCodes.OK);
        assertEquals(java.util.Set.of("devdb.ci.db"), cli.engine.networkNames());
        assertEquals(List.of("devdb.ci.db", "devdb.ci.db-r1"), cli.engine.containerNames());
    }
}
