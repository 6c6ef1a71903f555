package dev.devdb;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * A clock that stands still until a test moves it: time-dependent behaviour (expiry, ages,
 * {@code --since}) is tested by moving the clock, never by waiting. It starts at the current
 * second, so times it gives look like real ones.
 */
public final class TestClock extends Clock {
    private volatile Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    /** Moves the time forward. */
    public TestClock advance(Duration duration) {
        now = now.plus(duration);
        return this;
    }

    /** Sets the time. */
    public TestClock set(Instant instant) {
        now = instant;
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test clock keeps UTC");
    }
}
