package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.mysql.ChangeStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How cdc watch prints a change: one line, or one JSON object. */
class CdcWatchFormatTest {

    private static Map<String, Object> row(Object... keysAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void an_update_shows_the_row_before_and_after() {
        ChangeStream.Change c = new ChangeStream.Change(Instant.parse("2026-01-02T03:04:05Z"), "update", "app",
                "items", row("id", 1, "name", "it's", "price", new BigDecimal("1.50"), "note", null),
                row("id", 1, "name", "uno", "price", new BigDecimal("1.50"), "note", "0x00FF"), "binlog.000003:1234");
        String line = CdcCommand.Watch.line(c);
        assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d UPDATE app\\.items .*"), line);
        assertTrue(line.endsWith(" {id=1, name='it\\'s', price=1.50, note=NULL} -> {id=1, name='uno', price=1.50, "
                + "note=0x00FF}"), line);
    }

    @Test
    void control_characters_in_a_value_are_shown_escaped() {
        assertEquals("'red \\x1b[31m\\n it\\'s \\\\ \\u009b'",
                CdcCommand.Watch.literal("red \u001b[31m\n it's \\ \u009b"));
    }

    @Test
    void json_lines_carry_stable_field_names() {
        ChangeStream.Change c = new ChangeStream.Change(Instant.parse("2026-01-02T03:04:05Z"), "delete", "app",
                "items", row("id", 1), null, "binlog.000003:99");
        assertEquals(row("time", "2026-01-02T03:04:05Z", "op", "delete", "database", "app", "table", "items",
                "before", row("id", 1), "after", null, "position", "binlog.000003:99"), CdcCommand.Watch.view(c));
    }
}
