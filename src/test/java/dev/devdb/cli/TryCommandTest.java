package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.core.TryReport;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Outcome;
import dev.devdb.mysql.Outcome.Column;
import dev.devdb.mysql.Outcome.Condition;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bad input to `devdb try` (one line, a documented code, nothing created) and how its report reads. */
@Timeout(60)
class TryCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mariadb:11.8");

    private TestCli.Run refused(int code, String... args) {
        TestCli.Run run = cli.run(args).exits(code);
        assertEquals(1, run.errLines().stream().filter(l -> l.startsWith("devdb: ")).count(), run::describe);
        assertEquals(List.of(), cli.engine.calls("create"), run::describe);
        return run;
    }

    @Test
    void without_on_it_is_a_usage_error() {
        TestCli.Run run = refused(ExitCodes.USAGE, "try", "-e", "SELECT 1");
        assertTrue(run.err().contains("--on"), run::describe);
    }

    @Test
    void an_unknown_profile_is_a_profile_error() {
        TestCli.Run run = refused(ExitCodes.PROFILE, "try", "-e", "SELECT 1", "--on", "mysql9,nosuch");
        assertTrue(run.errLines().get(0).contains("nosuch"), run::describe);
    }

    @Test
    void one_profile_or_the_same_twice_is_nothing_to_compare() {
        assertEquals(List.of("devdb: name at least two profiles to compare with --on, e.g. --on mysql9,mariadb11"),
                refused(ExitCodes.USAGE, "try", "-e", "SELECT 1", "--on", "mysql9").errLines());
        assertEquals(List.of("devdb: profile mysql9 is named twice in --on"),
                refused(ExitCodes.USAGE, "try", "-e", "SELECT 1", "--on", "mysql9,mysql9").errLines());
    }

    @Test
    void a_missing_file_an_empty_directory_and_no_sql_at_all_are_usage_errors() throws IOException {
        assertEquals(List.of("devdb: nope.sql does not exist; name a .sql file, a directory of them, or give the SQL"
                + " with -e"), refused(ExitCodes.USAGE, "try", "nope.sql", "--on", "mysql9,mariadb11").errLines());
        Files.createDirectories(cli.cwd.resolve("empty"));
        assertEquals(List.of("devdb: directory empty has no .sql file"),
                refused(ExitCodes.USAGE, "try", "empty", "--on", "mysql9,mariadb11").errLines());
        assertEquals(List.of("devdb: give the SQL to try: a FILE, a DIR of .sql files, or -e SQL"),
                refused(ExitCodes.USAGE, "try", "--on", "mysql9,mariadb11").errLines());
        Files.writeString(cli.cwd.resolve("c.sql"), "-- nothing here\n/* nor here */\n");
        assertEquals(List.of("devdb: no statements to try: the input holds only comments or blanks"),
                refused(ExitCodes.USAGE, "try", "c.sql", "--on", "mysql9,mariadb11").errLines());
    }

    @Test
    void a_file_that_is_not_text_or_has_a_bad_delimiter_line_is_named() throws IOException {
        Files.write(cli.cwd.resolve("bin.sql"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertEquals(List.of("devdb: cannot read bin.sql in bin.sql: it is not UTF-8 text"),
                refused(ExitCodes.USAGE, "try", "bin.sql", "--on", "mysql9,mariadb11").errLines());
        Files.writeString(cli.cwd.resolve("d.sql"), "SELECT 1;\nDELIMITER\n");
        assertEquals(List.of("devdb: d.sql:2: DELIMITER needs a delimiter (any characters but a backslash) on the"
                + " same line"), refused(ExitCodes.USAGE, "try", "d.sql", "--on", "mysql9,mariadb11").errLines());
    }

    private static final TryReport REPORT = new TryReport(
            List.of(new TryReport.Server("mysql9", "try-mysql9-a", "MySQL", "9.7.4-2"),
                    new TryReport.Server("mariadb11", "try-mariadb11-b", "MariaDB", "11.8.9-MariaDB-0+deb13u1")),
            List.of(new TryReport.Result("q.sql", 1, "SELECT 1", List.of(), List.of()),
                    new TryReport.Result("q.sql", 3, "SELECT 1 AS rank", List.of(
                            Outcome.failed(new Condition("Error", 1064, "42000", "syntax near 'rank'")),
                            new Outcome(List.of(new Column("rank", "INT")), List.of(List.of("1")), 0, List.of(), null,
                                    null)), List.of("error", "columns", "types", "rows"))));

    @Test
    void piped_the_report_is_plain_with_tab_separated_cells() {
        StringWriter out = new StringWriter();
        TryView.print(new PrintWriter(out), REPORT, false, false);
        assertEquals("""
                1 of 2 statements behave the same on mysql9 (MySQL 9.7.4), mariadb11 (MariaDB 11.8.9): q.sql line 1

                q.sql:3  SELECT 1 AS rank
                \tmysql9\tmariadb11
                error\tERROR 1064 (42000): syntax near 'rank'\t-
                columns\t-\trank
                types\t-\tINT
                rows\t-\t1

                1 of 2 statements behaves differently on mysql9 (MySQL 9.7.4), mariadb11 (MariaDB 11.8.9).
                """, out.toString());
    }

    @Test
    void on_a_terminal_the_sides_are_aligned() {
        StringWriter out = new StringWriter();
        TryView.print(new PrintWriter(out), REPORT, true, false);
        List<String> lines = out.toString().lines().toList();
        assertEquals("q.sql:3  SELECT 1 AS rank", lines.get(2));
        int first = lines.get(3).indexOf("mysql9");
        int second = lines.get(3).indexOf("mariadb11");
        assertEquals("  error    ERROR 1064 (42000): syntax near 'rank'  -", lines.get(4));
        assertEquals(first, lines.get(4).indexOf("ERROR"));
        assertEquals(second, lines.get(4).lastIndexOf("-"));
        assertEquals(second, lines.get(5).indexOf("rank"));
        assertEquals(second, lines.get(6).indexOf("INT"));
    }

    @Test
    void long_cells_wrap_at_spaces_on_a_terminal() {
        assertEquals(List.of("aaa bbb", "ccc ddd"), TryView.wrap(List.of("aaa bbb ccc ddd"), 7));
        assertEquals(List.of("abcd", "efgh", "ij"), TryView.wrap(List.of("abcdefghij"), 4));
        assertEquals(List.of("short", "x"), TryView.wrap(List.of("short", "x"), 10));
    }

    @Test
    void json_has_stable_field_names() {
        Map<String, Object> json = TryView.json(REPORT);
        assertEquals(List.of("servers", "same", "different", "statements"), List.copyOf(json.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> second = ((List<Map<String, Object>>) json.get("statements")).get(1);
        assertEquals(List.of("source", "line", "sql", "same", "differences", "outcomes"), List.copyOf(second.keySet()));
        @SuppressWarnings("unchecked")
        Map<String, Object> failed = ((List<Map<String, Object>>) second.get("outcomes")).get(0);
        assertEquals(List.of("profile", "error", "columns", "rows", "affected_rows", "warnings", "plan"),
                List.copyOf(failed.keySet()));
        assertEquals(Map.of("code", 1064, "sqlstate", "42000", "message", "syntax near 'rank'"), failed.get("error"));
    }
}
