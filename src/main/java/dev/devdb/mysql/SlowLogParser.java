package dev.devdb.mysql;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a slow query log line by line, as MySQL (5.7 to 9.x) and MariaDB write it, and hands
 * each complete entry on. An entry is a header of {@code # Key: value} lines ({@code # Time:} and
 * {@code # User@Host:} start one; MariaDB leaves {@code # Time:} out when the second has not
 * changed), optional {@code use db;} and {@code SET timestamp=N;} lines, then the statement, which
 * may span lines. The banner a server writes when it opens the file is skipped. Feed it lines with
 * {@link #accept}, then call {@link #finish} for the last entry.
 */
public final class SlowLogParser {
    private static final Pattern BANNER = Pattern.compile("^\\S.*, Version: .* started with:\\s*$");
    private static final Pattern BANNER_PORT = Pattern.compile("^Tcp port: \\d+\\s+Unix socket: .*$");
    private static final Pattern BANNER_COLUMNS = Pattern.compile("^Time\\s+Id\\s+Command\\s+Argument\\s*$");
    private static final Pattern USER_HOST = Pattern.compile(
            "^# User@Host: ([^\\[\\s]*)\\[[^\\]]*\\]\\s*@\\s*(\\S*)\\s*\\[([^\\]]*)\\](?:\\s+Id:\\s*(\\d+))?");
    private static final Pattern FIELD = Pattern.compile("(?<=^|\\s)([A-Za-z_][A-Za-z0-9_]*):(?=\\s|$)");
    private static final Pattern USE = Pattern.compile("^use\\s+(`(?:[^`]|``)+`|\\S+?)\\s*;\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern SET_TIMESTAMP = Pattern.compile("^SET\\s+timestamp\\s*=\\s*(\\d+)(?:\\.(\\d+))?\\s*;\\s*$",
            Pattern.CASE_INSENSITIVE);

    private final ZoneOffset zone;
    private final boolean keepLines;
    private final Consumer<SlowQuery> sink;
    private Instant lastLoggedTime;
    /** MySQL writes {@code use db;} only when the database differs from the entry before: it carries over. */
    private String lastUse;
    private Entry current;

    /**
     * @param zone the server's offset from UTC, for times written without a zone
     * @param keepLines keep each entry's lines (for printing entries as they were)
     * @param sink receives the entries, in file order
     */
    public SlowLogParser(ZoneOffset zone, boolean keepLines, Consumer<SlowQuery> sink) {
        this.zone = zone;
        this.keepLines = keepLines;
        this.sink = sink;
    }

    /** Parses a whole log, for tests and small files. */
    public static List<SlowQuery> parse(String log, ZoneOffset zone) {
        List<SlowQuery> entries = new ArrayList<>();
        SlowLogParser parser = new SlowLogParser(zone, true, entries::add);
        log.lines().forEach(parser::accept);
        parser.finish();
        return entries;
    }

    /** The next line, without its line break. */
    public void accept(String line) {
        if (BANNER.matcher(line).matches() || BANNER_PORT.matcher(line).matches()
                || BANNER_COLUMNS.matcher(line).matches()) {
            flush();
            lastUse = null;
            return;
        }
        if (line.startsWith("# Time:")) {
            flush();
            current = new Entry();
            Instant t = LogTimes.parse(line.substring(7).strip(), zone);
            if (t != null) {
                lastLoggedTime = t;
            }
            current.loggedTime = t;
            current.line(line, keepLines);
            return;
        }
        if (line.startsWith("# User@Host:")) {
            if (current == null || current.user != null || current.hasBody()) {
                flush();
                current = new Entry();
                current.loggedTime = lastLoggedTime;
            }
            Matcher m = USER_HOST.matcher(line);
            if (m.find()) {
                current.user = m.group(1);
                current.host = !m.group(2).isEmpty() ? m.group(2) : m.group(3).isEmpty() ? null : m.group(3);
                if (m.group(4) != null) {
                    current.threadId = Long.parseLong(m.group(4));
                }
            } else {
                current.user = "";
            }
            current.line(line, keepLines);
            return;
        }
        if (current == null) {
            current = new Entry();
            current.loggedTime = lastLoggedTime;
        }
        current.line(line, keepLines);
        if (current.hasBody()) {
            current.body.add(line);
            return;
        }
        if (line.startsWith("#") && !line.startsWith("# administrator command:")) {
            header(line.substring(1));
            return;
        }
        Matcher use = USE.matcher(line);
        if (use.matches()) {
            String db = use.group(1);
            current.database = db.startsWith("`") ? db.substring(1, db.length() - 1).replace("``", "`") : db;
            lastUse = current.database;
            return;
        }
        Matcher ts = SET_TIMESTAMP.matcher(line);
        if (ts.matches()) {
            long seconds = Long.parseLong(ts.group(1));
            String fraction = ts.group(2) == null ? "0" : ts.group(2);
            current.startTime = Instant.ofEpochSecond(seconds,
                    Long.parseLong((fraction + "000000000").substring(0, 9)));
            return;
        }
        if (line.startsWith("# administrator command:")) {
            current.body.add(line.substring(2));
        } else if (!line.isBlank()) {
            current.body.add(line);
        }
    }

    /** Hands on the last entry. */
    public void finish() {
        flush();
    }

    private void header(String text) {
        Matcher m = FIELD.matcher(text);
        List<int[]> keys = new ArrayList<>();
        while (m.find()) {
            keys.add(new int[] {m.start(1), m.end(1)});
        }
        for (int k = 0; k < keys.size(); k++) {
            String key = text.substring(keys.get(k)[0], keys.get(k)[1]);
            int valueStart = keys.get(k)[1] + 1;
            int valueEnd = k + 1 < keys.size() ? keys.get(k + 1)[0] : text.length();
            String value = text.substring(valueStart, valueEnd).strip();
            if (key.equals("explain")) {
                return;
            }
            switch (key) {
                case "Query_time" -> current.queryTime = parseDouble(value);
                case "Lock_time" -> current.lockTime = parseDouble(value);
                case "Rows_sent" -> current.rowsSent = parseLong(value);
                case "Rows_examined" -> current.rowsExamined = parseLong(value);
                case "Thread_id" -> {
                    long id = parseLong(value);
                    current.threadId = id >= 0 ? id : current.threadId;
                }
                case "Schema" -> {
                    if (!value.isEmpty()) {
                        current.schema = value;
                    }
                }
                default -> current.attributes.put(key, value);
            }
        }
    }

    private static double parseDouble(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void flush() {
        Entry e = current;
        current = null;
        if (e == null || (e.body.isEmpty() && e.user == null && e.queryTime == null)) {
            return;
        }
        String sql = String.join("\n", e.body).strip();
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1).stripTrailing();
        }
        Instant time = e.startTime != null ? e.startTime : e.loggedTime;
        String database = e.database != null ? e.database : e.schema != null ? e.schema : lastUse;
        sink.accept(new SlowQuery(time, e.user == null || e.user.isEmpty() ? null : e.user, e.host, e.threadId,
                database, e.queryTime == null ? 0 : e.queryTime, e.lockTime,
                Math.max(0, e.rowsSent), Math.max(0, e.rowsExamined), Collections.unmodifiableMap(e.attributes), sql,
                keepLines ? List.copyOf(e.lines) : List.of()));
    }

    private static final class Entry {
        Instant loggedTime;
        Instant startTime;
        String user;
        String host;
        Long threadId;
        String database;
        String schema;
        Double queryTime;
        double lockTime;
        long rowsSent;
        long rowsExamined;
        final Map<String, String> attributes = new LinkedHashMap<>();
        final List<String> body = new ArrayList<>();
        final List<String> lines = new ArrayList<>();

        boolean hasBody() {
            return !body.isEmpty();
        }

        void line(String line, boolean keep) {
            if (keep) {
                lines.add(line);
            }
        }
    }
}
