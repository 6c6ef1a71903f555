package dev.devdb.cli;

import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "url", description = {"Print an instance's URL, credentials included.",
        "mysql://user:password@127.0.0.1:port/database, or the JDBC URL with --jdbc."})
final class UrlCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Option(names = "--jdbc", description = "Print the JDBC URL instead.")
    boolean jdbc;

    UrlCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Instance i = context.instances().running(name.get());
        context.out().println(jdbc ? i.jdbcUrl() : i.url());
        context.out().flush();
        String forward = context.instances().forwardNote(i);
        if (forward != null) {
            context.err().println("devdb: " + forward);
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
