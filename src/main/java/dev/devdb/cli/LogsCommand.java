package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import dev.devdb.core.Instance;
import dev.devdb.core.ServerLogs;
import dev.devdb.mysql.SlowLogDigest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "logs", description = {"Print an instance's error, slow or general log, or follow it.",
        "The error log (the server's output) by default. `--slow --summary` groups the slow log by statement;",
        "--json and --limit go with --summary."})
final class LogsCommand implements Callable<Integer> {
    private final Context context;

    @Mixin
    SharedOptions.Name name;

    @Option(names = "--slow", description = "The slow query log.")
    boolean slow;

    @Option(names = "--general", description = "The general query log.")
    boolean general;

    @Option(names = "--error", description = "The error log (the default).")
    boolean error;

    @Option(names = {"-f", "--follow"}, description = "Keep printing what is logged, until Ctrl-C.")
    boolean follow;

    @Option(names = {"-n", "--tail"}, paramLabel = "N",
            description = "Only the last N lines (slow log: the last N queries).")
    Integer tail;

    @Option(names = "--since", paramLabel = "DURATION|TIME",
            description = "Only what was logged in the last DURATION (10m, 1h) or since an ISO-8601 TIME.")
    String since;

    @Option(names = "--summary", description = "Group the slow log by statement fingerprint, worst first.")
    boolean summary;

    @Option(names = "--sort", paramLabel = "KEY", defaultValue = "total",
            description = "With --summary: rank by total (default), count, avg, max or examined.")
    SlowLogDigest.Order sort;

    @Option(names = "--limit", paramLabel = "N", description = "With --summary: only the first N statements.")
    Integer limit;

    @Mixin
    SharedOptions.Json json;

    LogsCommand(Context context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        ServerLogs.Kind kind = kind();
        Instant from = since == null ? null : since(since, context.clock());
        if (tail != null && tail < 0) {
            throw new DevDbException(ExitCodes.USAGE, "--tail must be 0 or more, not " + tail);
        }
        if (limit != null && limit < 1) {
            throw new DevDbException(ExitCodes.USAGE, "--limit must be 1 or more, not " + limit);
        }
        if (!summary && (json.on() || limit != null)) {
            throw new DevDbException(ExitCodes.USAGE, (json.on() ? "--json" : "--limit") + " goes with --summary");
        }
        Instance instance = context.instances().get(name.get());
        ServerLogs logs = new ServerLogs(context.engine());
        if (summary) {
            if (follow || tail != null) {
                throw new DevDbException(ExitCodes.USAGE, "--summary reads the whole log; use --since instead of "
                        + (follow ? "-f" : "--tail"));
            }
            ServerLogs.Summary s = logs.summarize(instance, from, sort, notes());
            new SlowSummaryView(context, instance, s, limit).print(json.on());
            return ExitCodes.OK;
        }
        var out = context.out();
        logs.read(instance, new ServerLogs.Request(kind, tail, from, follow), new ServerLogs.Sink() {
            @Override
            public boolean line(String line) {
                out.println(line);
                out.flush();
                return !out.checkError();
            }

            @Override
            public void note(String message) {
                notes().note(message);
            }
        });
        return ExitCodes.OK;
    }

    private ServerLogs.Kind kind() {
        int n = (slow ? 1 : 0) + (general ? 1 : 0) + (error ? 1 : 0);
        if (n > 1) {
            throw new DevDbException(ExitCodes.USAGE, "choose one of --slow, --general and --error");
        }
        if (summary && (general || error)) {
            throw new DevDbException(ExitCodes.USAGE, "--summary digests the slow log; leave out --general/--error");
        }
        return slow || summary ? ServerLogs.Kind.SLOW : general ? ServerLogs.Kind.GENERAL : ServerLogs.Kind.ERROR;
    }

    static Instant since(String text, java.time.Clock clock) {
        if (Durations.parse(text) != null) {
            return clock.instant().minus(DurationOption.parse("--since", text));
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            try {
                return java.time.LocalDateTime.parse(text.replace(' ', 'T')).atZone(java.time.ZoneId.systemDefault())
                        .toInstant();
            } catch (DateTimeParseException e2) {
                throw new DevDbException(ExitCodes.USAGE, "--since '" + text
                        + "' is neither a duration (10m, 1h30m) nor a time (2026-11-25T10:00:00Z)");
            }
        }
    }

    private ServerLogs.Sink notes() {
        return new ServerLogs.Sink() {
            @Override
            public boolean line(String line) {
                return true;
            }

            @Override
            public void note(String message) {
                context.err().println("devdb: " + message);
                context.err().flush();
            }
        };
    }
}
