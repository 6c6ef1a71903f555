package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.core.Dumps;
import dev.devdb.error.ExitCodes;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "import", description = {"Run a .sql or .sql.gz file (a dump, say) against a database, streamed.",
        "  devdb import app.sql.gz"})
final class ImportCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(arity = "1..2", paramLabel = "[NAME] FILE", description = "Instance (default: the only one) and file.")
    List<String> args;

    @Option(names = "--database", paramLabel = "DB", description = "Target database (default: the instance's).")
    String database;

    ImportCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (args.size() > 2) {
            throw new DevDbException(ExitCodes.USAGE, "give [NAME] FILE");
        }
        String name = args.size() == 2 ? SharedOptions.Name.check(args.get(0)) : null;
        if (args.get(args.size() - 1).isEmpty()) {
            throw new DevDbException(ExitCodes.USAGE, "the file to import is an empty string; give a .sql or .sql.gz"
                    + " file");
        }
        Path file = context.cwd().resolve(args.get(args.size() - 1));
        new Dumps(context.engine(), context.instances()).importFile(name, file, database, context.rawOut(),
                context.escapedErr());
        context.err().println("devdb: imported " + args.get(args.size() - 1));
        context.err().flush();
        return ExitCodes.OK;
    }
}
