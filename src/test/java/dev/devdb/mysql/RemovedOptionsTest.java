package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class RemovedOptionsTest {
    private static final String HEADER = "option,deprecated,removed,effect,replacement,note,source\n";
    private static final RemovedOptions MYSQL = RemovedOptions.of(Flavor.MYSQL);
    private static final RemovedOptions MARIADB = RemovedOptions.of(Flavor.MARIADB);

    private static RemovedOptions parse(String text) throws IOException {
        return RemovedOptions.parse(Flavor.MYSQL, new StringReader(text), "t.csv");
    }

    private static ServerVersion v(String tag) {
        return ServerVersion.ofTag(tag);
    }

    @Test
    void parser_reads_rows_with_quoted_fields_and_skips_comments() throws IOException {
        RemovedOptions t = parse("# a comment\n\n" + HEADER
                + "expire_logs_days,8.0.3,8.2.0,refused,binlog_expire_logs_seconds,seconds,https://x/8-2\n"
                + "slave_rows_search_algorithms,8.0.18,8.3.0,refused,,\"INDEX_SCAN,HASH_SCAN is \"\"always\"\" used\",https://x\n"
                + "innodb_log_files_in_group,10.5,10.6,ignored,,,https://x\n");
        assertEquals(3, t.rows().size());
        RemovedOptions.Row r = t.rows().get(0);
        assertEquals(new RemovedOptions.Row("expire_logs_days", new ServerVersion(8, 0, 3), new ServerVersion(8, 2, 0),
                false, "binlog_expire_logs_seconds", "seconds", "https://x/8-2"), r);
        assertEquals("INDEX_SCAN,HASH_SCAN is \"always\" used", t.rows().get(1).note());
        assertEquals(new ServerVersion(10, 6, 0), t.rows().get(2).removed());
        assertTrue(t.rows().get(2).ignored());
    }

    @Test
    void parser_names_the_line_of_a_bad_row() {
        assertEquals("t.csv:2: 7 fields expected, not 3", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "a,8.0,8.2\n")).getMessage());
        assertEquals("t.csv:2: '8.x' is not a version such as 8.0.3", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "a,8.x,,refused,,,https://x\n")).getMessage());
        assertEquals("t.csv:2: effect must be refused or ignored, not 'gone'", assertThrows(
                IllegalArgumentException.class, () -> parse(HEADER + "a,,8.0,gone,,,https://x\n")).getMessage());
        assertEquals("t.csv:2: a needs a source (an https:// page)", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "a,,8.0,refused,,,\n")).getMessage());
        assertEquals("t.csv:2: option 'Query-Cache' must be written in lower case with underscores",
                assertThrows(IllegalArgumentException.class,
                        () -> parse(HEADER + "Query-Cache,,8.0,refused,,,https://x\n")).getMessage());
        assertEquals("t.csv:3: a is listed twice", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "a,,8.0,refused,,,https://x\na,,8.0,refused,,,https://x\n")).getMessage());
        assertEquals("t.csv:1: the header must be option,deprecated,removed,effect,replacement,note,source",
                assertThrows(IllegalArgumentException.class, () -> parse("a,b\n")).getMessage());
        assertEquals("t.csv:2: a has neither a deprecated nor a removed version", assertThrows(
                IllegalArgumentException.class, () -> parse(HEADER + "a,,,refused,,,https://x\n")).getMessage());
        assertEquals("t.csv:2: a quoted field is not closed", assertThrows(IllegalArgumentException.class,
                () -> parse(HEADER + "a,,8.0,refused,,\"open,https://x\n")).getMessage());
    }

    @Test
    void every_built_in_row_names_a_documenting_page() {
        for (RemovedOptions t : new RemovedOptions[] {MYSQL, MARIADB}) {
            assertTrue(t.rows().size() > 25, t.flavor() + ": " + t.rows().size());
            t.rows().forEach(r -> assertTrue(r.source().startsWith("https://dev.mysql.com/")
                    || r.source().startsWith("https://mariadb.com/"), r.toString()));
        }
    }

    @Test
    void messages_name_the_version_and_the_replacement() {
        assertEquals("expire_logs_days was removed in MySQL 8.2; use binlog_expire_logs_seconds (seconds)",
                MYSQL.check("expire_logs_days", v("8.4")).message());
        assertEquals("query_cache_size was removed in MySQL 8.0", MYSQL.check("query_cache_size", v("8.0")).message());
        assertEquals("default_authentication_plugin was removed in MySQL 8.4; use authentication_policy (its first"
                + " element names the default plugin)", MYSQL.check("default_authentication_plugin", v("9.7")).message());
        assertEquals("mysql_native_password was removed in MySQL 9.0; the plugin is gone: accounts need"
                + " caching_sha2_password", MYSQL.check("mysql_native_password", v("9.7")).message());
        assertEquals(RemovedOptions.Severity.ERROR, MYSQL.check("expire_logs_days", v("9.7")).severity());
    }

    @Test
    void versions_before_the_removal_pass_or_warn_of_the_deprecation() {
        assertNull(MYSQL.check("expire_logs_days", v("5.7")));
        RemovedOptions.Finding f = MYSQL.check("expire_logs_days", v("8.0"));
        assertEquals(RemovedOptions.Severity.WARNING, f.severity());
        assertEquals("expire_logs_days is deprecated since MySQL 8.0; use binlog_expire_logs_seconds (seconds)",
                f.message());
        assertEquals(RemovedOptions.Severity.WARNING, MYSQL.check("expire_logs_days", v("8.1.0")).severity());
        assertEquals(RemovedOptions.Severity.ERROR, MYSQL.check("expire_logs_days", v("8.2.0")).severity());
        // a tag naming a release line runs its newest release
        assertEquals(RemovedOptions.Severity.ERROR, MYSQL.check("query_cache_type", v("8.0")).severity());
        assertEquals(RemovedOptions.Severity.WARNING, MYSQL.check("query_cache_type", v("8.0.2")).severity());
        assertNull(MYSQL.check("default_authentication_plugin", v("8.0.26")));
        assertEquals(RemovedOptions.Severity.ERROR, MYSQL.check("default_authentication_plugin", v("8.4.0")).severity());
    }

    @Test
    void dashes_case_and_switch_prefixes_are_read_as_the_server_reads_them() {
        for (String key : new String[] {"expire-logs-days", "EXPIRE_LOGS_DAYS", " Expire-Logs_Days "}) {
            RemovedOptions.Finding f = MYSQL.check(key, v("9.7"));
            assertEquals(RemovedOptions.Severity.ERROR, f.severity(), key);
            assertEquals("expire_logs_days", f.row().option(), key);
            assertEquals(key, f.key(), key);
        }
        assertEquals("skip_host_cache", MYSQL.check("skip-host-cache", v("8.4")).row().option());
        assertEquals("character_set_client_handshake",
                MYSQL.check("skip-character-set-client-handshake", v("8.4")).row().option());
        assertEquals("innodb_file_format_check", MYSQL.check("disable-innodb-file-format-check", v("8.0")).row().option());
        assertEquals("secure_auth", MYSQL.check("enable_secure_auth", v("8.0")).row().option());
        assertNull(MYSQL.check("skip_name_resolve", v("9.7")));
        assertNull(MYSQL.check("skip_new", v("9.7")), "skip-new is an option of its own");
        assertNull(MYSQL.check("binlog_expire_logs_seconds", v("9.7")));
    }

    @Test
    void a_loose_option_the_version_removed_is_only_a_warning() {
        RemovedOptions.Finding f = MYSQL.check("loose-query-cache-size", v("9.7"));
        assertEquals(RemovedOptions.Severity.WARNING, f.severity());
        assertEquals("query_cache_size was removed in MySQL 8.0; the server ignores loose-query-cache-size (loose-)",
                f.message());
        assertEquals(RemovedOptions.Severity.WARNING, MYSQL.check("loose_skip_host_cache", v("8.4")).severity());
    }

    @Test
    void mariadb_options_kept_as_no_ops_warn_and_those_really_gone_fail() {
        RemovedOptions.Finding kept = MARIADB.check("innodb_log_files_in_group", v("11.8"));
        assertEquals(RemovedOptions.Severity.WARNING, kept.severity());
        assertEquals("innodb_log_files_in_group was removed in MariaDB 10.6; the redo log is one file; size it with"
                + " innodb_log_file_size; the server ignores it", kept.message());
        assertEquals("innodb_log_files_in_group is deprecated since MariaDB 10.5; the redo log is one file; size it"
                + " with innodb_log_file_size", MARIADB.check("innodb-log-files-in-group", v("10.5")).message());
        assertEquals(RemovedOptions.Severity.ERROR, MARIADB.check("innodb_change_buffer_max_size", v("11.8")).severity());
        assertEquals(RemovedOptions.Severity.WARNING, MARIADB.check("innodb_change_buffer_max_size", v("10.11"))
                .severity());
        assertEquals(RemovedOptions.Severity.ERROR, MARIADB.check("old_alter_table", v("11.8")).severity());
        assertNull(MARIADB.check("expire_logs_days", v("11.8")), "MariaDB still has expire_logs_days");
        assertNull(MARIADB.check("innodb_log_files_in_group", v("10.4")));
    }

    @Test
    void devdbs_own_binary_log_settings_never_trip_the_table() {
        for (String tag : new String[] {"5.7", "8.0", "8.0.20", "8.4", "9.0", "9.7"}) {
            ServerVersion version = v(tag);
            Binlog.cdcOptions(Flavor.MYSQL, version).keySet().forEach(k -> assertNull(MYSQL.check(k, version), tag + " " + k));
        }
        for (String tag : new String[] {"10.5", "10.6", "10.11", "11.4", "11.8"}) {
            ServerVersion version = v(tag);
            Binlog.cdcOptions(Flavor.MARIADB, version).keySet()
                    .forEach(k -> assertNull(MARIADB.check(k, version), tag + " " + k));
        }
    }
}
