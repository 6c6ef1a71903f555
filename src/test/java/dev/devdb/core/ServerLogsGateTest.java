package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerLogsGateTest {

    private static List<String> through(Instant since, List<String> lines) {
        ServerLogs.Gate gate = new ServerLogs.Gate(since, ZoneOffset.UTC);
        return lines.stream().filter(gate::open).toList();
    }

    @Test
    void a_general_log_is_cut_at_the_first_line_stamped_since_then() {
        List<String> mariadb = List.of(
                "mariadbd, Version: 10.11.18-MariaDB-0+deb12u1-log (Debian 12). started with:",
                "261125 11:11:15\t    13 Query\tselect 1",
                "\t\t    13 Query\tselect 2",
                "261125 11:11:17\t    14 Connect\troot@localhost on  using Socket",
                "\t\t    14 Query\tselect 'multi",
                "line'");
        assertEquals(mariadb.subList(3, 6), through(Instant.parse("2026-11-25T11:11:16Z"), mariadb));
        assertEquals(mariadb, through(null, mariadb));
        assertEquals(List.of(), through(Instant.parse("2026-11-25T12:00:00Z"), mariadb));
    }
}
