package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.core.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.UpResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reset", description = {"Bring an instance back to the state right after its up: same port, "
        + "credentials and configuration, seeds applied; everything since is discarded."})
final class ResetCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", completionCandidates = Completion.Instances.class,
            description = "Instance (default: the only one).")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s",
            description = "How long to wait for the server (default 180s).")
    String timeout;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr but errors.")
    boolean quiet;

    ResetCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration wait = DurationOption.parse("--timeout", timeout);
        ProgressPrinter progress = new ProgressPrinter(context.err(), context.stderrTerminal(), quiet);
        UpResult result = context.instances().reset(name, wait, progress);
        Instance i = result.instance();
        if (!quiet) {
            context.err().println("devdb: " + i.name() + " is reset and ready on " + i.host() + ":" + i.port() + " ("
                    + Durations.format(result.elapsed()) + ")");
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
