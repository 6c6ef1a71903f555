package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LogTimesTest {
    private static final ZoneOffset PLUS2 = ZoneOffset.ofHours(2);

    @Test
    void reads_the_timestamps_both_servers_write() {
        assertEquals(Instant.parse("2026-11-25T11:11:14.417705Z"),
                LogTimes.lineTime("2026-11-25T11:11:14.417705Z\t   19 Query\tselect 1", PLUS2));
        assertEquals(Instant.parse("2026-11-25T10:11:14Z"),
                LogTimes.lineTime("2026-11-25T11:11:14.000000+01:00 0 [System] ...", PLUS2));
        assertEquals(Instant.parse("2026-11-25T09:11:15Z"),
                LogTimes.lineTime("261125 11:11:15\t    13 Query\tselect 1", PLUS2));
        assertEquals(Instant.parse("2026-11-25T07:02:03Z"), LogTimes.lineTime("261125  9:02:03", PLUS2));
        assertEquals(Instant.parse("2026-11-25T09:11:02Z"),
                LogTimes.lineTime("2026-11-25 11:11:02 0 [Note] Starting MariaDB", PLUS2));
    }

    @Test
    void lines_without_a_leading_time_have_none() {
        assertNull(LogTimes.lineTime("\t\t    13 Query\tselect 2", PLUS2));
        assertNull(LogTimes.lineTime("line'", PLUS2));
        assertNull(LogTimes.lineTime("Tcp port: 3306  Unix socket: /x", PLUS2));
        assertNull(LogTimes.lineTime("", PLUS2));
    }
}
