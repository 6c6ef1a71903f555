package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.core.ExitCodes;
import dev.devdb.core.Instance;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "wait", description = {"Wait until an instance accepts connections (after `up --no-wait`).",
        "Exits 0 when it does, 9 on timeout, 8 when the server stopped."})
final class WaitCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", completionCandidates = Completion.Instances.class,
            description = "The instance (default: the only one).")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "180s",
            description = "How long to wait (default 180s).")
    String timeout;

    @Option(names = {"-q", "--quiet"}, description = "Print nothing on stderr but errors.")
    boolean quiet;

    WaitCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration wait = DurationOption.parse("--timeout", timeout);
        long started = System.nanoTime();
        ProgressPrinter progress = new ProgressPrinter(context.err(), context.stderrTerminal(), quiet);
        Instance i = context.instances().awaitReady(name, wait, progress);
        if (!quiet) {
            context.err().println("devdb: " + i.name() + " is ready: " + i.flavor().displayName() + " " + i.version()
                    + " on " + i.host() + ":" + i.port() + " (waited "
                    + Durations.format(Duration.ofNanos(System.nanoTime() - started)) + ")");
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
