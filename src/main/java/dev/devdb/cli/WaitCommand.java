package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "wait", description = {"Wait until an instance accepts connections (after `up --no-wait`).",
        "Exits 0 when it does, 9 on timeout, 8 when the server stopped."})
final class WaitCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Mixin
    SharedOptions.Timeout timeout;

    @Mixin
    SharedOptions.Quiet quiet;

    WaitCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration wait = timeout.get();
        long started = System.nanoTime();
        ProgressPrinter progress = new ProgressPrinter(context, quiet.on());
        Instance i = context.instances().awaitReady(name.get(), wait, progress);
        if (!quiet.on()) {
            context.err().println("devdb: " + i.name() + " is ready: " + i.flavor().displayName() + " " + i.version()
                    + " on " + i.address() + " (waited "
                    + Durations.format(Duration.ofNanos(System.nanoTime() - started)) + ")");
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
