package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.core.Durations;
import dev.devdb.error.ExitCodes;
import java.time.Duration;

/**
 * Reads a duration option (90s, 2m, 1h30m, 500ms, or plain seconds), refusing nonsense and
 * anything outside 1ms to 365d: the range every duration option documents.
 */
final class DurationOption {
    static final Duration MIN = Duration.ofMillis(1);
    static final Duration MAX = Duration.ofDays(365);
    static final String MAX_TEXT = "365d";

    private DurationOption() {}

    static Duration parse(String option, String text) {
        Duration d = Durations.parse(text);
        if (d == null) {
            throw new DevDbException(ExitCodes.USAGE, option + " '" + text + "' is not a duration; use e.g. 90s or 3m");
        }
        if (d.compareTo(MIN) < 0 || d.compareTo(MAX) > 0) {
            throw new DevDbException(ExitCodes.USAGE, option + " '" + text + "' is out of range: give a duration from"
                    + " 1ms to " + MAX_TEXT);
        }
        return d;
    }
}
