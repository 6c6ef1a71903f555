package dev.devdb.cli;

import dev.devdb.core.Dumps;
import dev.devdb.core.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "dump", description = {"Write a logical dump (SQL) of a database to stdout, streamed.",
        "  devdb dump > app.sql"})
final class DumpCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", completionCandidates = Completion.Instances.class,
            description = "Instance (default: the only one).")
    String name;

    @Option(names = "--database", paramLabel = "DB", description = "Database to dump (default: the instance's).")
    String database;

    DumpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        new Dumps(context.engine(), context.instances()).dump(name, database, context.rawOut(), context.rawErr());
        return ExitCodes.OK;
    }
}
