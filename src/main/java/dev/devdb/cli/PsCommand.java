package dev.devdb.cli;

import dev.devdb.core.ExitCodes;
import dev.devdb.core.Instance;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "ps", description = "List devdb instances.")
final class PsCommand implements Callable<Integer> {
    private final Context context;

    @Option(names = "--json", description = "Print a JSON array.")
    boolean json;

    PsCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<Instance> instances = context.instances().list();
        Instant now = Instant.now();
        if (json) {
            Json.print(context.out(), instances.stream().map(i -> Views.listing(i, now)).toList());
            return ExitCodes.OK;
        }
        if (instances.isEmpty() && context.stdoutTerminal()) {
            context.err().println("devdb: no instances; start one with `devdb up`");
            context.err().flush();
            return ExitCodes.OK;
        }
        Table table = new Table("NAME", "PROFILE", "FLAVOR", "VERSION", "STATE", "ADDRESS", "AGE");
        for (Instance i : instances) {
            table.row(i.name(), i.profile(), i.flavor() == null ? "?" : i.flavor().id(), i.version(), i.state(),
                    Views.address(i), Views.age(i, now));
        }
        table.print(context.out(), context.stdoutTerminal(), context.color());
        return ExitCodes.OK;
    }
}
