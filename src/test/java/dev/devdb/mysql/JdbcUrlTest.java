package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JdbcUrlTest {

    @Test
    void mysql_url_percent_encodes_every_character_its_driver_would_misread() {
        assertEquals("jdbc:mysql://127.0.0.1:3306/shop?user=shop&password=a%26b%3Dc%25d%2Be%20f%3F%23%2F%5C%27%22"
                + "%C3%BC%F0%9F%98%80&allowPublicKeyRetrieval=true&sslMode=DISABLED",
                JdbcUrl.of(Flavor.MYSQL, "127.0.0.1", 3306, "shop", "shop", "a&b=c%d+e f?#/\\'\"ü😀"));
    }

    @Test
    void mariadb_url_turns_tls_off_as_connector_j_4_needs_for_a_server_without_it() {
        assertTrue(JdbcUrl.of(Flavor.MARIADB, "127.0.0.1", 3306, "app", "app", "x").endsWith("&sslMode=disable"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"shop!", "50%", "%21", "a+b", "sp ace", "q'\"", "back\\slash", "ünï€😀", "a=b",
        "a?b/c#d", "a;b", " lead", "address=x", "(x)"})
    void mariadb_url_carries_these_passwords_verbatim(String password) {
        assertNull(JdbcUrl.passwordProblem(Flavor.MARIADB, password));
        assertEquals("jdbc:mariadb://127.0.0.1:3306/app?user=app&password=" + password + "&sslMode=disable",
                JdbcUrl.of(Flavor.MARIADB, "127.0.0.1", 3306, "app", "app", password));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a&b", "address=(x)"})
    void mysql_takes_any_printable_password(String password) {
        assertNull(JdbcUrl.passwordProblem(Flavor.MYSQL, password));
    }

    @Test
    void mariadb_refuses_an_ampersand_naming_it() {
        assertEquals("holds '&', which MariaDB Connector/J cannot take in a JDBC URL (it splits parameters at '&' "
                + "and decodes no %XX escapes); use a password without '&'",
                JdbcUrl.passwordProblem(Flavor.MARIADB, "shop&co"));
    }

    @Test
    void mariadb_refuses_what_its_driver_reads_as_a_host_address() {
        assertTrue(JdbcUrl.passwordProblem(Flavor.MARIADB, "xaddress=(y)").startsWith("holds 'address=('"));
    }

    @Test
    void control_characters_are_refused_for_both_flavours_by_code_point() {
        for (Flavor f : Flavor.values()) {
            assertEquals("holds the control character U+0009, which no URL can show; use printable characters",
                    JdbcUrl.passwordProblem(f, "a\tb"));
            assertTrue(JdbcUrl.passwordProblem(f, "a\u007fb").contains("U+007F"));
        }
    }

    @Test
    void an_ipv6_host_is_written_in_brackets() {
        assertEquals("[2001:db8::5]:3306", JdbcUrl.hostPort("2001:db8::5", 3306));
        assertEquals("127.0.0.1:3306", JdbcUrl.hostPort("127.0.0.1", 3306));
        assertEquals("jdbc:mariadb://[2001:db8::5]:3306/app?user=app&password=pw&sslMode=disable",
                JdbcUrl.of(Flavor.MARIADB, "2001:db8::5", 3306, "app", "app", "pw"));
        assertTrue(JdbcUrl.of(Flavor.MYSQL, "::1", 3306, "app", "app", "pw").startsWith("jdbc:mysql://[::1]:3306/app?"));
    }
}
