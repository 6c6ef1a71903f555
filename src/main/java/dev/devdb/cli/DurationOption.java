package dev.devdb.cli;

import dev.devdb.core.DevDbException;
import dev.devdb.core.Durations;
import dev.devdb.core.ExitCodes;
import java.time.Duration;

/** Reads a duration option (90s, 2m, 1h30m, or plain seconds), refusing zero and nonsense. */
final class DurationOption {
    private DurationOption() {}

    static Duration parse(String option, String text) {
        Duration d = Durations.parse(text);
        if (d == null || d.isZero()) {
            throw new DevDbException(ExitCodes.USAGE, option + " '" + text + "' is not a duration; use e.g. 90s or 3m");
        }
        return d;
    }
}
