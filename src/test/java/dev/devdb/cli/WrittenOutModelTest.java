package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.engine.FakeEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.AutoComplete;
import picocli.CommandLine;

/**
 * The commands whose picocli model is written out rather than read from annotations (the top command and
 * {@code reset}) declare exactly what their annotations say: the same help, completion and parsing.
 */
class WrittenOutModelTest {
    @TempDir
    Path dir;

    private Context context() {
        return new Context(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), Map.of(), dir,
                e -> new FakeEngine(), false, false, false);
    }

    /** devdb with only reset, built as a run of `devdb reset` builds it. */
    private CommandLine written() {
        return DevDb.commandLine(context(), new String[] {"reset"});
    }

    /** devdb with reset read from ResetCommand's annotations. */
    private CommandLine annotated() {
        CommandLine top = DevDb.commandLine(context(), new String[] {"--version"});
        top.addSubcommand("reset", ResetCommand.class);
        return top;
    }

    @Test
    void reset_is_built_without_reading_its_annotations() {
        CommandLine reset = written().getSubcommands().get("reset");

        assertTrue(reset.getCommandSpec().userObject() instanceof ResetCommand);
        assertEquals(List.of("reset"), List.copyOf(written().getSubcommands().keySet()));
        // no mixin read from annotations: only picocli's own for -h and -V, inherited from the top command
        assertEquals(List.of("mixinStandardHelpOptions"), List.copyOf(reset.getCommandSpec().mixins().keySet()));
    }

    @Test
    void reset_help_is_the_one_its_annotations_give() {
        String help = written().getSubcommands().get("reset").getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertEquals(annotated().getSubcommands().get("reset").getUsageMessage(CommandLine.Help.Ansi.OFF), help);
        assertTrue(help.startsWith("Usage: devdb reset [-hqV] [--full] [--verbose] [--scope=SCOPE]"), help);
        assertTrue(help.contains("--timeout=DURATION   How long to wait for the server (default 180s; at"), help);
    }

    @Test
    void reset_completion_is_the_one_its_annotations_give() {
        assertEquals(AutoComplete.bash("devdb", annotated()), AutoComplete.bash("devdb", written()));
    }

    @Test
    void reset_parses_its_options_into_the_command() {
        CommandLine top = written();
        CommandLine.ParseResult parsed = top.parseArgs("reset", "db1", "--full", "--timeout", "5s", "-q");
        ResetCommand reset = (ResetCommand) parsed.subcommand().commandSpec().userObject();

        assertEquals("db1", reset.name.get());
        assertTrue(reset.full);
        assertEquals(Duration.ofSeconds(5), reset.timeout.get());
        assertTrue(reset.quiet.on());
    }

    @Test
    void reset_defaults_are_its_annotations_defaults() {
        CommandLine.ParseResult parsed = written().parseArgs("reset");
        ResetCommand reset = (ResetCommand) parsed.subcommand().commandSpec().userObject();

        assertNull(reset.name.get());
        assertFalse(reset.full);
        assertEquals(Duration.ofSeconds(180), reset.timeout.get());
        assertFalse(reset.quiet.on());
    }
}
