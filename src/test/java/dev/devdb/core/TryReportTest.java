package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devdb.mysql.Outcome;
import dev.devdb.mysql.Outcome.Column;
import dev.devdb.mysql.Outcome.Condition;
import dev.devdb.mysql.Outcome.PlanStep;
import java.util.List;
import org.junit.jupiter.api.Test;

class TryReportTest {
    private static Outcome rows(List<Column> columns, List<List<String>> rows) {
        return new Outcome(columns, rows, 0, List.of(), null, null);
    }

    private static final List<Column> AB = List.of(new Column("a", "INT"), new Column("b", "VARCHAR"));

    @Test
    void equal_outcomes_do_not_differ() {
        Outcome o = rows(AB, List.of(List.of("1", "x")));
        assertEquals(List.of(), TryReport.differences("SELECT a, b FROM t", List.of(o, o, o)));
    }

    @Test
    void each_aspect_that_differs_is_named_once_in_a_fixed_order() {
        Outcome one = new Outcome(AB, List.of(List.of("1", "x")), 0,
                List.of(new Condition("Warning", 1292, null, "Truncated")), null, List.of(new PlanStep("t", "ALL", null, 3L)));
        Outcome two = new Outcome(List.of(new Column("a", "BIGINT"), new Column("b", "VARCHAR")),
                List.of(List.of("1", "y")), 0, List.of(), null, List.of(new PlanStep("t", "ref", "k", 1L)));
        assertEquals(List.of("types", "rows", "warnings", "plan"),
                TryReport.differences("SELECT a, b FROM t", List.of(one, one, two)));
    }

    @Test
    void an_error_on_one_server_differs_in_error_and_in_what_the_other_returned() {
        Outcome ok = rows(AB, List.of(List.of("1", "x")));
        Outcome failed = Outcome.failed(new Condition("Error", 1064, "42000", "syntax"));
        assertEquals(List.of("error", "columns", "types", "rows"), TryReport.differences("SELECT 1", List.of(ok, failed)));
    }

    @Test
    void the_same_error_with_another_message_differs() {
        Outcome a = Outcome.failed(new Condition("Error", 1146, "42S02", "Table 'app.x' doesn't exist"));
        Outcome b = Outcome.failed(new Condition("Error", 1146, "42S02", "Table 'app.X' doesn't exist"));
        assertEquals(List.of("error"), TryReport.differences("SELECT * FROM x", List.of(a, b)));
    }

    @Test
    void row_order_matters_only_with_order_by() {
        Outcome ab = rows(AB, List.of(List.of("1", "x"), List.of("2", "y")));
        Outcome ba = rows(AB, List.of(List.of("2", "y"), List.of("1", "x")));
        assertEquals(List.of(), TryReport.differences("SELECT a, b FROM t", List.of(ab, ba)));
        assertEquals(List.of("rows"), TryReport.differences("SELECT a, b FROM t order\n by a", List.of(ab, ba)));
    }

    @Test
    void nulls_sort_and_compare_apart_from_the_text_null() {
        Outcome sqlNull = rows(AB, java.util.Arrays.asList(java.util.Arrays.asList(null, "x"), List.of("1", "y")));
        Outcome text = rows(AB, List.of(List.of("NULL", "x"), List.of("1", "y")));
        assertEquals(List.of("rows"), TryReport.differences("SELECT a, b FROM t", List.of(sqlNull, text)));
    }

    @Test
    void affected_rows_differ_for_the_same_write() {
        Outcome two = new Outcome(List.of(), List.of(), 2, List.of(), null, null);
        Outcome one = new Outcome(List.of(), List.of(), 1, List.of(), null, null);
        assertEquals(List.of("affected rows"), TryReport.differences("UPDATE t SET a = 1", List.of(two, one)));
    }

    @Test
    void a_report_is_all_same_only_when_every_statement_is() {
        Outcome o = rows(AB, List.of());
        TryReport.Result same = new TryReport.Result("-e", 1, "SELECT 1", List.of(o, o), List.of());
        TryReport.Result differs = new TryReport.Result("-e", 1, "SELECT 2", List.of(o, o), List.of("rows"));
        assertEquals(true, new TryReport(List.of(), List.of(same, same)).allSame());
        assertEquals(false, new TryReport(List.of(), List.of(same, differs)).allSame());
    }
}
