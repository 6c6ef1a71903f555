package dev.devdb.mysql;

import java.util.List;

/**
 * What one statement did on one server, as the server itself reported it.
 *
 * @param columns the result's columns (empty when the statement returned no rows)
 * @param rows the result's rows, each value as text ({@code null} for SQL NULL, {@code 0x...} for binary data)
 * @param affectedRows rows changed, as the server counts them (0 for a query)
 * @param warnings what {@code SHOW WARNINGS} listed after it
 * @param error the error it failed with, or null
 * @param plan the tables of its {@code EXPLAIN FORMAT=JSON} plan, or null when not asked or not explainable
 */
public record Outcome(List<Column> columns, List<List<String>> rows, long affectedRows, List<Condition> warnings,
        Condition error, List<PlanStep> plan) {

    /** A result column: its name and the type the server sent for it. */
    public record Column(String name, String type) {}

    /** A warning, note or error: level, code, SQLSTATE (errors only) and message. */
    public record Condition(String level, int code, String sqlState, String message) {}

    /**
     * One table of a plan.
     *
     * @param table the table (or alias) name
     * @param access the access type (ALL, ref, range, const, ...)
     * @param key the index used, or null
     * @param rows the rows the optimizer expects to examine per scan, or null
     */
    public record PlanStep(String table, String access, String key, Long rows) {}

    /** This outcome with a plan. */
    public Outcome withPlan(List<PlanStep> steps) {
        return new Outcome(columns, rows, affectedRows, warnings, error, steps);
    }

    /** The outcome of a statement that failed. */
    public static Outcome failed(Condition error) {
        return new Outcome(List.of(), List.of(), 0, List.of(), error, null);
    }
}
