package dev.devdb.cli;

import dev.devdb.core.Diffs;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "diff", description = {"Show what changed in an instance's schema since its up (seeds applied) or "
        + "since a snapshot; --sql prints the migration that makes the same change."})
final class DiffCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Option(names = "--since", paramLabel = "up|SNAPSHOT", defaultValue = Diffs.SINCE_UP,
            description = "Compare with the state right after up (default) or with a snapshot's.")
    String since;

    @Option(names = "--sql", description = "Print the DDL that turns the old schema into the new one.")
    boolean sql;

    @Option(names = "--data", description = "Also count every table's rows, before and after.")
    boolean data;

    @Mixin
    SharedOptions.Json json;

    @Mixin
    SharedOptions.Timeout timeout;

    @Mixin
    SharedOptions.Quiet quiet;

    DiffCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (sql && data && !json.on()) {
            throw new DevDbException(ExitCodes.USAGE, "--sql prints only the migration; give --json too to have "
                    + "row counts (--data) beside it");
        }
        Diffs.Result result = new Diffs(context.engine(), context.instances(), context.clock())
                .diff(name.get(), since, data, timeout.get(), new ProgressPrinter(context, quiet.on()));
        if (json.on()) {
            Json.print(context.out(), DiffView.json(result, sql));
        } else if (sql) {
            context.out().print(DiffView.sqlScript(result));
            context.out().flush();
        } else if (context.stdoutTerminal()) {
            DiffView.terminal(context.out(), result, context.color());
            if (result.changes().isEmpty() && !quiet.on()) {
                context.err().println("devdb: no changes in " + result.instance().name() + " since "
                        + DiffView.since(result));
                context.err().flush();
            }
        } else {
            DiffView.lines(context.out(), result);
        }
        return ExitCodes.OK;
    }
}
