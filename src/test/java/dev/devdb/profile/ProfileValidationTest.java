package dev.devdb.profile;

import static dev.devdb.profile.Profiles.profile;
import static dev.devdb.profile.Profiles.profileError;
import static dev.devdb.profile.Profiles.where;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.mysql.Flavor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProfileValidationTest {
    private static final String MYSQL = "flavor: mysql\nversion: \"8.4\"\n";

    @Test
    void minimal_profile_gets_the_defaults() {
        Profile p = profile(MYSQL);

        assertEquals(Flavor.MYSQL, p.flavor());
        assertEquals("8.4", p.version());
        assertEquals(Profile.DEFAULT_DATABASE, p.database());
        assertEquals(Profile.DEFAULT_USER, p.user());
        assertNull(p.password());
        assertNull(p.port());
        assertNull(p.image());
        assertEquals(Resources.NONE, p.resources());
    }

    @Test
    void flavor_is_required() {
        assertEquals(where() + "field 'flavor' is required: mysql or mariadb",
                profileError(() -> profile("version: \"8.4\"\n")));
    }

    @Test
    void flavor_must_be_mysql_or_mariadb() {
        assertEquals(where() + "field 'flavor' must be mysql or mariadb, not 'postgres'",
                profileError(() -> profile("flavor: postgres\nversion: \"16\"\n")));
    }

    @Test
    void version_is_required() {
        assertEquals(where() + "field 'version' is required: the image tag, e.g. 8.4",
                profileError(() -> profile("flavor: mariadb\n")));
    }

    @Test
    void mycnf_keys_are_normalised() {
        Profile p = profile(MYSQL + "mycnf:\n  Innodb-Buffer-Pool-Size: 256M\n");

        assertEquals(Map.of("innodb_buffer_pool_size", "256M"), p.mycnf());
    }

    @Test
    void mycnf_key_with_a_line_break_is_refused() {
        String message = profileError(() -> profile(MYSQL + "mycnf:\n  \"max_connections\\n[client]\": 1\n"));

        assertEquals(where() + "mycnf: server option name 'max_connections\\n[client]' is not valid: use letters, "
                + "digits, '_', '-' or '.', starting with a letter", message);
    }

    @Test
    void mycnf_value_with_a_line_break_is_refused() {
        String message = profileError(() -> profile(MYSQL + "mycnf:\n  init_connect: \"SET NAMES utf8\\n[client]\"\n"));

        assertEquals(where() + "mycnf: value of server option 'init_connect' contains a line break or NUL; "
                + "it must fit on one line", message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"port", "bind-address", "bind_address", "loose-bind-address", "skip-networking", "socket",
            "datadir"})
    void mycnf_options_devdb_owns_are_refused(String key) {
        String message = profileError(() -> profile(MYSQL + "mycnf:\n  " + key + ": 1\n"));

        assertTrue(message.startsWith(where() + "mycnf: server option '" + key + "' cannot be set: "), message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"MYSQL_PASSWORD", "MYSQL_ROOT_PASSWORD", "MYSQL_DATABASE", "MYSQL_USER",
            "MARIADB_ROOT_PASSWORD", "MYSQL_ALLOW_EMPTY_PASSWORD", "MARIADB_ROOT_HOST"})
    void env_keys_devdb_manages_are_refused(String key) {
        String message = profileError(() -> profile(MYSQL + "env:\n  " + key + ": secret\n"));

        assertEquals(where() + "env: " + key + " is set by devdb; use the fields 'database', 'user' and 'password'",
                message);
    }

    @Test
    void other_env_keys_are_kept_in_order() {
        Profile p = profile(MYSQL + "env:\n  TZ: Europe/Paris\n  MYSQL_INITDB_SKIP_TZINFO: 1\n  EMPTY:\n");

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("TZ", "Europe/Paris");
        expected.put("MYSQL_INITDB_SKIP_TZINFO", "1");
        expected.put("EMPTY", "");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(p.env().entrySet()));
    }

    @Test
    void env_name_must_be_a_variable_name() {
        assertEquals(where() + "env: '1FOO' is not a valid variable name",
                profileError(() -> profile(MYSQL + "env:\n  1FOO: x\n")));
    }

    @Test
    void memory_sizes_are_binary() {
        assertEquals(536_870_912L, profile(MYSQL + "resources:\n  memory: 512m\n").resources().memoryBytes());
        assertEquals(1_610_612_736L, profile(MYSQL + "resources:\n  memory: 1.5g\n").resources().memoryBytes());
        assertEquals(2_147_483_648L, profile(MYSQL + "resources:\n  memory: 2GiB\n").resources().memoryBytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"lots", "512x", "1.5.5g", "-1g", "32m", "0"})
    void invalid_or_too_small_memory_is_refused(String size) {
        String message = profileError(() -> profile(MYSQL + "resources:\n  memory: \"" + size + "\"\n"));

        assertEquals(where() + "resources.memory must be a size of at least 64m, like 512m or 2g, not '" + size + "'",
                message);
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999", "16777217t"})
    void memory_too_large_for_a_long_is_refused(String size) {
        String message = profileError(() -> profile(MYSQL + "resources:\n  memory: \"" + size + "\"\n"));

        assertEquals(where() + "resources.memory must be a size of at least 64m, like 512m or 2g, not '" + size + "'",
                message);
    }

    @Test
    void cpus_are_counted_in_billionths() {
        assertEquals(1_500_000_000L, profile(MYSQL + "resources:\n  cpus: 1.5\n").resources().nanoCpus());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-2", "many"})
    void cpus_must_be_a_positive_number(String cpus) {
        assertEquals(where() + "resources.cpus must be a positive number like 1.5, not '" + cpus + "'",
                profileError(() -> profile(MYSQL + "resources:\n  cpus: \"" + cpus + "\"\n")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"root", "ROOT", "Root"})
    void user_root_is_refused(String user) {
        assertEquals(where() + "field 'user' must be 1 to 32 letters, digits or '_' and not root, not '" + user + "'",
                profileError(() -> profile(MYSQL + "user: " + user + "\n")));
    }

    @Test
    void database_must_be_an_identifier() {
        assertEquals(where() + "field 'database' must be 1 to 32 letters, digits or '_', not 'my-app'",
                profileError(() -> profile(MYSQL + "database: my-app\n")));
    }

    @Test
    void empty_password_is_refused() {
        assertEquals(where() + "field 'password' must be a non-empty single line; leave it out to generate one per "
                + "instance", profileError(() -> profile(MYSQL + "password: \"\"\n")));
    }

    @Test
    void a_mariadb_password_its_jdbc_driver_cannot_take_is_refused_naming_the_character() {
        String error = profileError(() -> profile("flavor: mariadb\nversion: \"10.11\"\npassword: \"shop&co\"\n"));
        assertEquals(where() + "field 'password' holds '&', which MariaDB Connector/J cannot take in a JDBC URL "
                + "(it splits parameters at '&' and decodes no %XX escapes); use a password without '&', or leave it "
                + "out to generate one per instance", error);
    }

    @Test
    void a_mysql_password_may_hold_an_ampersand() {
        assertEquals("shop&co", profile(MYSQL + "password: \"shop&co\"\n").password());
    }

    @Test
    void a_password_with_a_control_character_is_refused() {
        assertEquals(where() + "field 'password' holds the control character U+0009, which no URL can show; use "
                + "printable characters, or leave it out to generate one per instance",
                profileError(() -> profile(MYSQL + "password: \"a\\tb\"\n")));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 65536})
    void port_must_be_a_tcp_port(int port) {
        assertEquals(where() + "field 'port' must be between 1 and 65535, not " + port,
                profileError(() -> profile(MYSQL + "port: " + port + "\n")));
    }

    @Test
    void image_override_accepts_a_registry_with_a_port() {
        assertEquals("localhost:5000/acme/mysql", profile(MYSQL + "image: localhost:5000/acme/mysql\n").image());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql", "acme/mysql", "ghcr.io/acme/mysql", "localhost:5000/mysql", "reg.local/a_b"})
    void image_repository_without_a_tag_is_accepted(String image) {
        assertEquals(image, profile(MYSQL + "image: " + image + "\n").image());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql:8.4", "localhost:5000/mysql:8", "ghcr.io:443/acme/mysql:latest", "acme:x/mysql"})
    void image_repository_with_a_tag_is_refused(String image) {
        assertEquals(where() + "field 'image' is not a valid image repository: '" + image + "' (the tag goes in "
                + "'version')", profileError(() -> profile(MYSQL + "image: \"" + image + "\"\n")));
    }

    @Test
    void image_with_upper_case_is_refused() {
        assertEquals(where() + "field 'image' is not a valid image repository: 'Acme/MySQL' (the tag goes in "
                + "'version')", profileError(() -> profile(MYSQL + "image: Acme/MySQL\n")));
    }

    @Test
    void image_with_a_tag_is_refused() {
        String message = profileError(() -> profile(MYSQL + "image: ghcr.io/acme/mysql:8.4\n"));

        assertEquals(where() + "field 'image' is not a valid image repository: 'ghcr.io/acme/mysql:8.4' (the tag goes "
                + "in 'version')", message);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "flavor: \"my\\nsql\"\n",
        "flavor: mysql\nversion: \"8.4\\n9.0\"\n",
        "flavor: mysql\nversion: \"8.4\"\nimage: \"acme\\nmysql\"\n",
        "flavor: mysql\nversion: \"8.4\"\ndatabase: \"app\\nx\"\n",
        "flavor: mysql\nversion: \"8.4\"\nenv:\n  \"A\\nB\": x\n",
        "flavor: mysql\n\"data\\nbase\": app\n"
    })
    void rejected_values_with_line_breaks_are_echoed_on_one_line(String yaml) {
        profileError(() -> profile(yaml));
    }
}
