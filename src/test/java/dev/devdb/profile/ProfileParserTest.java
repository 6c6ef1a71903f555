package dev.devdb.profile;

import static dev.devdb.profile.Profiles.parse;
import static dev.devdb.profile.Profiles.profileError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ProfileParserTest {

    @Test
    void yaml_1_1_booleans_keep_their_text() {
        ProfileDocument doc = parse("""
                mycnf:
                  slow_query_log: ON
                  performance_schema: off
                  local_infile: yes
                env:
                  FEATURE: No
                """);

        assertEquals(Map.of("slow_query_log", "ON", "performance_schema", "off", "local_infile", "yes"), doc.mycnf());
        assertEquals(Map.of("FEATURE", "No"), doc.env());
    }

    @Test
    void numbers_keep_their_text() {
        assertEquals("10.10", parse("version: 10.10\n").version());
        assertEquals("8.0", parse("version: 8.0\n").version());
        assertEquals("0.50", parse("mycnf:\n  long_query_time: 0.50\n").mycnf().get("long_query_time"));
    }

    @Test
    void bare_key_becomes_a_flag_without_value() {
        Map<String, String> mycnf = parse("mycnf:\n  skip_name_resolve:\n  max_connections: 50\n").mycnf();

        assertTrue(mycnf.containsKey("skip_name_resolve"), mycnf::toString);
        assertNull(mycnf.get("skip_name_resolve"));
        assertEquals("50", mycnf.get("max_connections"));
    }

    @Test
    void a_key_given_twice_is_refused_where_it_is_repeated() {
        String message = profileError(() -> parse("flavor: mysql\nversion: \"8.4\"\nflavor: mariadb\n"));

        assertEquals("t.yaml:3:1: field 'flavor' is given twice; keep one", message);
    }

    @Test
    void a_nested_key_given_twice_is_named_by_its_path() {
        String message = profileError(() -> parse("flavor: mysql\nmycnf:\n  max_connections: 10\n"
                + "  sql_mode: ''\n  max_connections: 20\n"));

        assertEquals("t.yaml:5:3: field 'mycnf.max_connections' is given twice; keep one", message);
    }

    @Test
    void extends_is_read_from_its_yaml_name() {
        assertEquals("mysql8", parse("extends: mysql8\n").extendsName());
    }

    @Test
    void unknown_field_suggests_the_closest_field() {
        String message = profileError(() -> parse("flavor: mysql\ndatabse: shop\n"));

        assertTrue(message.endsWith(": unknown field 'databse'; did you mean 'database'?"), message);
    }

    @Test
    void unknown_nested_field_is_named_by_its_path() {
        String message = profileError(() -> parse("flavor: mysql\nresources:\n  memroy: 1g\n"));

        assertTrue(message.endsWith(": unknown field 'resources.memroy'; did you mean 'resources.memory'?"), message);
    }

    @Test
    void unknown_field_error_points_at_the_key() {
        String message = profileError(() -> parse("flavor: mysql\ndatabse: shop\n"));

        assertTrue(message.startsWith("t.yaml:2:1: "), message);
    }

    @Test
    void unknown_nested_field_error_points_at_its_key() {
        String message = profileError(() -> parse("resources:\n  memory: 1g\n  memroy: 2g\nflavor: mysql\n"));

        assertTrue(message.startsWith("t.yaml:3:3: "), message);
    }

    @Test
    void unknown_field_far_from_every_name_lists_the_known_fields() {
        String message = profileError(() -> parse("flavor: mysql\nzzzzzz: 1\n"));

        assertTrue(message.startsWith("t.yaml:"), message);
        assertTrue(message.contains("unknown field 'zzzzzz"), message);
        assertTrue(message.endsWith("; known fields: cdc, database, description, env, extends, flavor, image, init, "
                + "mycnf, password, port, replicas, resources, user, version"), message);
    }

    @Test
    void wrong_type_names_the_field_and_its_line() {
        String message = profileError(() -> parse("flavor: mysql\nversion: \"8.4\"\nport: abc\n"));

        assertEquals("t.yaml:3:7: field 'port' must be a whole number", message);
    }

    @Test
    void fractional_port_is_a_wrong_type() {
        String message = profileError(() -> parse("flavor: mysql\nport: 3306.7\n"));

        assertEquals("t.yaml:2:7: field 'port' must be a whole number", message);
    }

    @Test
    void list_where_a_map_belongs_names_the_field() {
        String message = profileError(() -> parse("flavor: mysql\nmycnf: [skip_name_resolve]\n"));

        assertEquals("t.yaml:2:8: field 'mycnf' must be a map of key: value lines", message);
    }

    @Test
    void map_where_a_value_belongs_names_the_nested_field() {
        String message = profileError(() -> parse("mycnf:\n  innodb:\n    buffer_pool_size: 1G\n"));

        assertEquals("t.yaml:3:5: field 'mycnf.innodb' must be a single value, not a list or a map", message);
    }

    @Test
    void bad_yaml_gives_file_line_and_column() {
        String message = profileError(() -> parse("flavor: mysql\n  version: 8.4\n"));

        assertEquals("t.yaml:2:10: invalid YAML: mapping values are not allowed here", message);
    }

    @Test
    void empty_document_is_an_empty_profile() {
        assertEquals(ProfileDocument.EMPTY, parse(""));
        assertEquals(ProfileDocument.EMPTY, parse("# nothing here yet\n"));
    }
}
