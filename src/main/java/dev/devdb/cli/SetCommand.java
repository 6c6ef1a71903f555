package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.ServerSettings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "set", description = {"Change server settings on a running instance, at once and for good.",
        "Applies SET GLOBAL and records the settings so that a restart keeps them."})
final class SetCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(arity = "1..*", paramLabel = "[NAME] KEY=VALUE", completionCandidates = Completion.Instances.class,
            description = "The instance (default: the only one), then one or more settings.")
    List<String> args = new ArrayList<>();

    @Mixin
    SharedOptions.Quiet quiet;

    SetCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        String name = null;
        Map<String, String> settings = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            int eq = a.indexOf('=');
            if (eq < 0 && i == 0) {
                name = SharedOptions.Name.check(a);
            } else if (eq <= 0) {
                throw new DevDbException(ExitCodes.USAGE, "expected KEY=VALUE, not '" + a + "'");
            } else {
                settings.put(a.substring(0, eq), a.substring(eq + 1));
            }
        }
        Instance instance = context.instances().get(name);
        ServerSettings.Applied applied = new ServerSettings(context.engine()).set(instance, settings);
        if (!quiet.on()) {
            for (String w : applied.warnings()) {
                context.err().println("devdb: the server says: " + w);
            }
            applied.applied().forEach((k, v) -> context.err().println("devdb: " + instance.name() + ": " + k + " = " + v));
            context.err().flush();
        }
        return ExitCodes.OK;
    }
}
