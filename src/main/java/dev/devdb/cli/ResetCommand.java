package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.UpResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "reset", description = {"Bring an instance back to the state right after its up: same port, "
        + "credentials and configuration, seeds applied; everything since is discarded."})
final class ResetCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Mixin
    SharedOptions.Timeout timeout;

    @Mixin
    SharedOptions.Quiet quiet;

    ResetCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Duration wait = timeout.get();
        ProgressPrinter progress = new ProgressPrinter(context, quiet.on());
        UpResult result = context.instances().reset(name.get(), wait, progress);
        Instance i = result.instance();
        if (!quiet.on()) {
            context.err().println("devdb: " + i.name() + " is reset and ready on " + i.host() + ":" + i.port() + " ("
                    + Durations.format(result.elapsed()) + ")");
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
