package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TableTest {

    private static String print(Table table, boolean terminal) {
        StringWriter out = new StringWriter();
        table.print(new PrintWriter(out), terminal, false);
        return out.toString().replace(System.lineSeparator(), "\n");
    }

    @Test
    void piped_rows_are_tab_separated_without_a_header() {
        Table table = new Table("NAME", "NOTE").row("a", "one\ttwo\nthree").row("b", null);

        assertEquals("a\tone two three\nb\t\n", print(table, false));
    }

    @Test
    void terminal_columns_stay_aligned_when_a_cell_has_a_tab_or_line_break() {
        Table table = new Table("NAME", "NOTE").row("a\tb", "x\r\ny").row("c", "z");

        assertEquals("NAME  NOTE\na b   x y\nc     z\n", print(table, true));
    }
}
