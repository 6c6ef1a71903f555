package dev.devdb.cli;

import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Pruned;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "prune", description = {"Remove expired, exited and never-started instances.",
        "Expired: past the expiry `up --ttl` gave them. Containers devdb did not create are never touched."})
final class PruneCommand implements Callable<Integer> {
    private final Context context;

    @Parameters(arity = "0..*", paramLabel = "PATTERN", description = "Only instances whose names match one of"
            + " these patterns (* any characters, ? one; quote them from the shell). Default: all.")
    List<String> patterns = new ArrayList<>();

    @Option(names = {"-n", "--dry-run"}, description = "Only list what would be removed.")
    boolean dryRun;

    @Mixin
    SharedOptions.Json json;

    @Mixin
    SharedOptions.Quiet quiet;

    PruneCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        Instant now = context.clock().instant();
        List<Pruned> pruned = context.instances().prune(now, dryRun, patterns);
        if (json.on()) {
            Json.print(context.out(), pruned.stream().map(p -> {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("name", p.name());
                m.put("container", p.container());
                m.put("state", p.state());
                m.put("exitCode", p.exitCode());
                m.put("reason", p.reason());
                m.put("expires", p.expires() == null ? null : p.expires().toString());
                m.put("removed", !dryRun);
                return m;
            }).toList());
        }
        if (!quiet.on()) {
            String verb = dryRun ? "would remove " : "removed ";
            for (Pruned p : pruned) {
                context.err().println("devdb: " + verb + p.name() + " (" + why(p, now) + ")");
            }
            context.err().println("devdb: " + (pruned.isEmpty() ? "nothing to prune"
                    : verb + pruned.size() + " instance" + (pruned.size() == 1 ? "" : "s")));
            context.err().flush();
        }
        return ExitCodes.OK;
    }

    private static String ago(Duration d) {
        return d.toSeconds() < 60 ? d.toSeconds() + "s" : Durations.format(d);
    }

    private static String why(Pruned p, Instant now) {
        return switch (p.reason()) {
            case Pruned.EXPIRED -> "expired " + ago(Duration.between(p.expires(), now)) + " ago";
            case Pruned.STOPPED -> p.state() + (p.exitCode() != null ? " with code " + p.exitCode() : "");
            default -> "created but never started";
        };
    }
}
