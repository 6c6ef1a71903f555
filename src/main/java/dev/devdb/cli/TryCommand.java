package dev.devdb.cli;

import dev.devdb.core.Trials;
import dev.devdb.core.TryReport;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "try", description = {"Run the same SQL on one fresh instance per profile and show what differs:",
        "result rows, column types, warnings, errors, and with --explain the plans.",
        "Exits 0 when every statement behaves the same everywhere, 15 when one does not."})
final class TryCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(arity = "0..*", paramLabel = "FILE|DIR",
            description = "A .sql file, or a directory whose *.sql files run in name order (repeatable).")
    List<Path> inputs = new ArrayList<>();

    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "The SQL to run, instead of a file.")
    String execute;

    @Option(names = "--on", split = ",", required = true, paramLabel = "PROFILE",
            completionCandidates = Completion.Profiles.class,
            description = "The profiles to compare, comma-separated (at least two), e.g. --on mysql9,mariadb11.")
    List<String> on = new ArrayList<>();

    @Option(names = "--explain", description = "Compare the plans too (EXPLAIN FORMAT=JSON: access type, key and rows"
            + " per table).")
    boolean explain;

    @Option(names = "--keep", description = "Leave the instances running at the end (their names go to stderr).")
    boolean keep;

    @Option(names = "--seed", paramLabel = "FILE", description = "A seed script (.sql, .sql.gz, .sh) or a directory of"
            + " them, run on every instance before the statements (repeatable).")
    List<Path> seeds = new ArrayList<>();

    @Mixin
    SharedOptions.Timeout timeout;

    @Mixin
    SharedOptions.Json json;

    @Mixin
    SharedOptions.Quiet quiet;

    TryCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        if (execute == null && inputs.isEmpty()) {
            throw new DevDbException(ExitCodes.USAGE, "give the SQL to try: a FILE, a DIR of .sql files, or -e SQL");
        }
        if (execute != null && !inputs.isEmpty()) {
            throw new DevDbException(ExitCodes.USAGE, "give the SQL either as -e SQL or as FILE|DIR, not both");
        }
        List<Trials.Sourced> statements = new ArrayList<>();
        if (execute != null) {
            statements.addAll(Trials.inline(execute));
        }
        for (Path p : inputs) {
            statements.addAll(Trials.read(context.cwd().resolve(p), p.toString()));
        }
        Trials.Request request = new Trials.Request(statements, on, seeds.stream().map(p -> context.cwd().resolve(p))
                .toList(), explain, keep, timeout.get());
        ProgressPrinter progress = new ProgressPrinter(context, quiet.on());
        TryReport report = new Trials(context.engine(), context.catalog(), context.instances()).run(request, progress,
                names -> {
                    context.err().println("devdb: kept " + String.join(", ", names) + "; remove them with `devdb down "
                            + String.join(" ", names) + "`");
                    context.err().flush();
                });
        if (json.on()) {
            Json.print(context.out(), TryView.json(report));
        } else {
            TryView.print(context.out(), report, context.stdoutTerminal(), context.color());
        }
        return report.allSame() ? ExitCodes.OK : ExitCodes.TRY_DIFFERENT;
    }
}
