package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SlowSummaryViewTest {

    @Test
    void times_read_at_a_glance() {
        assertEquals("301ms", SlowSummaryView.time(0.301158));
        assertEquals("1.20s", SlowSummaryView.time(1.2));
        assertEquals("12.3s", SlowSummaryView.time(12.34));
        assertEquals("250s", SlowSummaryView.time(250));
        assertEquals("4.5ms", SlowSummaryView.time(0.0045));
        assertEquals("80us", SlowSummaryView.time(0.00008));
    }

    @Test
    void row_counts_shorten() {
        assertEquals("1", SlowSummaryView.rows(1));
        assertEquals("2.5", SlowSummaryView.rows(2.5));
        assertEquals("9999", SlowSummaryView.rows(9999));
        assertEquals("123k", SlowSummaryView.rows(123_456));
        assertEquals("1.2M", SlowSummaryView.rows(1_234_567));
    }

    @Test
    void since_takes_a_duration_or_a_time() {
        java.time.Clock clock = java.time.Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), java.time.ZoneOffset.UTC);
        Instant tenMinutesAgo = clock.instant().minus(Duration.ofMinutes(10));
        assertTrue(Math.abs(Duration.between(tenMinutesAgo, LogsCommand.since("10m", clock)).toMillis()) < 2000);
        assertEquals(Instant.parse("2026-11-25T10:00:00Z"), LogsCommand.since("2026-11-25T10:00:00Z", clock));
        DevDbException e = assertThrows(DevDbException.class, () -> LogsCommand.since("yesterday", clock));
        assertEquals(2, e.exitCode());
    }
}
