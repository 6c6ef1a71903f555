package dev.devdb.mysql;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A replica's state as {@code SHOW REPLICA STATUS} (or {@code SHOW SLAVE STATUS}) reports it,
 * whichever names the version uses for its columns.
 *
 * @param configured false when the server is no replica at all (the statement returned no row)
 * @param ioRunning the receiver (IO) thread: Yes, No or Connecting
 * @param sqlRunning the applier (SQL) thread: Yes or No
 * @param secondsBehind the lag the server reports, or null when it does not know
 * @param sourceHost the host it replicates from
 * @param lastIoError the last receiver error, empty when none
 * @param lastSqlError the last applier error, empty when none
 */
public record ReplicaStatus(boolean configured, String ioRunning, String sqlRunning, Long secondsBehind,
        String sourceHost, String lastIoError, String lastSqlError) {

    private static final Pattern FIELD = Pattern.compile("^\\s*([A-Za-z_]+): ?(.*)$");

    /** True when both threads run. */
    public boolean running() {
        return "Yes".equalsIgnoreCase(ioRunning) && "Yes".equalsIgnoreCase(sqlRunning);
    }

    /** True when a thread has stopped, as opposed to still connecting. */
    public boolean stopped() {
        return "No".equalsIgnoreCase(ioRunning) || "No".equalsIgnoreCase(sqlRunning);
    }

    /** The errors, formatted for a message; empty when there are none. */
    public String errors() {
        StringBuilder s = new StringBuilder();
        if (lastIoError != null && !lastIoError.isBlank()) {
            s.append("Last_IO_Error: ").append(lastIoError.trim());
        }
        if (lastSqlError != null && !lastSqlError.isBlank()) {
            if (s.length() > 0) {
                s.append("; ");
            }
            s.append("Last_SQL_Error: ").append(lastSqlError.trim());
        }
        return s.toString();
    }

    /** Parses the client's vertical output ({@code \G}) of the status statement. */
    public static ReplicaStatus parse(String vertical) {
        Map<String, String> f = fields(vertical);
        if (f.isEmpty()) {
            return new ReplicaStatus(false, null, null, null, null, "", "");
        }
        String lag = first(f, "Seconds_Behind_Source", "Seconds_Behind_Master");
        Long seconds = null;
        if (lag != null && lag.matches("\\d+")) {
            seconds = Long.valueOf(lag);
        }
        return new ReplicaStatus(true, first(f, "Replica_IO_Running", "Slave_IO_Running"),
                first(f, "Replica_SQL_Running", "Slave_SQL_Running"), seconds,
                first(f, "Source_Host", "Master_Host"), orEmpty(f.get("Last_IO_Error")),
                orEmpty(f.get("Last_SQL_Error")));
    }

    /** The {@code name: value} lines of vertical output; lines that continue a value are left out. */
    public static Map<String, String> fields(String vertical) {
        Map<String, String> f = new LinkedHashMap<>();
        for (String line : vertical.split("\n")) {
            if (line.startsWith("*****")) {
                continue;
            }
            Matcher m = FIELD.matcher(line);
            if (m.matches()) {
                f.putIfAbsent(m.group(1), m.group(2));
            }
        }
        return f;
    }

    private static String first(Map<String, String> f, String a, String b) {
        return f.containsKey(a) ? f.get(a) : f.get(b);
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
