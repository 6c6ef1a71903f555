package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Sessions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "exec", mixinStandardHelpOptions = true, description = {
        "Run a command inside the instance's container.",
        "When stdin and stdout are terminals the command gets a terminal;",
        "otherwise its stdout and stderr stay apart, and -i passes standard",
        "input to it (read to its end first).",
        "Exits with the command's exit code."})
final class ExecCommand implements Callable<Integer> {
    private final Context context;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "[NAME] -- CMD", description = {"Instance (default: the only one), then `--`",
            "and the command with its arguments."})
    List<String> words = new ArrayList<>();

    @Option(names = {"-i", "--interactive"}, description = "Pass standard input to the command (without a terminal).")
    boolean input;

    ExecCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<String> args = spec.commandLine().getParseResult().originalArgs();
        int dashes = args.indexOf("--");
        if (dashes < 0) {
            throw new DevDbException(ExitCodes.USAGE, "put the command after `--`: devdb exec [NAME] -- CMD ARGS...");
        }
        int commandLength = args.size() - dashes - 1;
        if (commandLength == 0) {
            throw new DevDbException(ExitCodes.USAGE, "no command after `--`: devdb exec [NAME] -- CMD ARGS...");
        }
        List<String> before = words.subList(0, words.size() - commandLength);
        if (before.size() > 1) {
            throw new DevDbException(ExitCodes.USAGE, "one instance name before `--`, not " + before.size()
                    + ": " + String.join(" ", before));
        }
        String name = before.isEmpty() ? null : SharedOptions.Name.check(before.get(0));
        List<String> command = List.copyOf(words.subList(words.size() - commandLength, words.size()));
        context.out().flush();
        context.err().flush();
        Sessions sessions = new Sessions(context.engine(), context.instances());
        if (context.stdinTerminal() && context.stdoutTerminal()) {
            try (LocalTerminal terminal = LocalTerminal.open()) {
                return sessions.exec(name, command, true, terminal.io());
            }
        }
        return sessions.exec(name, command, input,
                new Sessions.Io(context.in(), context.rawOut(), context.rawErr(), null));
    }
}
