package dev.devdb.cli;

import dev.devdb.error.ExitCodes;
import dev.devdb.core.Drift;
import dev.devdb.core.Instance;
import dev.devdb.core.Replication;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "ps", description = "List devdb instances.")
final class PsCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Json json;

    PsCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        List<Instance> instances = context.instances().list();
        Instant now = context.clock().instant();
        Map<String, Replication.Member> members = new Replication(context.engine()).members(context.scope());
        Map<String, Drift> drift = instances.isEmpty() ? Map.of() : context.instances().drift();
        if (json.on()) {
            Json.print(context.out(), instances.stream().map(i -> {
                Map<String, Object> view = Views.listing(i, now);
                Views.addDrift(view, drift.get(i.name()));
                Views.addRole(view, members.get(i.name()));
                view.put("engine", Views.engine(context.engine().endpoint()));
                return view;
            }).toList());
            return ExitCodes.OK;
        }
        if (instances.isEmpty() && context.stdoutTerminal()) {
            context.err().println("devdb: no instances; start one with `devdb up`");
            context.err().flush();
            return ExitCodes.OK;
        }
        boolean topologies = !members.isEmpty();
        Table table = topologies
                ? new Table("NAME", "PROFILE", "FLAVOR", "VERSION", "STATE", "ADDRESS", "AGE", "DRIFT", "ROLE", "SOURCE",
                        "LAG")
                : new Table("NAME", "PROFILE", "FLAVOR", "VERSION", "STATE", "ADDRESS", "AGE", "DRIFT");
        for (Instance i : instances) {
            List<String> cells = new java.util.ArrayList<>(List.of(i.name(), i.profile(),
                    i.flavor() == null ? "?" : i.flavor().id(), i.version(), i.state(), Views.address(i),
                    Views.age(i, now), Views.drift(drift.get(i.name()))));
            if (topologies) {
                Replication.Member m = members.get(i.name());
                cells.add(m == null ? "-" : m.role());
                cells.add(m == null || m.source() == null ? "-" : m.source());
                cells.add(Views.lag(m));
            }
            table.row(cells.toArray(String[]::new));
        }
        table.print(context.out(), context.stdoutTerminal(), context.color());
        return ExitCodes.OK;
    }
}
