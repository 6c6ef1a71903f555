package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.ExitCodes;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** shell and exec on the in-memory engine: what runs in the container, with what, and what comes back. */
@Timeout(60)
class ShellCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:11.8");
    String password;

    @BeforeEach
    void setUp() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);
        password = cli.engine.container("devdb-mysql9").orElseThrow().env().get("MYSQL_PASSWORD");
    }

    @Test
    void shell_e_runs_the_client_with_the_sql_and_passes_its_output_and_exit_code() {
        cli.engine.execAnswers(1, "x\n42\n", "ERROR 1146 (42S02) at line 1\n");

        TestCli.Run run = cli.run("shell", "-e", "SELECT 6*7 AS x").exits(1);

        assertEquals(List.of("execAttached devdb-mysql9 mysql --user=app --database=app --execute=SELECT 6*7 AS x"),
                cli.engine.calls("execAttached"), run::describe);
        assertEquals("x\n42\n", run.out(), run::describe);
        assertEquals("ERROR 1146 (42S02) at line 1\n", run.err(), run::describe);
        assertEquals(password, cli.engine.lastExecEnv().get("MYSQL_PWD"));
        assertFalse(cli.engine.calls().stream().anyMatch(c -> c.contains(password)), cli.engine.calls()::toString);
    }

    @Test
    void shell_e_whose_output_lost_its_reader_exits_141_and_ends_the_client_in_the_container() {
        cli.engine.execAnswers(0, "x\n42\n", "");

        TestCli.Run run = cli.runWithClosedStdout("shell", "-e", "SELECT 6*7 AS x").exits(ExitCodes.OUTPUT_CLOSED);

        assertEquals("", run.err(), run::describe);
        String token = cli.engine.lastExecEnv().get("DEVDB_SESSION");
        List<String> execs = cli.engine.calls("exec");
        String last = execs.get(execs.size() - 1);
        assertTrue(last.startsWith("exec devdb-mysql9 sh -c alive() ") && last.contains("alive PIPE"), execs::toString);
        assertTrue(last.endsWith(" " + token), execs::toString);
    }

    @Test
    void exec_and_dump_whose_output_lost_its_reader_exit_141_and_end_their_command() {
        cli.engine.execAnswers(0, "y\ny\ny\n", "");

        cli.runWithClosedStdout("exec", "--", "sh", "-c", "yes").exits(ExitCodes.OUTPUT_CLOSED);
        String token = cli.engine.lastExecEnv().get("DEVDB_SESSION");
        List<String> execs = cli.engine.calls("exec");
        assertTrue(execs.get(execs.size() - 1).endsWith(" " + token), execs::toString);

        TestCli.Run dump = cli.runWithClosedStdout("dump").exits(ExitCodes.OUTPUT_CLOSED);
        assertEquals("", dump.err(), dump::describe);
        String dumpToken = cli.engine.lastExecEnv().get("DEVDB_SESSION");
        execs = cli.engine.calls("exec");
        assertTrue(execs.get(execs.size() - 1).contains("alive PIPE"), execs::toString);
        assertTrue(execs.get(execs.size() - 1).endsWith(" " + dumpToken), execs::toString);
    }

    @Test
    void a_listing_whose_output_lost_its_reader_exits_141_quietly() {
        TestCli.Run run = cli.runWithClosedStdout("ps").exits(ExitCodes.OUTPUT_CLOSED);
        assertEquals("", run.err(), run::describe);
    }

    @Test
    void shell_without_e_copies_standard_input_in_and_feeds_it_to_the_client() {
        TestCli.Run run = cli.runWithInput("SELECT 1;\nSELECT 2;\n", "shell", "mysql9", "--root", "--database",
                "mysql").exits(0);

        List<String> copies = cli.engine.calls("copyStream");
        assertEquals(1, copies.size(), run::describe);
        assertTrue(copies.get(0).matches("copyStream devdb-mysql9 /tmp/devdb-input-\\w+ 20"), copies::toString);
        String directory = copies.get(0).split(" ")[2];
        assertEquals("SELECT 1;\nSELECT 2;\n", cli.engine.file("devdb-mysql9", directory + "/00000000"));
        String exec = cli.engine.calls("execAttached").get(0);
        assertTrue(exec.startsWith("execAttached devdb-mysql9 sh -c "), exec);
        assertTrue(exec.endsWith(" " + directory + " mysql --user=root --database=mysql"), exec);
        String rootPassword = cli.engine.container("devdb-mysql9").orElseThrow().env().get("MYSQL_ROOT_PASSWORD");
        assertEquals(rootPassword, cli.engine.lastExecEnv().get("MYSQL_PWD"));
    }

    @Test
    void exec_runs_the_words_after_the_dashes_and_returns_their_exit_code() {
        cli.engine.execAnswers(3, "out\n", "err\n");

        TestCli.Run run = cli.run("exec", "mysql9", "--", "ls", "-la", "/var/lib/mysql").exits(3);

        assertEquals(List.of("execAttached devdb-mysql9 ls -la /var/lib/mysql"), cli.engine.calls("execAttached"),
                run::describe);
        assertEquals("out\n", run.out());
        assertEquals("err\n", run.err());
        assertEquals(List.of(), cli.engine.calls("copyStream"), "no input without -i");
        assertFalse(cli.engine.lastExecEnv().containsKey("MYSQL_PWD"));
    }

    @Test
    void exec_i_feeds_standard_input_and_the_name_may_be_left_out() {
        cli.runWithInput("hello", "exec", "-i", "--", "wc", "-c").exits(0);

        assertEquals(1, cli.engine.calls("copyStream").size(), cli.engine.calls()::toString);
        assertTrue(cli.engine.calls("execAttached").get(0).endsWith(" wc -c"), cli.engine.calls()::toString);
    }

    @Test
    void exec_without_dashes_or_with_two_names_is_a_usage_error() {
        TestCli.Run noDashes = cli.run("exec", "mysql9", "ls").exits(ExitCodes.USAGE);
        TestCli.Run twoNames = cli.run("exec", "a", "b", "--", "ls").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: put the command after `--`: devdb exec [NAME] -- CMD ARGS..."),
                noDashes.errLines());
        assertEquals(List.of("devdb: one instance name before `--`, not 2: a b"), twoNames.errLines());
        assertEquals(List.of(), cli.engine.calls("execAttached"));
    }

    @Test
    void shell_on_a_missing_instance_names_the_ones_there_are() {
        TestCli.Run run = cli.run("shell", "nope", "-e", "SELECT 1").exits(ExitCodes.NO_INSTANCE);

        assertEquals(List.of("devdb: no instance named nope; instances: mysql9"), run.errLines());
    }
}
