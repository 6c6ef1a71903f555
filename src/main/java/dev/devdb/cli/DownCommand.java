package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "down", description = {"Stop and remove instances with their volumes.",
        "Containers devdb did not create are never touched."})
final class DownCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Names names;

    @Option(names = "--all", description = "Remove every devdb instance.")
    boolean all;

    @Mixin
    SharedOptions.Quiet quiet;

    DownCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<String> given = names.get();
        if (all && !given.isEmpty()) {
            throw new DevDbException(ExitCodes.USAGE, "give instance names or --all, not both");
        }
        List<String> removed = context.instances().down(given, all);
        if (!quiet.on()) {
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
