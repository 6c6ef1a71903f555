package dev.devdb.mysql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code EXPLAIN FORMAT=JSON} reduced to what compares across servers: per table, in plan order, the
 * access type, the key and the rows examined per scan. MySQL and MariaDB nest their plans differently
 * (nested_loop arrays, attached subqueries, MariaDB's {@code loops} and {@code rows} against MySQL's
 * {@code rows_examined_per_scan}); every object naming a {@code table_name} is one table, wherever it is.
 * MySQL 9's default JSON format (version 2: {@code index_name}, {@code estimated_rows}) is read too, but
 * sessions ask for version 1, whose access types are MariaDB's.
 */
public final class Plans {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Statements that read tables, whose plans EXPLAIN shows on both servers. */
    private static final Pattern READS = Pattern.compile("^[\\s(]*(SELECT|WITH|TABLE|UPDATE|DELETE)\\b",
            Pattern.CASE_INSENSITIVE);
    /** INSERT and REPLACE read tables only with a SELECT (or TABLE) in them. */
    private static final Pattern WRITES_READ = Pattern.compile("^\\s*(INSERT|REPLACE)\\b.*\\b(SELECT|TABLE)\\b",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private Plans() {}

    /** Whether the statement reads tables, so that its plan is worth comparing. */
    public static boolean explainable(String sql) {
        return READS.matcher(sql).find() || WRITES_READ.matcher(sql).find();
    }

    /** The tables of a plan in EXPLAIN FORMAT=JSON; an empty list when it uses none. */
    public static List<Outcome.PlanStep> reduce(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("EXPLAIN did not return JSON: " + e.getOriginalMessage(), e);
        }
        List<Outcome.PlanStep> steps = new ArrayList<>();
        collect(root, steps);
        return steps;
    }

    private static void collect(JsonNode node, List<Outcome.PlanStep> steps) {
        if (node.isObject()) {
            JsonNode table = node.get("table_name");
            if (table != null && table.isTextual()) {
                String key = text(node, "key");
                steps.add(new Outcome.PlanStep(table.asText(), text(node, "access_type"),
                        key != null ? key : text(node, "index_name"), rows(node)));
            }
            for (Map.Entry<String, JsonNode> e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                collect(e.getValue(), steps);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                collect(child, steps);
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Long rows(JsonNode node) {
        for (String field : List.of("rows_examined_per_scan", "rows", "estimated_rows")) {
            JsonNode v = node.get(field);
            if (v != null && v.isNumber()) {
                return v.asLong();
            }
        }
        return null;
    }

    /** A plan step as one line of text: {@code t: ref on idx_a, 3 rows}. */
    public static String describe(Outcome.PlanStep s) {
        StringBuilder b = new StringBuilder(s.table());
        if (s.access() != null) {
            b.append(": ").append(s.access().toLowerCase(Locale.ROOT).equals("all") ? "ALL" : s.access());
        }
        if (s.key() != null) {
            b.append(" on ").append(s.key());
        }
        if (s.rows() != null) {
            b.append(", ").append(s.rows()).append(s.rows() == 1 ? " row" : " rows");
        }
        return b.toString();
    }
}
