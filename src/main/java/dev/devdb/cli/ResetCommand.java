package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.ResetResult;
import dev.devdb.core.UpResult;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code devdb reset}. Its model is written out in {@link #model} (the annotations say the same, for the
 * tests and for help over every command): a reset inside the server takes a few milliseconds, so the JVM's
 * start is most of it, and reading annotations makes the JDK generate a proxy class per annotation type at
 * every start, which the launcher's class-data archive cannot hold.
 */
@Command(name = "reset", description = ResetCommand.DESCRIPTION)
final class ResetCommand implements Callable<Integer> {
    static final String DESCRIPTION = "Bring an instance back to the state right after its up: same port, "
            + "credentials and configuration, seeds applied; everything since is discarded. Done inside the running "
            + "server when that gives the same result, else (and with --full) by a restart.";
    private static final String FULL = "Always restart the server from the initialised data, as a new container.";

    private final Context context;

    @Mixin
    SharedOptions.Name name = new SharedOptions.Name();

    @Mixin
    SharedOptions.Timeout timeout = new SharedOptions.Timeout();

    @Mixin
    SharedOptions.Quiet quiet = new SharedOptions.Quiet();

    @Option(names = "--full", description = FULL)
    boolean full;

    ResetCommand(Context context) {
        this.context = context;
    }

    /** What the annotations declare, built without reading them. */
    static CommandSpec model(Context context, CommandLine.IFactory factory) {
        ResetCommand command = new ResetCommand(context);
        CommandSpec spec = CommandSpec.wrapWithoutInspection(command, factory).name("reset");
        spec.usageMessage().description(DESCRIPTION);
        spec.addPositional(command.name.spec());
        spec.addOption(command.timeout.spec());
        spec.addOption(command.quiet.spec());
        spec.addOption(OptionSpec.builder("--full").type(boolean.class).initialValue(false).description(FULL)
                .setter(new SharedOptions.Setter(value -> command.full = (Boolean) value)).build());
        return spec;
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
