package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Input that once crashed devdb or misled its user: one clear line, a documented exit code, nothing created. */
@Timeout(60)
class BadInputTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:10.11");

    /** Asserts that stderr holds no control character but line ends, and returns its lines. */
    private static List<String> printable(TestCli.Run run) {
        for (char c : run.err().toCharArray()) {
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            assertTrue(c == '\n' || !control, () -> String.format("U+%04X in stderr: %s", (int) c, run.describe()));
        }
        return run.errLines();
    }

    @ParameterizedTest
    @ValueSource(strings = {"host", "none", "bridge"})
    void docker_built_in_networks_are_refused_before_anything_is_created(String network) {
        for (String profile : List.of("mysql9", "mariadb10")) {
            TestCli.Run run = cli.run("up", profile, "--network", network).exits(ExitCodes.USAGE);

            assertEquals(List.of("devdb: --network " + network + " is one of Docker's built-in networks (bridge, host,"
                    + " none), which give a container no host name of its own: create a network (docker network"
                    + " create NET) and give that; the port is published on 127.0.0.1 either way"), run.errLines(),
                    run::describe);
            assertEquals(List.of(), cli.engine.calls("create"), run::describe);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"enable-skip-networking", "enable_skip_networking=1", "skip-network", "loose-skip-net",
            "disable-skip-networking", "loose_enable_skip_networking=ON"})
    void up_set_refuses_skip_networking_under_every_spelling_the_server_takes(String set) {
        TestCli.Run run = cli.run("up", "mysql9", "--set", set).exits(ExitCodes.USAGE);

        String key = set.contains("=") ? set.substring(0, set.indexOf('=')) : set;
        assertEquals(List.of("devdb: --set " + key + ": server option '" + key + "' cannot be set: devdb reaches the"
                + " server over TCP (the server reads '" + key + "' as skip_networking)"), run.errLines(),
                run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void a_profile_mycnf_with_an_owned_option_in_disguise_exits_3() throws IOException {
        cli.projectProfile("nonet", "flavor: mysql\nversion: \"9.7\"\nmycnf:\n  enable-skip-networking:\n");

        TestCli.Run run = cli.run("up", "nonet").exits(ExitCodes.PROFILE);

        assertTrue(run.err().contains("mycnf: server option 'enable-skip-networking' cannot be set: devdb reaches the"
                + " server over TCP"), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void devdb_set_refuses_an_owned_option_in_disguise() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("set", "mysql9", "enable_skip_networking=ON").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: server option 'enable_skip_networking' cannot be set: devdb reaches the server"
                + " over TCP (the server reads 'enable_skip_networking' as skip_networking)"), run.errLines(),
                run::describe);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x$1", "mirror.example.com/$(id)", "a b", "mirror:port"})
    void a_registry_prefix_that_is_no_registry_exits_2_naming_the_variable(String registry) {
        cli.env.put("DEVDB_REGISTRY", registry);

        TestCli.Run run = cli.run("up", "mysql9").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: DEVDB_REGISTRY '" + registry + "' is not a registry: use HOST[:PORT][/PATH], e.g."
                + " mirror.example.com/hub"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.calls(), run::describe);
    }

    @Test
    void escape_sequences_in_a_name_are_shown_not_obeyed() {
        TestCli.Run run = cli.run("up", "mysql9", "--name", "rel-\u001b[31mred").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: instance name 'rel-\\x1b[31mred' is not valid: use up to 48 letters, digits, '_',"
                + " '.' or '-', starting with a letter or digit"), printable(run), run::describe);
    }

    @Test
    void a_window_title_sequence_in_a_profile_version_is_shown_not_obeyed() throws IOException {
        cli.projectProfile("title", "flavor: mysql\nversion: \"9.7\\e]0;owned\\a\"\n");

        TestCli.Run run = cli.run("up", "title").exits(ExitCodes.PROFILE);

        List<String> lines = printable(run);
        assertEquals(1, lines.size(), run::describe);
        assertTrue(lines.get(0).contains("9.7\\x1b]0;owned\\x07"), run::describe);
    }

    @Test
    void c1_controls_and_del_are_escaped_too() {
        TestCli.Run run = cli.run("down", "a\u009b2Jb\u007f").exits(ExitCodes.USAGE);

        assertTrue(printable(run).get(0).startsWith("devdb: instance name 'a\\u009b2Jb\\x7f' is not valid"),
                run::describe);
    }

    @Test
    void an_unknown_option_with_an_escape_sequence_is_shown_escaped() {
        TestCli.Run run = cli.run("ps", "--bogus\u001b[2J").exits(ExitCodes.USAGE);

        assertEquals("devdb: Unknown option: '--bogus\\x1b[2J'", printable(run).get(0), run::describe);
    }

    @Test
    void a_profile_with_a_key_twice_exits_3_naming_where() throws IOException {
        cli.projectProfile("twice", "flavor: mysql\nversion: \"9.7\"\nflavor: mariadb\n");

        TestCli.Run run = cli.run("up", "twice").exits(ExitCodes.PROFILE);

        assertEquals(1, run.errLines().size(), run::describe);
        assertTrue(run.errLines().get(0).endsWith("twice.yaml:3:1: field 'flavor' is given twice; keep one"),
                run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
    }

    @Test
    void an_init_directory_without_scripts_exits_2_naming_it() throws IOException {
        Path empty = Files.createDirectories(cli.cwd.resolve("seeds"));
        Path other = Files.createDirectories(cli.cwd.resolve("docs"));
        Files.writeString(other.resolve("README.txt"), "not a script\n");

        for (Path p : List.of(empty, other)) {
            TestCli.Run run = cli.run("up", "mysql9", "--init", p.getFileName().toString()).exits(ExitCodes.USAGE);

            assertEquals(List.of("devdb: seed directory " + p + " has no .sql, .sql.gz or .sh file; add the scripts or"
                    + " leave the directory out"), run.errLines(), run::describe);
            assertEquals(List.of(), cli.engine.containerNames(), run::describe);
        }
    }

    @Test
    void a_profile_init_directory_without_scripts_is_refused_too() throws IOException {
        Files.createDirectories(cli.cwd.resolve("profiles").resolve("db"));
        cli.projectProfile("seeded", "flavor: mysql\nversion: \"9.7\"\ninit:\n  - db/\n");

        TestCli.Run run = cli.run("up", "seeded").exits(ExitCodes.USAGE);

        assertTrue(run.err().contains("has no .sql, .sql.gz or .sh file"), run::describe);
        assertFalse(run.err().contains("\tat "), run::describe);
    }
}
