package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Snapshots;
import dev.devdb.core.UpResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "snapshot", description = "Save an instance's data and bring it back later, on the same image.",
        subcommands = {SnapshotCommand.Save.class, SnapshotCommand.Restore.class, SnapshotCommand.Ls.class,
                SnapshotCommand.Rm.class})
final class SnapshotCommand implements Callable<Integer> {
    private final Context context;

    SnapshotCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        return new Ls(context).call();
    }

    private static Snapshots snapshots(Context context) {
        return new Snapshots(context.engine(), context.instances());
    }

    /** [NAME] TAG: one argument is the tag, two are instance and tag. */
    private static String[] nameAndTag(List<String> args) {
        if (args.size() == 1) {
            return new String[] {null, args.get(0)};
        }
        if (args.size() == 2) {
            return new String[] {SharedOptions.Name.check(args.get(0)), args.get(1)};
        }
        throw new DevDbException(ExitCodes.USAGE, "give [NAME] TAG");
    }

    @Command(name = "save", description = "Save the instance's current data as TAG.")
    static final class Save implements Callable<Integer> {
        private final Context context;

        @Parameters(arity = "1..2", paramLabel = "[NAME] TAG", description = "Instance (default: the only one) and tag.")
        List<String> args;

        Save(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String[] nt = nameAndTag(args);
            Snapshots.Snapshot s = snapshots(context).save(nt[0], nt[1]);
            context.err().println("devdb: saved snapshot " + s.tag() + " of " + s.instance() + " ("
                    + CacheCommand.size(s.size()) + ")");
            context.err().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "restore", description = {"Replace the instance's data by snapshot TAG.",
            "Port, credentials and configuration stay; the snapshot must come from the same image."})
    static final class Restore implements Callable<Integer> {
        private final Context context;

        @Parameters(arity = "1..2", paramLabel = "[NAME] TAG", description = "Instance (default: the only one) and tag.")
        List<String> args;

        @Mixin
        SharedOptions.Timeout timeout;

        Restore(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            String[] nt = nameAndTag(args);
            Duration wait = timeout.get();
            UpResult r = snapshots(context).restore(nt[0], nt[1], wait,
                    new ProgressPrinter(context, false));
            context.err().println("devdb: " + r.instance().name() + " restored from " + nt[1] + " and ready on "
                    + r.instance().address() + " (" + Durations.format(r.elapsed()) + ")");
            context.err().flush();
            return ExitCodes.OK;
        }
    }

    @Command(name = "ls", description = "List snapshots.")
    static final class Ls implements Callable<Integer> {
        private final Context context;

        @Mixin
        SharedOptions.Json json;

        Ls(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            List<Snapshots.Snapshot> list = new Snapshots(context.engine(), context.scope()).list();
            Instant now = context.clock().instant();
            if (json.on()) {
                Json.print(context.out(), list.stream().map(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("tag", s.tag());
                    m.put("instance", s.instance());
                    m.put("image", s.baseImage());
                    m.put("flavor", s.flavor());
                    m.put("version", s.version());
                    m.put("sizeBytes", s.size());
                    m.put("created", s.created() == null ? null : s.created().toString());
                    return m;
                }).toList());
                return ExitCodes.OK;
            }
            Table table = new Table("TAG", "INSTANCE", "IMAGE", "SIZE", "AGE");
            for (Snapshots.Snapshot s : list) {
                table.row(s.tag(), s.instance(), s.baseImage(), CacheCommand.size(s.size()),
                        s.created() == null ? "" : Durations.format(Durations.age(s.created(), now)));
            }
            table.print(context.out(), context.stdoutTerminal(), context.color());
            return ExitCodes.OK;
        }
    }

    @Command(name = "rm", description = "Remove a snapshot.")
    static final class Rm implements Callable<Integer> {
        private final Context context;

        @Parameters(arity = "1..*", paramLabel = "TAG", description = "Snapshots to remove.")
        List<String> tags;

        Rm(Context context) {
            this.context = context;
        }

        @Override
        public Integer call() {
            for (String tag : tags) {
                new Snapshots(context.engine(), context.scope()).remove(tag);
                context.err().println("devdb: removed snapshot " + tag);
            }
            context.err().flush();
            return ExitCodes.OK;
        }
    }
}
