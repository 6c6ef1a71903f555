package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ServerSettingsTest {

    @Test
    void values_become_what_set_global_accepts() {
        assertEquals("0.2", ServerSettings.sqlValue("0.2"));
        assertEquals("500", ServerSettings.sqlValue("500"));
        assertEquals("-1", ServerSettings.sqlValue("-1"));
        assertEquals("16777216", ServerSettings.sqlValue("16M"));
        assertEquals("1024", ServerSettings.sqlValue("1k"));
        assertEquals("2147483648", ServerSettings.sqlValue("2G"));
        assertEquals("'ON'", ServerSettings.sqlValue("ON"));
        assertEquals("'FILE,TABLE'", ServerSettings.sqlValue("FILE,TABLE"));
        assertEquals("''", ServerSettings.sqlValue(""));
        assertEquals("'it''s; DROP TABLE x'", ServerSettings.sqlValue("it's; DROP TABLE x"));
        assertEquals("'a\\\\b'", ServerSettings.sqlValue("a\\b"));
        assertEquals("'/var/lib/mysql/q.log'", ServerSettings.sqlValue("/var/lib/mysql/q.log"));
    }

    @Test
    void option_spellings_name_one_variable() {
        assertEquals("slow_query_log", ServerSettings.variable("slow-query-log"));
        assertEquals("long_query_time", ServerSettings.variable("Long_Query_Time"));
        assertEquals("innodb_print_all_deadlocks", ServerSettings.variable("loose-innodb-print-all-deadlocks"));
    }

    @Test
    void a_live_value_matches_the_configured_one_as_the_server_prints_it() {
        assertTrue(ServerSettings.sameValue("0.2", "0.200000"));
        assertTrue(ServerSettings.sameValue("ON", "1"));
        assertTrue(ServerSettings.sameValue("on", "ON"));
        assertTrue(ServerSettings.sameValue("0", "OFF"));
        assertTrue(ServerSettings.sameValue("1M", "1048576"));
        assertTrue(ServerSettings.sameValue(null, "ON"));
        assertTrue(ServerSettings.sameValue("utf8mb4", "utf8mb4"));
        assertFalse(ServerSettings.sameValue("99999999", "100000"));
        assertFalse(ServerSettings.sameValue("ON", "OFF"));
        assertFalse(ServerSettings.sameValue(null, "OFF"));
        assertFalse(ServerSettings.sameValue("FILE", "TABLE"));
    }
}
