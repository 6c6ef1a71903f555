package dev.devdb.cli;

import dev.devdb.core.TryReport;
import dev.devdb.error.ControlCharacters;
import dev.devdb.mysql.Outcome;
import dev.devdb.mysql.Plans;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders what {@code devdb try} found: one line for the statements that behaved the same everywhere,
 * and each one that did not side by side, one column per server, one row per aspect that differs.
 * On a terminal the columns are aligned and coloured; piped, the cells are tab-separated and plain.
 */
final class TryView {
    /** Rows of a result shown per server before the rest is counted. */
    static final int MAX_ROWS = 10;
    /** How much of a statement's text a terminal shows in its heading. */
    private static final int SQL_WIDTH = 100;
    /** How wide a cell grows on a terminal before its text wraps (at spaces). */
    static final int CELL_WIDTH = 60;
    private static final String BOLD = "\u001b[1m";
    private static final String YELLOW = "\u001b[33m";
    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String RESET = "\u001b[0m";

    private TryView() {}

    static void print(PrintWriter out, TryReport report, boolean terminal, boolean color) {
        List<TryReport.Result> same = report.statements().stream().filter(TryReport.Result::same).toList();
        List<TryReport.Result> different = report.statements().stream().filter(r -> !r.same()).toList();
        String servers = String.join(", ", report.servers().stream()
                .map(s -> s.profile() + " (" + s.flavor() + " " + shortVersion(s.version()) + ")").toList());
        int total = report.statements().size();
        if (!same.isEmpty()) {
            out.println((same.size() == total ? "All " + total : same.size() + " of " + total) + " statement"
                    + (total == 1 ? "" : "s") + " behave the same on " + servers + ": " + locations(same));
        }
        for (TryReport.Result r : different) {
            out.println();
            printDifference(out, report, r, terminal, color);
        }
        if (!different.isEmpty()) {
            out.println();
            String line = different.size() + " of " + total + " statement" + (total == 1 ? "" : "s") + " behave"
                    + (different.size() == 1 ? "s" : "") + " differently on " + servers + ".";
            out.println(color ? RED + line + RESET : line);
        } else if (color) {
            out.println(GREEN + "No differences." + RESET);
        }
        out.flush();
    }

    /** The version without the distribution's suffixes: 9.7.4, 11.8.9. */
    static String shortVersion(String version) {
        int end = 0;
        while (end < version.length() && (Character.isDigit(version.charAt(end)) || version.charAt(end) == '.')) {
            end++;
        }
        return end == 0 ? version : version.substring(0, end);
    }

    /** Where statements are: {@code a.sql lines 1, 4, 9; b.sql line 2}. */
    static String locations(List<TryReport.Result> results) {
        Map<String, List<String>> bySource = new LinkedHashMap<>();
        for (TryReport.Result r : results) {
            bySource.computeIfAbsent(r.source(), k -> new ArrayList<>()).add(Integer.toString(r.line()));
        }
        List<String> parts = new ArrayList<>();
        bySource.forEach((source, lines) -> parts.add(ControlCharacters.escape(source) + " line"
                + (lines.size() == 1 ? " " : "s ") + String.join(", ", lines)));
        return String.join("; ", parts);
    }

    private static void printDifference(PrintWriter out, TryReport report, TryReport.Result r, boolean terminal,
            boolean color) {
        String sql = ControlCharacters.escape(r.sql().replaceAll("\\s+", " ").strip());
        if (terminal && sql.length() > SQL_WIDTH) {
            sql = sql.substring(0, SQL_WIDTH - 3) + "...";
        }
        String heading = ControlCharacters.escape(r.source()) + ":" + r.line() + "  " + sql;
        out.println(color ? BOLD + heading + RESET : heading);
        List<List<String>> grid = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of(""));
        report.servers().forEach(s -> header.add(s.profile()));
        grid.add(header);
        List<Integer> aspectRows = new ArrayList<>();
        for (String aspect : r.differences()) {
            List<List<String>> cells = r.outcomes().stream().map(o -> cell(aspect, o))
                    .map(lines -> terminal ? wrap(lines, CELL_WIDTH) : lines).toList();
            int height = cells.stream().mapToInt(List::size).max().orElse(1);
            for (int line = 0; line < height; line++) {
                List<String> row = new ArrayList<>();
                row.add(line == 0 ? aspect : "");
                for (List<String> c : cells) {
                    row.add(line < c.size() ? ControlCharacters.escape(c.get(line)) : "");
                }
                if (line == 0) {
                    aspectRows.add(grid.size());
                }
                grid.add(row);
            }
        }
        if (!terminal) {
            for (List<String> row : grid) {
                out.println(String.join("\t", row));
            }
            return;
        }
        int[] widths = new int[header.size()];
        for (List<String> row : grid) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        for (int k = 0; k < grid.size(); k++) {
            List<String> row = grid.get(k);
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < row.size(); i++) {
                String cell = row.get(i);
                String pad = i < row.size() - 1 ? " ".repeat(widths[i] - cell.length() + 2) : "";
                if (color && k == 0 && i > 0) {
                    line.append(BOLD).append(cell).append(RESET);
                } else if (color && i == 0 && aspectRows.contains(k)) {
                    line.append(YELLOW).append(cell).append(RESET);
                } else {
                    line.append(cell);
                }
                line.append(pad);
            }
            out.println(line.toString().stripTrailing());
        }
    }

    /** The lines, each wrapped at spaces to at most {@code width} characters (longer words are cut). */
    static List<String> wrap(List<String> lines, int width) {
        List<String> wrapped = new ArrayList<>();
        for (String line : lines) {
            String rest = line;
            while (rest.length() > width) {
                int cut = rest.lastIndexOf(' ', width);
                if (cut <= 0) {
                    cut = width;
                }
                wrapped.add(rest.substring(0, cut));
                rest = rest.substring(cut).stripLeading();
            }
            wrapped.add(rest);
        }
        return wrapped;
    }

    /** One server's side of an aspect, as lines. */
    static List<String> cell(String aspect, Outcome o) {
        return switch (aspect) {
            case "error" -> List.of(o.error() == null ? "-" : "ERROR " + o.error().code()
                    + (o.error().sqlState() == null ? "" : " (" + o.error().sqlState() + ")") + ": " + o.error().message());
            case "columns" -> List.of(joined(o.columns(), Outcome.Column::name));
            case "types" -> List.of(joined(o.columns(), Outcome.Column::type));
            case "rows" -> rows(o);
            case "affected rows" -> List.of(Long.toString(o.affectedRows()));
            case "warnings" -> o.warnings().isEmpty() ? List.of("-") : o.warnings().stream()
                    .map(w -> w.level() + " " + w.code() + ": " + w.message()).toList();
            case "plan" -> o.plan() == null ? List.of("-") : o.plan().isEmpty() ? List.of("no tables")
                    : o.plan().stream().map(Plans::describe).toList();
            default -> List.of("");
        };
    }

    private static <T> String joined(List<T> items, Function<T, String> f) {
        return items.isEmpty() ? "-" : String.join(", ", items.stream().map(f).toList());
    }

    private static List<String> rows(Outcome o) {
        if (o.error() != null) {
            return List.of("-");
        }
        if (o.rows().isEmpty()) {
            return List.of(o.columns().isEmpty() ? "-" : "(no rows)");
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : o.rows().subList(0, Math.min(MAX_ROWS, o.rows().size()))) {
            lines.add(String.join(" | ", row.stream().map(v -> v == null ? "NULL" : v).toList()));
        }
        if (o.rows().size() > MAX_ROWS) {
            lines.add("... " + (o.rows().size() - MAX_ROWS) + " more rows");
        }
        return lines;
    }

    /** The report for scripts; field names are documented in the README. */
    static Map<String, Object> json(TryReport report) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("servers", report.servers().stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("profile", s.profile());
            m.put("instance", s.instance());
            m.put("flavor", s.flavor());
            m.put("version", s.version());
            return m;
        }).toList());
        root.put("same", report.statements().stream().filter(TryReport.Result::same).count());
        root.put("different", report.statements().stream().filter(r -> !r.same()).count());
        List<Map<String, Object>> statements = new ArrayList<>();
        for (TryReport.Result r : report.statements()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("source", r.source());
            m.put("line", r.line());
            m.put("sql", r.sql());
            m.put("same", r.same());
            m.put("differences", r.differences());
            List<Map<String, Object>> outcomes = new ArrayList<>();
            for (int i = 0; i < r.outcomes().size(); i++) {
                outcomes.add(outcome(report.servers().get(i).profile(), r.outcomes().get(i)));
            }
            m.put("outcomes", outcomes);
            statements.add(m);
        }
        root.put("statements", statements);
        return root;
    }

    private static Map<String, Object> outcome(String profile, Outcome o) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("profile", profile);
        if (o.error() == null) {
            m.put("error", null);
        } else {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("code", o.error().code());
            e.put("sqlstate", o.error().sqlState());
            e.put("message", o.error().message());
            m.put("error", e);
        }
        m.put("columns", o.columns().stream().map(c -> {
            Map<String, Object> col = new LinkedHashMap<>();
            col.put("name", c.name());
            col.put("type", c.type());
            return col;
        }).toList());
        m.put("rows", o.rows());
        m.put("affected_rows", o.affectedRows());
        m.put("warnings", o.warnings().stream().map(w -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("level", w.level());
            c.put("code", w.code());
            c.put("message", w.message());
            return c;
        }).toList());
        m.put("plan", o.plan() == null ? null : o.plan().stream().map(s -> {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("table", s.table());
            step.put("access", s.access());
            step.put("key", s.key());
            step.put("rows", s.rows());
            return step;
        }).toList());
        return m;
    }
}
