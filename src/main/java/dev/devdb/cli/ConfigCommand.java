package dev.devdb.cli;

import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.ServerSettings;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "config", description = {"Show the server options devdb gave an instance and their live values.",
        "Source `up`: the profile's mycnf and up's options; `set`: changed later with devdb set."})
final class ConfigCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Mixin
    SharedOptions.Json json;

    ConfigCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Instance instance = context.instances().get(name.get());
        ServerSettings.Config config = new ServerSettings(context.engine()).config(instance);
        if (json.on()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", config.instance());
            m.put("running", config.running());
            m.put("options", config.options().stream().map(ConfigCommand::view).toList());
            Json.print(context.out(), m);
            return ExitCodes.OK;
        }
        boolean terminal = context.stdoutTerminal();
        Table table = new Table("OPTION", "VALUE", "SOURCE", "LIVE", "SAME");
        for (ServerSettings.Option o : config.options()) {
            table.row(o.name(), o.value() == null ? (terminal ? "(flag)" : "") : o.value(), o.source(),
                    o.live() == null ? (terminal ? "-" : "") : o.live(),
                    o.matches() == null ? "-" : o.matches() ? "yes" : "no");
        }
        if (config.options().isEmpty() && terminal) {
            context.err().println("devdb: devdb gave " + instance.name() + " no server options");
        } else {
            table.print(context.out(), terminal, context.color());
        }
        if (!config.running()) {
            context.err().println("devdb: " + instance.name() + " is not running (" + instance.state()
                    + "): no live values");
        } else if (config.options().stream().anyMatch(o -> Boolean.FALSE.equals(o.matches()))) {
            context.err().println("devdb: a live value differs from devdb's (SAME = no): the server adjusted it, or "
                    + "SET GLOBAL changed it outside devdb");
        }
        context.err().flush();
        return ExitCodes.OK;
    }

    private static Map<String, Object> view(ServerSettings.Option o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("option", o.name());
        m.put("value", o.value());
        m.put("source", o.source());
        m.put("overrides", o.overrides());
        m.put("live", o.live());
        m.put("matches", o.matches());
        return m;
    }

}
