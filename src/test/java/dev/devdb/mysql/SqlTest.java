package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SqlTest {
    private static final List<String> TRICKY = List.of("plain", "O'Brien", "back\\slash", "ends with \\",
            "\\' OR 1=1 -- ", "''", "two\nlines\r", "nul\0byte", "$(id) `id` \"x\" & ; %_", "unicodé ✓");

    @Test
    void literals_double_quotes_and_escape_backslashes() {
        assertEquals("'O''Brien'", Sql.literal("O'Brien"));
        assertEquals("'a\\\\'' OR 1'", Sql.literal("a\\' OR 1"));
        assertEquals("'ends\\\\'", Sql.literal("ends\\"));
        assertEquals("''", Sql.literal(""));
    }

    @Test
    void literals_stay_on_one_line_and_hold_no_raw_nul() {
        assertEquals("'a\\nb\\rc\\0d'", Sql.literal("a\nb\rc\0d"));
    }

    @Test
    void a_literal_read_with_backslash_escapes_gives_back_the_value() {
        for (String s : TRICKY) {
            assertEquals(s, read(Sql.literal(s)), s);
        }
    }

    @Test
    void the_session_statement_removes_only_no_backslash_escapes() {
        assertTrue(Sql.BACKSLASH_ESCAPES.startsWith("SET SESSION sql_mode = "), Sql.BACKSLASH_ESCAPES);
        assertTrue(Sql.BACKSLASH_ESCAPES.contains("',NO_BACKSLASH_ESCAPES,'"), Sql.BACKSLASH_ESCAPES);
    }

    @Test
    void the_start_script_quotes_and_sets_the_mode_as_devdb_does() throws Exception {
        String script = new String(StartScript.text(), StandardCharsets.UTF_8);
        Matcher mode = Pattern.compile("(?m)^BACKSLASH_ESCAPES=\"(.*)\"$").matcher(script);
        assertTrue(mode.find(), "BACKSLASH_ESCAPES is not set in the start script");
        assertEquals(Sql.BACKSLASH_ESCAPES, mode.group(1));

        Matcher function = Pattern.compile("(?ms)^sql_string\\(\\) \\{\\n.*?^\\}\\n").matcher(script);
        assertTrue(function.find(), "sql_string is not in the start script");
        for (String s : TRICKY) {
            if (s.indexOf('\0') >= 0) {
                continue; // no shell variable holds a NUL
            }
            assertEquals(Sql.literal(s), bash(function.group() + "sql_string \"$1\"", s), s);
        }
    }

    /** Reads a single-quoted literal the way the server does when backslashes escape. */
    private static String read(String literal) {
        assertTrue(literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'"), literal);
        StringBuilder b = new StringBuilder();
        for (int i = 1; i < literal.length() - 1; i++) {
            char c = literal.charAt(i);
            if (c == '\\') {
                char n = literal.charAt(++i);
                b.append(switch (n) {
                    case 'n' -> '\n';
                    case 'r' -> '\r';
                    case '0' -> '\0';
                    default -> n;
                });
            } else if (c == '\'') {
                assertEquals('\'', literal.charAt(++i), "a lone quote ends the literal early: " + literal);
                b.append('\'');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static String bash(String script, String arg) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "-c", script, "bash", arg));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
