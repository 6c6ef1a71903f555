package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.devdb.mysql.SqlScript.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {

    @Test
    void splits_at_semicolons_and_numbers_lines() {
        assertEquals(List.of(new Statement(1, "SELECT 1"), new Statement(2, "SELECT 2"), new Statement(4, "SELECT\n3")),
                SqlScript.split("SELECT 1;\nSELECT 2;\n\nSELECT\n3;\n"));
    }

    @Test
    void a_last_statement_needs_no_delimiter() {
        assertEquals(List.of(new Statement(1, "SELECT 1"), new Statement(1, "SELECT 2")),
                SqlScript.split("SELECT 1; SELECT 2"));
    }

    @Test
    void delimiters_inside_quotes_do_not_split() {
        assertEquals(List.of(new Statement(1, "SELECT 'a;b', \"c;d\", `e;f`"), new Statement(1, "SELECT 'it''s;'")),
                SqlScript.split("SELECT 'a;b', \"c;d\", `e;f`; SELECT 'it''s;';"));
    }

    @Test
    void backslashes_escape_in_strings_but_not_in_identifiers() {
        assertEquals(List.of(new Statement(1, "SELECT 'a\\';b'"), new Statement(1, "SELECT `x\\`")),
                SqlScript.split("SELECT 'a\\';b'; SELECT `x\\`;"));
    }

    @Test
    void plain_comments_are_dropped_and_hide_delimiters() {
        List<Statement> s = SqlScript.split("-- first; not a statement\n# second;\nSELECT 1 /* a; b */ + 1;\n"
                + "/* only a comment; */\nSELECT 2 -- trailing;\n;");
        assertEquals(List.of(new Statement(3, "SELECT 1   + 1"), new Statement(5, "SELECT 2")), s);
    }

    @Test
    void two_dashes_without_a_space_are_an_operator() {
        assertEquals(List.of(new Statement(1, "SELECT 1--1")), SqlScript.split("SELECT 1--1;"));
    }

    @Test
    void executable_comments_and_hints_stay() {
        assertEquals(List.of(new Statement(1, "SELECT /*+ NO_ICP(t) */ 1"), new Statement(2, "/*!80000 SET @a = 1 */")),
                SqlScript.split("SELECT /*+ NO_ICP(t) */ 1;\n/*!80000 SET @a = 1 */;"));
    }

    @Test
    void delimiter_lines_change_the_delimiter_for_bodies_with_semicolons() {
        String script = """
                DELIMITER //
                CREATE PROCEDURE p()
                BEGIN
                  SELECT 1;
                  SELECT 2;
                END//
                delimiter ;
                CALL p();
                """;
        assertEquals(List.of(new Statement(2, "CREATE PROCEDURE p()\nBEGIN\n  SELECT 1;\n  SELECT 2;\nEND"),
                new Statement(8, "CALL p()")), SqlScript.split(script));
    }

    @Test
    void a_word_delimiter_and_backslash_g_end_statements() {
        assertEquals(List.of(new Statement(2, "SELECT 1"), new Statement(3, "SELECT 2"), new Statement(4, "SELECT 3")),
                SqlScript.split("DELIMITER $$\nSELECT 1$$\nSELECT 2\\G\nSELECT 3\\g\n"));
    }

    @Test
    void delimiter_inside_a_statement_line_is_text() {
        assertEquals(List.of(new Statement(1, "SELECT 'DELIMITER //'")), SqlScript.split("SELECT 'DELIMITER //';"));
        assertEquals(List.of(new Statement(1, "SELECT 1 AS delimiter")), SqlScript.split("SELECT 1 AS delimiter;"));
    }

    @Test
    void an_unclosed_quote_runs_to_the_end() {
        assertEquals(List.of(new Statement(1, "SELECT 'a;\nb")), SqlScript.split("SELECT 'a;\nb"));
    }

    @Test
    void a_delimiter_line_without_a_delimiter_is_refused_with_its_line() {
        SqlScript.ScriptException e = assertThrows(SqlScript.ScriptException.class,
                () -> SqlScript.split("SELECT 1;\nDELIMITER\n"));
        assertEquals(2, e.line());
    }

    @Test
    void crlf_lines_split_too() {
        assertEquals(List.of(new Statement(1, "SELECT 1"), new Statement(2, "SELECT 2")),
                SqlScript.split("SELECT 1;\r\nSELECT 2;\r\n"));
    }
}
