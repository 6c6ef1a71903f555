package dev.devdb.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations the way people type them: 90s, 2m, 1h30m, 500ms, or plain seconds. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private Durations() {}

    /** The duration, or null when the text is not one. */
    public static Duration parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.matches("\\d+(\\.\\d+)?")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        }
        Matcher m = PART.matcher(t);
        int pos = 0;
        double millis = 0;
        while (m.find() && m.start() == pos) {
            double n = Double.parseDouble(m.group(1));
            millis += n * switch (m.group(2)) {
                case "ms" -> 1;
                case "s" -> 1000;
                case "m" -> 60_000;
                case "h" -> 3_600_000;
                default -> 86_400_000;
            };
            pos = m.end();
        }
        return pos == t.length() && pos > 0 ? Duration.ofMillis(Math.round(millis)) : null;
    }

    /**
     * How long ago something was, in whole seconds; zero for a time a little ahead of {@code now}
     * (an engine whose clock runs ahead of this machine's).
     */
    public static Duration age(Instant since, Instant now) {
        Duration d = Duration.between(since, now).withNanos(0);
        return d.isNegative() ? Duration.ZERO : d;
    }

    /** A short human form: 850ms, 4.2s, 3m10s, 2h05m, 3d. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        if (ms < 59_950) {
            return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        // From 59.95s on, one decimal would round up to 60.0s: that is a minute.
        long s = Math.max(60, d.toSeconds());
        if (s < 3600) {
            return (s / 60) + "m" + String.format(Locale.ROOT, "%02ds", s % 60);
        }
        if (s < 86_400) {
            return (s / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
        }
        return (s / 86_400) + "d";
    }
}
