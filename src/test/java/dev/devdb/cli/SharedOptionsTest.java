package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The options every command shares: instance names, durations, --json, --quiet and --verbose. */
@Timeout(60)
class SharedOptionsTest {
    private static final String NAME_RULE = "is not valid: use up to 48 letters, digits, '_', '.' or '-', starting"
            + " with a letter or digit";

    @TempDir
    Path dir;

    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7");

    @BeforeEach
    void setUp() throws IOException {
        Files.writeString(cli.cwd.resolve("dump.sql"), "select 1;\n");
    }

    /** Every command that takes an instance name, with the bad name where the name goes ({} marks it). */
    private static final List<String> NAMED = List.of("down {}", "down ok {}", "shell {} -e select_1", "env {}",
            "url {}", "wait {}", "reset {}", "dump {}", "logs {}", "config {}", "cdc config {}", "cdc watch {}",
            "exec {} -- true", "set {} a=1", "import {} dump.sql", "snapshot save {} tag", "snapshot restore {} tag");

    @ParameterizedTest
    @ValueSource(strings = {"rel$(id)", "rel$1", "rel$", "../x", "a\\b", ".hidden"})
    void every_command_refuses_an_invalid_name_with_exit_2_before_asking_the_engine(String bad) {
        for (String command : NAMED) {
            List<String> args = new ArrayList<>();
            for (String w : command.split(" ")) {
                args.add(w.equals("{}") ? bad : w.replace('_', ' '));
            }
            TestCli.Run run = cli.run(args.toArray(String[]::new)).exits(ExitCodes.USAGE);

            assertEquals(List.of("devdb: instance name '" + bad + "' " + NAME_RULE), run.errLines(), run::describe);
            assertEquals(List.of(), cli.engine.calls(), run::describe);
        }
    }

    @Test
    void down_of_a_path_says_the_name_is_invalid_not_that_no_instance_has_it() {
        cli.run("up", "mysql9").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("down", "../x").exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: instance name '../x' " + NAME_RULE), run.errLines(), run::describe);
        assertEquals(List.of("devdb-mysql9"), cli.engine.containerNames(), run::describe);
    }

    @ParameterizedTest
    @ValueSource(strings = {"up mysql9 --timeout", "up mysql9 --ttl", "reset --timeout", "wait --timeout",
            "snapshot restore tag --timeout", "logs --since"})
    void a_duration_past_365_days_exits_2_naming_the_range(String command) {
        for (String value : List.of("99999999999999999999", "366d", "8761h")) {
            List<String> args = new ArrayList<>(Arrays.asList(command.split(" ")));
            args.add(value);

            TestCli.Run run = cli.run(args.toArray(String[]::new)).exits(ExitCodes.USAGE);

            String option = args.get(args.size() - 2);
            assertEquals(List.of("devdb: " + option + " '" + value + "' is out of range: give a duration from 1ms to"
                    + " 365d"), run.errLines(), run::describe);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"1e999", "31536001", "-1", "NaN"})
    void slow_log_seconds_past_the_servers_range_exit_2(String seconds) {
        TestCli.Run run = cli.run("up", "mysql9", "--slow-log=" + seconds).exits(ExitCodes.USAGE);

        assertEquals(List.of("devdb: --slow-log seconds must be from 0 to 31536000 (the server's largest"
                + " long_query_time, a year)"), run.errLines(), run::describe);
        assertEquals(List.of(), cli.engine.calls(), run::describe);
    }

    @Test
    void a_zero_duration_is_out_of_range_and_365_days_is_in_it() {
        TestCli.Run zero = cli.run("up", "mysql9", "--timeout", "0s").exits(ExitCodes.USAGE);
        assertEquals(List.of("devdb: --timeout '0s' is out of range: give a duration from 1ms to 365d"),
                zero.errLines(), zero::describe);

        cli.run("up", "mysql9", "--timeout", "365d", "--ttl", "365d").exits(ExitCodes.OK);
    }

    @Test
    void verbose_is_honoured_on_a_top_command_and_on_a_sub_subcommand_wherever_it_is_given() {
        cli.engine.failing(new DevDbException(ExitCodes.ENGINE_UNREACHABLE, "cannot reach the Docker engine"));
        List<List<String>> runs = List.of(List.of("ps", "--verbose"), List.of("--verbose", "ps"),
                List.of("snapshot", "ls", "--verbose"), List.of("snapshot", "--verbose", "ls"),
                List.of("--verbose", "snapshot", "ls"), List.of("cache", "ls", "--verbose"));
        for (List<String> args : runs) {
            TestCli.Run run = cli.run(args.toArray(String[]::new)).exits(ExitCodes.ENGINE_UNREACHABLE);

            assertEquals("devdb: cannot reach the Docker engine", run.errLines().get(0), run::describe);
            assertEquals("dev.devdb.error.DevDbException: cannot reach the Docker engine", run.errLines().get(1),
                    run::describe);
            assertTrue(run.errLines().get(2).startsWith("\tat "), run::describe);
        }
        TestCli.Run quiet = cli.run("snapshot", "ls").exits(ExitCodes.ENGINE_UNREACHABLE);
        assertEquals(List.of("devdb: cannot reach the Docker engine"), quiet.errLines(), quiet::describe);
    }

    @Test
    void shared_options_keep_their_meaning_in_every_command() {
        cli.run("up", "mysql9", "--quiet").exits(ExitCodes.OK);

        TestCli.Run json = cli.run("ps", "--json").exits(ExitCodes.OK);
        assertTrue(json.out().startsWith("[") && json.out().contains("\"name\" : \"mysql9\""), json::describe);
        TestCli.Run quiet = cli.run("down", "-q", "mysql9").exits(ExitCodes.OK);
        assertEquals("", quiet.err(), quiet::describe);
    }

    /** The options a mixin provides, and the NAME positional: no command declares them itself. */
    @Test
    void no_command_declares_an_option_a_mixin_provides() {
        Context context = new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                Map.of(), dir, e -> cli.engine, false, false, false);
        Set<String> shared = Set.of("--json", "--quiet", "-q", "--timeout");
        List<String> offenders = new ArrayList<>();
        List<CommandLine> todo = new ArrayList<>(List.of(DevDb.commandLine(context)));
        int withMixins = 0;
        while (!todo.isEmpty()) {
            CommandLine c = todo.remove(0);
            todo.addAll(c.getSubcommands().values());
            if (!c.getCommandSpec().mixins().isEmpty()) {
                withMixins++;
            }
            for (Class<?> type = c.getCommand().getClass(); type != null; type = type.getSuperclass()) {
                for (Field f : type.getDeclaredFields()) {
                    Option o = f.getAnnotation(Option.class);
                    if (o != null && Arrays.stream(o.names()).anyMatch(shared::contains)) {
                        offenders.add(type.getSimpleName() + "." + f.getName());
                    }
                    Parameters p = f.getAnnotation(Parameters.class);
                    if (p != null && p.paramLabel().equals("NAME")) {
                        offenders.add(type.getSimpleName() + "." + f.getName());
                    }
                }
            }
        }
        assertEquals(List.of(), offenders);
        assertTrue(withMixins >= 20, "commands using mixins: " + withMixins);
    }
}
