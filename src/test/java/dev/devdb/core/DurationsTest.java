package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({
        "90s, 90000",
        "2m, 120000",
        "1h30m, 5400000",
        "500ms, 500",
        "1.5s, 1500",
        "1d, 86400000",
        "2m5s, 125000",
        "45, 45000",
        "0.25, 250",
        "' 3M ', 180000"
    })
    void parse_reads_what_people_type(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), Durations.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "10x", "1h 30m", "1m30", "-5s", "s", "5s!"})
    void parse_of_something_else_is_null(String text) {
        assertNull(Durations.parse(text));
    }

    @ParameterizedTest
    @CsvSource({
        "850, 850ms",
        "0, 0ms",
        "4200, 4.2s",
        "59949, 59.9s",
        "59950, 1m00s",
        "59999, 1m00s",
        "60000, 1m00s",
        "190000, 3m10s",
        "7500000, 2h05m",
        "259200000, 3d"
    })
    void format_is_short(long millis, String text) {
        assertEquals(text, Durations.format(Duration.ofMillis(millis)));
    }

    @ParameterizedTest
    @ValueSource(longs = {850, 4200, 190000, 7500000, 259200000})
    void format_reads_back_with_parse(long millis) {
        Duration d = Duration.ofMillis(millis);

        assertEquals(d, Durations.parse(Durations.format(d)));
    }

    @org.junit.jupiter.api.Test
    void age_is_in_whole_seconds_and_never_negative() {
        java.time.Instant now = java.time.Instant.parse("2026-12-01T12:00:00.700Z");

        assertEquals(Duration.ofSeconds(90), Durations.age(now.minusMillis(90_300), now));
        assertEquals(Duration.ZERO, Durations.age(now.plusSeconds(2), now), "an engine's clock a little ahead");
    }
}
