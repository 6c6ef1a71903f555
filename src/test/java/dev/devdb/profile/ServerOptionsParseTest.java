package dev.devdb.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerOptionsParseTest {

    @Test
    void what_render_writes_parse_reads_back() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("long_query_time", "0.2");
        options.put("skip_name_resolve", null);
        options.put("init_connect", "SET NAMES utf8mb4; # not a comment");
        options.put("slow_query_log_file", "/tmp/my slow.log");
        options.put("ft_stopword_file", "C:\\x\"y");
        options.put("sql_mode", "");
        assertEquals(options, ServerOptions.parse(ServerOptions.render(options, "a comment\nover two lines")));
    }

    @Test
    void only_server_sections_count_and_spellings_are_normalised() {
        String cnf = """
                [client]
                user = nobody
                [mysqld]
                Slow-Query-Log=ON
                ; a comment
                max_connections = 500 # inline
                [mysqldump]
                quick
                """;
        assertEquals(Map.of("slow_query_log", "ON", "max_connections", "500"), ServerOptions.parse(cnf));
    }
}
