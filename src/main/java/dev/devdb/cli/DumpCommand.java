package dev.devdb.cli;

import dev.devdb.core.Dumps;
import dev.devdb.error.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "dump", description = {"Write a logical dump (SQL) of a database to stdout, streamed.",
        "  devdb dump > app.sql"})
final class DumpCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Option(names = "--database", paramLabel = "DB", description = "Database to dump (default: the instance's).")
    String database;

    DumpCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        new Dumps(context.engine(), context.instances()).dump(name.get(), database, context.rawOut(), context.escapedErr());
        return ExitCodes.OK;
    }
}
