package dev.devdb.cli;

import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Names for the completion script, one a line; prints nothing when they cannot be found. */
@Command(name = "__complete", hidden = true, description = "List profile or instance names for shell completion.")
final class CompleteCommand implements Callable<Integer> {
    private final Context context;

    enum What {
        PROFILES,
        INSTANCES
    }

    @Parameters(index = "0", paramLabel = "WHAT")
    What what;

    CompleteCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<String> names;
        try {
            names = what == What.PROFILES ? context.catalog().names()
                    : context.instances().list().stream().map(Instance::name).toList();
        } catch (RuntimeException e) {
            return ExitCodes.OK;
        }
        names.forEach(context.out()::println);
        context.out().flush();
        return ExitCodes.OK;
    }
}
