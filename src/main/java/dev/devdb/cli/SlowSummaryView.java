package dev.devdb.cli;

import dev.devdb.core.Instance;
import dev.devdb.core.ServerLogs;
import dev.devdb.mysql.QueryClass;
import dev.devdb.mysql.SlowLogDigest;
import java.io.File;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The slow-log digest as a table (aligned on a terminal, tab-separated when piped) or JSON. */
final class SlowSummaryView {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final String[] HEADER = {"#", "TOTAL", "SHARE", "CALLS", "AVG", "P95", "MAX", "EXAM/CALL",
        "SENT/CALL", "QUERY"};

    private final Context context;
    private final Instance instance;
    private final ServerLogs.Summary summary;
    private final List<QueryClass> shown;

    SlowSummaryView(Context context, Instance instance, ServerLogs.Summary summary, Integer limit) {
        this.context = context;
        this.instance = instance;
        this.summary = summary;
        List<QueryClass> all = summary.report().classes();
        this.shown = limit == null ? all : all.subList(0, Math.min(all.size(), Math.max(0, limit)));
    }

    void print(boolean json) {
        if (json) {
            Json.print(context.out(), json());
            return;
        }
        SlowLogDigest.Report r = summary.report();
        boolean terminal = context.stdoutTerminal();
        Table table = new Table(HEADER).alignRight(0, 1, 2, 3, 4, 5, 6, 7, 8);
        List<String[]> rows = new ArrayList<>();
        int rank = 0;
        for (QueryClass c : shown) {
            rank++;
            double share = r.totalTime() > 0 ? 100 * c.totalTime() / r.totalTime() : 0;
            rows.add(terminal
                    ? new String[] {Integer.toString(rank), time(c.totalTime()), fmt("%.1f%%", share),
                        Long.toString(c.count()), time(c.avgTime()), time(c.p95Time()), time(c.maxTime()),
                        rows(c.avgRowsExamined()), rows(c.avgRowsSent()), c.fingerprint()}
                    : new String[] {Integer.toString(rank), fmt("%.6f", c.totalTime()), fmt("%.2f", share),
                        Long.toString(c.count()), fmt("%.6f", c.avgTime()), fmt("%.6f", c.p95Time()),
                        fmt("%.6f", c.maxTime()), fmt("%.1f", c.avgRowsExamined()), fmt("%.1f", c.avgRowsSent()),
                        c.fingerprint().replace('\t', ' ').replace('\n', ' ')});
        }
        if (terminal) {
            fit(rows, terminalWidth());
        }
        rows.forEach(table::row);
        if (!rows.isEmpty() || terminal) {
            table.print(context.out(), terminal, context.color());
        }
        String range = r.from() == null ? "" : ", " + WHEN.format(r.from()) + " to " + WHEN.format(r.to()) + " UTC";
        context.err().println("devdb: " + r.queries() + " quer" + (r.queries() == 1 ? "y" : "ies") + " in "
                + r.classes().size() + " statement" + (r.classes().size() == 1 ? "" : "s") + ", " + time(r.totalTime())
                + " in all" + range + (shown.size() < r.classes().size() ? "; the first " + shown.size() + " shown" : "")
                + " (" + summary.file() + ")");
        context.err().flush();
    }

    /** Cuts the query column so that lines fit the terminal (it is the last column). */
    private static void fit(List<String[]> rows, int width) {
        int used = 0;
        for (int col = 0; col < HEADER.length - 1; col++) {
            int w = HEADER[col].length();
            for (String[] row : rows) {
                w = Math.max(w, row[col].length());
            }
            used += w + 2;
        }
        int room = Math.max(30, width - used);
        for (String[] row : rows) {
            String q = row[HEADER.length - 1];
            if (q.length() > room) {
                row[HEADER.length - 1] = q.substring(0, room - 1) + "…";
            }
        }
    }

    private int terminalWidth() {
        String columns = context.env().get("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            return Integer.parseInt(columns);
        }
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (p.waitFor(1, TimeUnit.SECONDS) && out.matches("\\d+ \\d+")) {
                return Integer.parseInt(out.split(" ")[1]);
            }
        } catch (Exception e) {
            // not a terminal we can ask
        }
        return 120;
    }

    private Map<String, Object> json() {
        SlowLogDigest.Report r = summary.report();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", instance.name());
        m.put("file", summary.file());
        m.put("queries", r.queries());
        m.put("totalTime", r.totalTime());
        m.put("from", r.from() == null ? null : r.from().toString());
        m.put("to", r.to() == null ? null : r.to().toString());
        List<Map<String, Object>> classes = new ArrayList<>();
        int rank = 0;
        for (QueryClass c : shown) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("rank", ++rank);
            q.put("id", c.id());
            q.put("fingerprint", c.fingerprint());
            q.put("count", c.count());
            q.put("totalTime", c.totalTime());
            q.put("share", r.totalTime() > 0 ? c.totalTime() / r.totalTime() : 0.0);
            q.put("avgTime", c.avgTime());
            q.put("minTime", c.minTime());
            q.put("p95Time", c.p95Time());
            q.put("maxTime", c.maxTime());
            q.put("lockTime", c.lockTime());
            q.put("rowsExamined", c.rowsExamined());
            q.put("rowsSent", c.rowsSent());
            q.put("avgRowsExamined", c.avgRowsExamined());
            q.put("avgRowsSent", c.avgRowsSent());
            q.put("databases", c.databases());
            q.put("users", c.users());
            q.put("firstSeen", iso(c.firstSeen()));
            q.put("lastSeen", iso(c.lastSeen()));
            q.put("example", c.example());
            classes.add(q);
        }
        m.put("statements", classes);
        return m;
    }

    private static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    /** 1.20s, 300ms, 4.5ms, 80us: three significant figures at most. */
    static String time(double seconds) {
        if (seconds >= 100) {
            return fmt("%.0fs", seconds);
        }
        if (seconds >= 10) {
            return fmt("%.1fs", seconds);
        }
        if (seconds >= 1) {
            return fmt("%.2fs", seconds);
        }
        double ms = seconds * 1000;
        if (ms >= 10) {
            return fmt("%.0fms", ms);
        }
        if (ms >= 1) {
            return fmt("%.1fms", ms);
        }
        return fmt("%.0fus", seconds * 1_000_000);
    }

    static String rows(double n) {
        if (n >= 1_000_000) {
            return fmt("%.1fM", n / 1_000_000);
        }
        if (n >= 10_000) {
            return fmt("%.0fk", n / 1000);
        }
        return n == Math.rint(n) ? Long.toString((long) n) : fmt("%.1f", n);
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
