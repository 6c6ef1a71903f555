package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.FakeEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(60)
class DevDbCommandTest {
    private static final String UNREACHABLE = "cannot reach the Docker engine at " + FakeEngine.ENDPOINT
            + " (the default socket; set DOCKER_HOST to use another engine): Connection refused; "
            + "start Docker or point DOCKER_HOST at a running engine";

    @TempDir
    Path dir;

    @RegisterExtension
    final TestCli cli = new TestCli();

    @Test
    void unknown_option_exits_2_and_names_it() {
        TestCli.Run run = cli.run("up", "--bogus").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: Unknown option: '--bogus'", "Try 'devdb up --help' for more information."),
                run.errLines(), run::describe);
        assertEquals("", run.out(), run::describe);
        assertEquals(List.of(), cli.engine.calls(), run::describe);
    }

    @Test
    void a_named_subcommand_is_the_only_one_built() {
        Context context = new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of(), dir, e -> cli.engine, false, false, false);

        assertEquals(List.of("ps"), List.copyOf(DevDb.commandLine(context, new String[] {"--verbose", "ps", "-q"})
                .getSubcommands().keySet()));
        List<String> all = List.copyOf(DevDb.commandLine(context).getSubcommands().keySet());
        assertEquals(List.of("up", "reset", "snapshot", "diff", "cache", "dump", "import", "down", "ps", "cdc", "profiles",
                "try", "shell", "exec", "env", "url", "db", "wait", "prune", "doctor", "completion", "__complete", "logs", "set",
                "config", "help"), all);
        for (String[] args : List.of(new String[] {}, new String[] {"--help"}, new String[] {"help", "up"},
                new String[] {"completion", "bash"}, new String[] {"__complete", "instances"},
                new String[] {"frobnicate"})) {
            assertEquals(all, List.copyOf(DevDb.commandLine(context, args).getSubcommands().keySet()),
                    String.join(" ", args));
        }
    }

    @Test
    void each_subcommand_is_listed_by_the_name_its_command_annotation_gives() {
        DevDb.SUBCOMMANDS.forEach((name, type) ->
                assertEquals(name, type.getAnnotation(picocli.CommandLine.Command.class).name(), type::getName));
    }

    @Test
    void unknown_subcommand_exits_2() {
        TestCli.Run run = cli.run("frobnicate").exits(ExitCodes.USAGE);

        assertTrue(run.err().startsWith("devdb: "), run::describe);
        assertTrue(run.err().contains("'frobnicate'"), run::describe);
    }

    @Test
    void option_value_of_the_wrong_type_exits_2() {
        TestCli.Run run = cli.run("up", "--port", "many").exits(ExitCodes.USAGE);

        assertTrue(run.err().startsWith("devdb: "), run::describe);
        assertTrue(run.err().contains("--port"), run::describe);
    }

    @Test
    void version_prints_devdb_and_its_version_on_stdout() {
        TestCli.Run run = cli.run("--version").exits(ExitCodes.OK);

        assertTrue(run.outLines().get(0).matches("devdb \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), run::describe);
        assertTrue(run.outLines().get(1).startsWith("Java "), run::describe);
        assertEquals("", run.err(), run::describe);
    }

    @Test
    void no_arguments_prints_usage_with_every_command() {
        TestCli.Run run = cli.run().exits(ExitCodes.OK);

        assertTrue(run.out().startsWith("Usage: devdb "), run::describe);
        for (String command : List.of("up", "down", "ps", "profiles")) {
            assertTrue(run.outLines().stream().anyMatch(l -> l.trim().startsWith(command + " ")), run::describe);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ps", "up mysql9", "down mysql9", "down --all"})
    void unreachable_engine_exits_4_with_one_line(String command) {
        cli.engine.failing(new DevDbException(ExitCodes.ENGINE_UNREACHABLE, UNREACHABLE));

        TestCli.Run run = cli.run(command.split(" ")).exits(ExitCodes.ENGINE_UNREACHABLE);

        assertEquals(List.of("devdb: " + UNREACHABLE), run.errLines(), run::describe);
        assertEquals("", run.out(), run::describe);
    }

    @Test
    void verbose_adds_the_stack_trace_after_the_message() {
        cli.engine.failing(new DevDbException(ExitCodes.ENGINE_UNREACHABLE, UNREACHABLE));

        TestCli.Run run = cli.run("ps", "--verbose").exits(ExitCodes.ENGINE_UNREACHABLE);

        assertEquals("devdb: " + UNREACHABLE, run.errLines().get(0), run::describe);
        assertEquals("dev.devdb.error.DevDbException: " + UNREACHABLE, run.errLines().get(1), run::describe);
        assertTrue(run.errLines().get(2).startsWith("\tat "), run::describe);
    }

    @Test
    void unexpected_exception_exits_1_naming_it() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(out), new PrintWriter(err), Map.of(), dir, e -> cli.engine,
                false, false, false);

        int code = DevDb.handle(new IllegalStateException("boom"), context, false);

        assertEquals(ExitCodes.FAILURE, code);
        assertEquals("devdb: unexpected error: java.lang.IllegalStateException: boom\n", err.toString());
        assertEquals("", out.toString());
    }

    @Test
    void devdb_exception_exits_with_its_own_code() {
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(new StringWriter()), new PrintWriter(err), Map.of(), dir,
                e -> cli.engine, false, false, false);

        int code = DevDb.handle(new DevDbException(ExitCodes.TIMEOUT, "too slow"), context, false);

        assertEquals(ExitCodes.TIMEOUT, code);
        assertEquals("devdb: too slow\n", err.toString());
    }
}
