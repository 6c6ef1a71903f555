package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.ResetResult;
import dev.devdb.core.UpResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "reset", description = {"Bring an instance back to the state right after its up: same port, "
        + "credentials and configuration, seeds applied; everything since is discarded. Done inside the running "
        + "server when that gives the same result, else (and with --full) by a restart."})
final class ResetCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Mixin
    SharedOptions.Timeout timeout;

    @Mixin
    SharedOptions.Quiet quiet;

    @Option(names = "--full", description = "Always restart the server from the initialised data, as a new container.")
    boolean full;

    ResetCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration wait = timeout.get();
        ProgressPrinter progress = new ProgressPrinter(context, quiet.on());
        ResetResult reset = context.instances().reset(name.get(), full, wait, progress);
        UpResult result = reset.result();
        Instance i = result.instance();
        if (!quiet.on()) {
            if (reset.inPlace()) {
                context.err().println("devdb: " + i.name() + " is reset inside its running server and ready on "
                        + i.address() + " (" + Durations.format(result.elapsed()) + "; "
                        + reset.server().toMillis() + " ms in the server)");
            } else {
                context.err().println("devdb: " + i.name() + " is reset by a restart and ready on " + i.address()
                        + " (" + Durations.format(result.elapsed()) + ")");
            }
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
