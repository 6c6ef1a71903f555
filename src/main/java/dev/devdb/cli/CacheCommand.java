package dev.devdb.cli;

import dev.devdb.core.Cache;
import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "cache", description = {"The initialised data kept for warm starts and reset: one entry per "
        + "image, configuration and seed scripts."},
        subcommands = {CacheCommand.Ls.class, CacheCommand.Prune.class})
final class CacheCommand implements Callable<Integer> {
    private final Context context;

    CacheCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return new Ls(context).call();
    }

    static String size(long bytes) {
        return String.format(Locale.ROOT, "%.0f MB", bytes / 1_000_000.0);
    }

    @Command(name = "ls", description = {"List cache entries with their sizes and the instances using them.",
            "Only the entries the scope made or its instances use; USED BY names the scope's instances."})
    static final class Ls implements Callable<Integer> {
        private final Context context;

        @Mixin
        SharedOptions.Json json;

        Ls(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<Cache.Entry> entries = new Cache(context.engine(), context.scope()).list();
            Instant now = context.clock().instant();
            if (json.on()) {
                Json.print(context.out(), entries.stream().map(e -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("key", e.key());
                    m.put("image", e.image());
                    m.put("baseImage", e.baseImage());
                    m.put("profile", e.profile());
                    m.put("sizeBytes", e.size());
                    m.put("created", e.created() == null ? null : e.created().toString());
                    m.put("clean", e.clean());
                    m.put("usedBy", e.usedBy());
                    m.put("scope", e.scope());
                    m.put("usedInOtherScopes", e.usedElsewhere());
                    return m;
                }).toList());
                return ExitCodes.OK;
            }
            Table table = new Table("KEY", "BASE IMAGE", "PROFILE", "SIZE", "AGE", "CLEAN", "USED BY");
            for (Cache.Entry e : entries) {
                table.row(e.key(), e.baseImage(), e.profile(), size(e.size()),
                        e.created() == null ? "" : Durations.format(Durations.age(e.created(), now)),
                        e.clean() ? "yes" : "no", e.usedBy().isEmpty() ? "-" : String.join(",", e.usedBy()));
            }
            table.print(context.out(), context.stdoutTerminal(), context.color());
            return ExitCodes.OK;
        }
    }

    @Command(name = "prune", description = {"Remove the cache entries the scope made that no instance uses.",
            "With --all, also those the scope's instances use; they keep running, but their reset then needs "
                    + "`devdb up --recreate`. An entry an instance of another scope uses always stays."})
    static final class Prune implements Callable<Integer> {
        private final Context context;

        @Option(names = "--all", description = "Remove entries the scope's instances use too.")
        boolean all;

        Prune(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<Cache.Entry> removed = new Cache(context.engine(), context.scope()).prune(all);
            long total = 0;
            for (Cache.Entry e : removed) {
                context.out().println(e.key() + "\t" + e.baseImage() + "\t" + size(e.size()));
                total += e.size();
            }
            context.out().flush();
            context.err().println("devdb: removed " + removed.size() + " cache entr" + (removed.size() == 1 ? "y" : "ies")
                    + (removed.isEmpty() ? "" : " (up to " + size(total) + ", less what they share with other images)"));
            context.err().flush();
            return ExitCodes.OK;
        }
    }
}
