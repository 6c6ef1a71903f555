package dev.devdb.core;

import dev.devdb.engine.Engine;
import dev.devdb.engine.Streaming;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.LogTimes;
import dev.devdb.mysql.SlowLogDigest;
import dev.devdb.mysql.SlowLogParser;
import dev.devdb.mysql.SlowQuery;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An instance's logs: the error log (the container's output, or the file {@code log_error} names)
 * and the slow and general query logs, wherever the running server writes them. Files are read
 * with {@code cat} and followed with {@code tail -F} inside the container, so a datadir on tmpfs
 * works and a rotated or truncated log keeps being followed.
 */
public final class ServerLogs {
    /** Exit code of the read command when the file does not exist. */
    private static final int MISSING = 66;
    /** A line that reports an error: the server's, a client's, or a start script's. */
    private static final Pattern ERROR_LINE =
            Pattern.compile("(\\[ERROR\\].*|^ERROR.*|^error:.*|.*\\bEntrypoint\\b.*error.*)");

    private final Engine engine;

    public ServerLogs(Engine engine) {
        this.engine = engine;
    }

    /** Which log. */
    public enum Kind {
        ERROR("error log"),
        SLOW("slow query log"),
        GENERAL("general query log");

        private final String title;

        Kind(String title) {
            this.title = title;
        }

        public String title() {
            return title;
        }
    }

    /**
     * What to read.
     *
     * @param kind which log
     * @param tail only the last this many lines (slow log: entries), or null for all
     * @param since only what was logged from then on, or null
     * @param follow keep printing what is written until the sink refuses more or the thread is interrupted
     */
    public record Request(Kind kind, Integer tail, Instant since, boolean follow) {}

    /** Where log output goes; core never prints. */
    public interface Sink {
        /** One line of the log; return false to stop reading (the reader is gone). */
        boolean line(String line);

        /** Something the user should know (the log is off, the file was rotated, ...). */
        void note(String message);
    }

    /**
     * Where a log is.
     *
     * @param kind which log
     * @param path the file inside the container, or null for the container's output
     * @param enabled whether the server writes it now
     * @param output the server's log_output (FILE, TABLE, NONE), or null
     * @param zone the server's offset from UTC, for log times without a zone
     */
    public record Location(Kind kind, String path, boolean enabled, String output, ZoneOffset zone) {}

    /**
     * A digest of the slow log.
     *
     * @param file the log file inside the container
     * @param report the digest
     */
    public record Summary(String file, SlowLogDigest.Report report) {}

    /** Asks the running server where it writes the log. */
    public Location locate(Instance instance, Kind kind) {
        if (kind == Kind.ERROR) {
            if (!instance.running()) {
                return new Location(kind, null, true, null, ZoneOffset.UTC);
            }
            try {
                List<String> r = new ServerClient(engine, instance).query(
                        "SELECT @@log_error, @@datadir, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())").get(0);
                String file = r.get(0);
                boolean stderr = file == null || file.isBlank() || file.equalsIgnoreCase("stderr");
                return new Location(kind, stderr ? null : resolve(file, r.get(1)), true, null, zone(r.get(2)));
            } catch (ServerClient.SqlException | IndexOutOfBoundsException e) {
                return new Location(kind, null, true, null, ZoneOffset.UTC);
            }
        }
        if (!instance.running()) {
            throw ServerClient.notRunning(instance);
        }
        String var = kind == Kind.SLOW ? "slow_query_log" : "general_log";
        List<String> r;
        try {
            r = new ServerClient(engine, instance).query("SELECT @@" + var + ", @@" + var + "_file, @@log_output, "
                    + "@@datadir, TIMESTAMPDIFF(SECOND, UTC_TIMESTAMP(), NOW())").get(0);
        } catch (ServerClient.SqlException e) {
            if (e.unreachable()) {
                throw ServerClient.unreachable(instance, e);
            }
            throw new DevDbException(ExitCodes.FAILURE, "cannot ask " + instance.name() + " where its " + kind.title()
                    + " is: " + e.line(), e);
        }
        boolean on = "1".equals(r.get(0)) || "ON".equalsIgnoreCase(r.get(0));
        return new Location(kind, resolve(r.get(1), r.get(3)), on, r.get(2), zone(r.get(4)));
    }

    private static String resolve(String file, String datadir) {
        if (file.startsWith("/")) {
            return file;
        }
        String dir = datadir == null || datadir.isEmpty() ? "/var/lib/mysql/" : datadir;
        String f = file.startsWith("./") ? file.substring(2) : file;
        return dir.endsWith("/") ? dir + f : dir + "/" + f;
    }

    private static ZoneOffset zone(String seconds) {
        try {
            return ZoneOffset.ofTotalSeconds(Integer.parseInt(seconds.trim()));
        } catch (RuntimeException e) {
            return ZoneOffset.UTC;
        }
    }

    /** Notes about a log that is off or not written to a file. */
    private static void explain(Instance instance, Location where, Sink sink) {
        if (where.kind() == Kind.ERROR) {
            return;
        }
        String var = where.kind() == Kind.SLOW ? "slow_query_log" : "general_log";
        if (!where.enabled()) {
            sink.note("the " + where.kind().title() + " of " + instance.name() + " is off; turn it on with `devdb set "
                    + instance.name() + " " + var + "=ON"
                    + (where.kind() == Kind.SLOW ? " long_query_time=0.5" : "") + "`");
        }
        String output = where.output() == null ? "" : where.output().toUpperCase(Locale.ROOT);
        if (!output.isEmpty() && !output.contains("FILE")) {
            sink.note("the server writes its query logs to log_output=" + where.output() + ", not to a file; "
                    + "`devdb set " + instance.name() + " log_output=FILE` sends them to " + where.path());
        }
    }

    /**
     * Reads a log into the sink; with {@link Request#follow} it keeps going until the sink refuses
     * a line, the log's stream ends or the calling thread is interrupted.
     */
    public void read(Instance instance, Request request, Sink sink) {
        Location where = locate(instance, request.kind());
        explain(instance, where, sink);
        if (where.path() == null) {
            readContainerOutput(instance, request, sink);
        } else if (request.kind() == Kind.SLOW && (request.tail() != null || request.since() != null)) {
            readSlowEntries(instance, where, request, sink);
        } else {
            readLines(instance, where, request, sink);
        }
    }

    private void readContainerOutput(Instance instance, Request request, Sink sink) {
        AtomicBoolean stopped = new AtomicBoolean();
        Streaming[] stream = new Streaming[1];
        LineSplitter lines = new LineSplitter(line -> {
            if (!stopped.get() && !sink.line(line)) {
                stopped.set(true);
                stream[0].close();
            }
        });
        stream[0] = engine.streamLogs(instance.containerId(), request.tail(), request.since(),
                request.follow() && instance.running(), lines::accept);
        await(stream[0], instance);
        lines.finish();
    }

    /** A line log (general, error file, or the slow log unfiltered): {@code tail}, filtered by time. */
    private void readLines(Instance instance, Location where, Request request, Sink sink) {
        Gate gate = new Gate(request.since(), where.zone());
        String n = request.tail() == null ? "+1" : Integer.toString(request.tail());
        String script = request.follow()
                ? "exec tail -F -n \"$2\" -- \"$1\""
                : "[ -e \"$1\" ] || exit " + MISSING + "; exec tail -n \"$2\" -- \"$1\"";
        int exit = run(instance, script, List.of(where.path(), n), request.follow(),
                line -> !gate.open(line) || sink.line(line), sink).exit();
        if (exit == MISSING) {
            sink.note("there is no " + where.kind().title() + " at " + where.path() + " yet: nothing was logged");
        }
    }

    /** The slow log with --tail or --since: read whole entries, then follow from where the read ended. */
    private void readSlowEntries(Instance instance, Location where, Request request, Sink sink) {
        Deque<SlowQuery> last = new ArrayDeque<>();
        boolean[] refused = new boolean[1];
        SlowLogParser parser = new SlowLogParser(where.zone(), true, q -> {
            if (refused[0] || (request.since() != null && q.time() != null && q.time().isBefore(request.since()))) {
                return;
            }
            if (request.tail() == null) {
                refused[0] = !emit(q, sink);
            } else {
                last.addLast(q);
                if (last.size() > request.tail()) {
                    last.removeFirst();
                }
            }
        });
        Ran read = run(instance, "[ -e \"$1\" ] || exit " + MISSING + "; exec cat -- \"$1\"", List.of(where.path()),
                false, line -> {
                    parser.accept(line);
                    return !refused[0];
                }, sink);
        int exit = read.exit();
        parser.finish();
        for (SlowQuery q : last) {
            if (refused[0] || !emit(q, sink)) {
                return;
            }
        }
        if (refused[0]) {
            return;
        }
        if (exit == MISSING && !request.follow()) {
            sink.note("there is no " + where.kind().title() + " at " + where.path() + " yet: nothing was logged");
        }
        if (request.follow()) {
            run(instance, "exec tail -F -c \"+$2\" -- \"$1\"",
                    List.of(where.path(), Long.toString(exit == MISSING ? 1 : read.bytes() + 1)), true, sink::line, sink);
        }
    }

    private static boolean emit(SlowQuery q, Sink sink) {
        for (String line : q.lines()) {
            if (!sink.line(line)) {
                return false;
            }
        }
        return true;
    }

    /** Groups the slow log's statements by fingerprint. */
    public Summary summarize(Instance instance, Instant since, SlowLogDigest.Order order, Sink notes) {
        Location where = locate(instance, Kind.SLOW);
        explain(instance, where, notes);
        SlowLogDigest digest = new SlowLogDigest();
        SlowLogParser parser = new SlowLogParser(where.zone(), false, q -> {
            if (since == null || q.time() == null || !q.time().isBefore(since)) {
                digest.add(q);
            }
        });
        int exit = run(instance, "[ -e \"$1\" ] || exit " + MISSING + "; exec cat -- \"$1\"", List.of(where.path()),
                false, line -> {
                    parser.accept(line);
                    return true;
                }, notes).exit();
        parser.finish();
        if (exit == MISSING) {
            notes.note("there is no slow query log at " + where.path() + " yet: nothing was logged");
        }
        return new Summary(where.path(), digest.report(order));
    }

    /**
     * Runs {@code sh -c script sh args...} in the container, passing stdout lines on and stderr
     * lines as notes. A following script is wrapped so that it ends when its stdin does, which
     * happens when reading stops for any reason, this process dying included: nothing is left
     * running in the container.
     *
     * @return the script's exit code and the bytes it printed
     */
    private Ran run(Instance instance, String script, List<String> args, boolean follow, Predicate<String> lines,
            Sink sink) {
        if (!instance.running()) {
            throw ServerClient.notRunning(instance);
        }
        String body = follow ? "exec 3<&0; (cat <&3 >/dev/null; kill $$ 2>/dev/null) & " + script : script;
        List<String> command = new ArrayList<>(List.of("sh", "-c", body, "sh"));
        command.addAll(args);
        AtomicBoolean stopped = new AtomicBoolean();
        Streaming[] stream = new Streaming[1];
        LineSplitter out = new LineSplitter(line -> {
            if (!stopped.get() && !lines.test(line)) {
                stopped.set(true);
                synchronized (stream) {
                    if (stream[0] != null) {
                        stream[0].close();
                    }
                }
            }
        });
        LineSplitter err = new LineSplitter(line -> {
            if (!line.isBlank() && !stopped.get()) {
                sink.note(line.strip());
            }
        });
        synchronized (stream) {
            stream[0] = engine.startExec(instance.containerId(), command, Map.of(), out::accept, err::accept);
            if (stopped.get()) {
                stream[0].close();
            }
        }
        int exit = await(stream[0], instance);
        out.finish();
        err.finish();
        return new Ran(stopped.get() ? 0 : exit, out.bytes());
    }

    private record Ran(int exit, long bytes) {}

    private static int await(Streaming stream, Instance instance) {
        try {
            return stream.await();
        } catch (InterruptedException e) {
            stream.close();
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while reading the logs of " + instance.name());
        }
    }

    /**
     * Why a server stopped.
     *
     * @param lines the lines of its output that explain it (error lines, without timestamps), or its
     *     last lines when none reports an error and no signal ended it; empty when there is nothing to show
     * @param reason one line: the first error, or what ended it
     */
    public record Stop(List<String> lines, String reason) {}

    /**
     * Why a server stopped, from its output and its container's exit code. A signal sent from outside
     * (SIGKILL: {@code docker kill} or the out-of-memory killer; SIGTERM, SIGINT, SIGHUP) is the reason
     * whatever was logged before it; otherwise the first error line is, and the error lines are
     * shown. Lines that report no error are never given as the reason.
     */
    public static Stop whyStopped(List<String> output, Integer exitCode) {
        List<String> errors = errorLines(output);
        String signal = exitCode == null ? null : switch (exitCode) {
            case 137 -> "it was killed with SIGKILL, by `docker kill` or by the out-of-memory killer (the container "
                    + "ran out of memory)";
            case 143 -> "it was stopped with SIGTERM, by `docker stop` or another process";
            case 130 -> "it was interrupted with SIGINT";
            case 129 -> "it was ended with SIGHUP";
            default -> null;
        };
        if (signal != null) {
            return new Stop(errors, signal);
        }
        if (errors.isEmpty()) {
            return new Stop(output.subList(Math.max(0, output.size() - 10), output.size()), "it logged no error");
        }
        return new Stop(errors, errors.stream().filter(l -> !l.contains("Aborting")).findFirst().orElse(errors.get(0)));
    }

    /** The error lines of a server's output, without timestamps. */
    static List<String> errorLines(List<String> output) {
        List<String> errors = new ArrayList<>();
        for (String line : output) {
            Matcher m = ERROR_LINE.matcher(line);
            if (m.find()) {
                errors.add(m.group(1).trim());
            }
        }
        return errors;
    }

    /** Lets lines through from the first one stamped at or after {@code since}. */
    static final class Gate {
        private final Instant since;
        private final ZoneOffset zone;
        private boolean open;

        Gate(Instant since, ZoneOffset zone) {
            this.since = since;
            this.zone = zone;
            this.open = since == null;
        }

        boolean open(String line) {
            if (!open) {
                Instant t = LogTimes.lineTime(line, zone);
                open = t != null && !t.isBefore(since);
            }
            return open;
        }
    }
}
