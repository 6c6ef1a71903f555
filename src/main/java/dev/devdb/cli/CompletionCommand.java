package dev.devdb.cli;

import dev.devdb.error.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion", description = {"Print a shell completion script for bash or zsh.",
        "Load it with:",
        "  source <(devdb completion bash)    # in ~/.bashrc",
        "  source <(devdb completion zsh)     # in ~/.zshrc",
        "Completes commands, options, profile names and instance names."})
final class CompletionCommand implements Callable<Integer> {
    private final Context context;

    enum Shell {
        BASH,
        ZSH
    }

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    CompletionCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // one script serves both: picocli's generator enables bashcompinit when zsh sources it
        context.out().print(Completion.script(spec.root().commandLine()));
        context.out().flush();
        return ExitCodes.OK;
    }
}
