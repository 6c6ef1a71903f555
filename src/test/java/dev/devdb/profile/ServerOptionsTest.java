package dev.devdb.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerOptionsTest {

    private static Map<String, String> options(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void render_writes_a_mysqld_section_with_normalised_keys_and_bare_flags() {
        String cnf = ServerOptions.render(options(
                "Innodb-Buffer-Pool-Size", "256M",
                "skip-name-resolve", null,
                "sql_mode", "STRICT_ALL_TABLES,NO_ZERO_DATE"), "Written by a test.\nSecond line.");

        assertEquals("""
                # Written by a test.
                # Second line.
                [mysqld]
                innodb_buffer_pool_size = 256M
                skip_name_resolve
                sql_mode = STRICT_ALL_TABLES,NO_ZERO_DATE
                """, cnf);
    }

    @Test
    void render_without_comment_starts_with_the_section() {
        assertEquals("[mysqld]\nmax_connections = 50\n", ServerOptions.render(Map.of("max_connections", "50"), null));
    }

    @Test
    void render_quotes_values_the_option_file_reader_would_cut_or_unescape() {
        String cnf = ServerOptions.render(options(
                "init_connect", "SET NAMES utf8mb4",
                "ft_stopword_file", "/etc/stop#words",
                "log_error", "a;b",
                "innodb_data_file_path", "say \"hi\"",
                "secure_file_priv", "C:\\tmp",
                "plugin_dir", "it's",
                "event_scheduler", ""), null);

        assertEquals("""
                [mysqld]
                init_connect = "SET NAMES utf8mb4"
                ft_stopword_file = "/etc/stop#words"
                log_error = "a;b"
                innodb_data_file_path = "say \\"hi\\""
                secure_file_priv = "C:\\\\tmp"
                plugin_dir = "it's"
                event_scheduler = ""
                """, cnf);
    }

    @Test
    void merge_treats_dash_and_underscore_spellings_as_one_option_and_later_wins() {
        Map<String, String> merged = ServerOptions.merge(
                options("slow-query-log", "OFF", "long_query_time", "10"),
                options("slow_query_log", "ON"));

        assertEquals(List.copyOf(options("slow_query_log", "ON", "long_query_time", "10").entrySet()),
                List.copyOf(merged.entrySet()));
    }

    @Test
    void merge_later_wins_within_one_map_too() {
        assertEquals(Map.of("slow_query_log", "ON"),
                ServerOptions.merge(Map.of(), options("slow_query_log", "OFF", "Slow-Query-Log", "ON")));
    }

    @Test
    void merge_keeps_flags() {
        Map<String, String> merged = ServerOptions.merge(options("skip-name-resolve", null), Map.of());

        assertTrue(merged.containsKey("skip_name_resolve"), merged::toString);
        assertNull(merged.get("skip_name_resolve"));
    }

    @Test
    void normalize_key_lower_cases_trims_and_uses_underscores() {
        assertEquals("slow_query_log", ServerOptions.normalizeKey("  Slow-Query-LOG "));
    }

    @Test
    void ordinary_option_has_no_problem() {
        assertNull(ServerOptions.problem("innodb-buffer-pool-size", "1G"));
        assertNull(ServerOptions.problem("performance_schema.events_waits_history_size", "10"));
        assertNull(ServerOptions.problem("skip_name_resolve", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "PORT", "bind-address", "loose-bind-address", "loose_port", "skip-networking",
            "socket", "datadir"})
    void options_devdb_owns_are_a_problem(String key) {
        String problem = ServerOptions.problem(key, "1");

        assertTrue(problem != null && problem.startsWith("server option '" + key + "' cannot be set: "),
                () -> String.valueOf(problem));
    }

    @ParameterizedTest
    @ValueSource(strings = {"enable-skip-networking", "enable_skip_networking", "loose-enable-skip-networking",
            "skip-network", "skip-net", "SKIP_NETWORKING", "disable-skip-networking", "skip-skip-networking",
            "loose_skip_networking", "enable-bind-address", "bind", "bind-addr", "sock", "loose-sock", "datad",
            "loose-datadir", "disable-port", "loose-loose-port"})
    void owned_options_are_a_problem_under_every_spelling_the_server_accepts(String key) {
        String problem = ServerOptions.problem(key, "1");

        assertTrue(problem != null && problem.startsWith("server option '" + key + "' cannot be set: "),
                () -> String.valueOf(problem));
    }

    @Test
    void an_abbreviation_names_the_option_the_server_reads_it_as() {
        assertEquals("server option 'enable-skip-net' cannot be set: devdb reaches the server over TCP (the server"
                + " reads 'enable-skip-net' as skip_networking)", ServerOptions.problem("enable-skip-net", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"skip-name-resolve", "skip_show_database", "skip-log-bin", "disable-log-bin",
            "loose-skip-grant-tables", "port_open_timeout", "socket_timeout", "sort_buffer_size", "skip-ssl",
            "date_format", "datetime_format", "binlog_format", "enable-named-pipe", "po", "skip-slave-start"})
    void options_that_merely_look_alike_are_fine(String key) {
        assertNull(ServerOptions.problem(key, "1"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\nb", "a\rb", "a\0b"})
    void value_with_a_line_break_or_nul_is_a_problem(String value) {
        assertEquals("value of server option 'init_connect' contains a line break or NUL; it must fit on one line",
                ServerOptions.problem("init_connect", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1st_option", "max connections", "a=b", "a\nb"})
    void malformed_name_is_a_problem_printed_on_one_line(String key) {
        String problem = ServerOptions.problem(key, "1");

        assertTrue(problem != null && problem.startsWith("server option name '"), () -> String.valueOf(problem));
        assertTrue(!problem.contains("\n"), problem);
    }
}
