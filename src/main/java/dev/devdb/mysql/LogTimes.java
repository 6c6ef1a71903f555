package dev.devdb.mysql;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The timestamps servers put in their logs: MySQL's ISO-8601 ({@code 2026-11-25T11:11:02.293745Z},
 * or with an offset when {@code log_timestamps=SYSTEM}), MariaDB's error log
 * ({@code 2026-11-25 11:11:02}) and its general and slow logs ({@code 261125 11:11:02}). Times
 * without a zone are in the server's time zone, given as an offset.
 */
public final class LogTimes {
    private static final Pattern ISO = Pattern.compile(
            "^(\\d{4}-\\d{2}-\\d{2})[T ](\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?)(Z|[+-]\\d{2}:?\\d{2})?");
    private static final Pattern SHORT = Pattern.compile("^(\\d{2})(\\d{2})(\\d{2})\\s+(\\d{1,2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");

    private LogTimes() {}

    /** The time a log line starts with, or null when it starts with none. */
    public static Instant lineTime(String line, ZoneOffset zone) {
        return parse(line, zone);
    }

    /** The time at the start of {@code text}, or null. */
    public static Instant parse(String text, ZoneOffset zone) {
        String t = text.stripLeading();
        Matcher m = ISO.matcher(t);
        if (m.find()) {
            try {
                LocalDateTime local = LocalDateTime.parse(m.group(1) + "T" + m.group(2));
                ZoneOffset offset = zone;
                if (m.group(3) != null) {
                    String o = m.group(3);
                    offset = o.equals("Z") ? ZoneOffset.UTC
                            : ZoneOffset.of(o.length() == 5 ? o.substring(0, 3) + ":" + o.substring(3) : o);
                }
                return local.toInstant(offset);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        m = SHORT.matcher(t);
        if (m.find()) {
            try {
                String fraction = m.group(7) == null ? "0" : m.group(7);
                LocalDateTime local = LocalDateTime.of(2000 + Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)), Integer.parseInt(m.group(5)),
                        Integer.parseInt(m.group(6)), Integer.parseInt((fraction + "000000000").substring(0, 9)));
                return local.toInstant(zone);
            } catch (RuntimeException e) {
                return null;
            }
        }
        return null;
    }
}
