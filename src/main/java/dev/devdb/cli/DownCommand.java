package dev.devdb.cli;

import dev.devdb.core.DevDbException;
import dev.devdb.core.ExitCodes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "down", description = {"Stop and remove instances with their volumes.",
        "Containers devdb did not create are never touched."})
final class DownCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(arity = "0..*", paramLabel = "NAME", completionCandidates = Completion.Instances.class,
            description = "Instances to remove (default: the only one).")
    List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "Remove every devdb instance.")
    boolean all;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr but errors.")
    boolean quiet;

    DownCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (all && !names.isEmpty()) {
            throw new DevDbException(ExitCodes.USAGE, "give instance names or --all, not both");
        }
        List<String> removed = context.instances().down(names, all);
        if (!quiet) {
            if (removed.isEmpty()) {
                context.err().println("devdb: no instances to remove");
            } else {
                for (String n : removed) {
                    context.err().println("devdb: removed " + n);
                }
                if (all) {
                    context.err().println("devdb: removed " + removed.size() + " instance"
                            + (removed.size() == 1 ? "" : "s"));
                }
            }
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
