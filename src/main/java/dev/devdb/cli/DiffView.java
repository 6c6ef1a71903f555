package dev.devdb.cli;

import dev.devdb.core.Diffs;
import dev.devdb.error.ControlCharacters;
import dev.devdb.schema.Change;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a diff looks: grouped and coloured on a terminal, one line per change piped, JSON, or SQL. */
final class DiffView {
    private static final int BAR = 30;

    private DiffView() {}

    static String since(Diffs.Result r) {
        return r.since().equals(Diffs.SINCE_UP) ? "up" : "snapshot " + r.since();
    }

    /** The JSON fields the README documents. */
    static Map<String, Object> json(Diffs.Result r, boolean withSql) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instance", r.instance().name());
        m.put("since", r.since());
        m.put("flavor", r.instance().flavor() == null ? null : r.instance().flavor().id());
        m.put("serverVersion", r.now().version());
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Change c : r.changes()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("change", c.kind().label());
            v.put("type", c.type());
            v.put("database", c.database());
            v.put("table", c.table());
            v.put("name", c.name());
            v.put("oldName", c.oldName());
            v.put("before", c.before());
            v.put("after", c.after());
            changes.add(v);
        }
        m.put("changes", changes);
        Map<String, Object> summary = new LinkedHashMap<>();
        counts(r.changes()).forEach((k, n) -> summary.put(k.label(), n));
        m.put("summary", summary);
        if (!r.rows().isEmpty()) {
            m.put("rows", rows(r));
        }
        if (withSql) {
            m.put("sql", r.sql());
        }
        return m;
    }

    private static List<Map<String, Object>> rows(Diffs.Result r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Diffs.RowCount c : r.rows()) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("database", c.database());
            v.put("table", c.table());
            v.put("before", c.before());
            v.put("after", c.after());
            rows.add(v);
        }
        return rows;
    }

    static String sqlScript(Diffs.Result r) {
        String header = "-- " + r.instance().name() + ": changes since " + since(r) + ", for "
                + r.instance().flavor().displayName() + " " + r.now().version() + "\n";
        return header + (r.changes().isEmpty() ? "-- no changes\n" : r.sql());
    }

    /** Piped: one tab-separated line per change, then with --data one per table counted. */
    static void lines(PrintWriter out, Diffs.Result r) {
        Table t = new Table("CHANGE", "TYPE", "DATABASE", "TABLE", "NAME", "OLD NAME", "BEFORE", "AFTER");
        for (Change c : r.changes()) {
            t.row(c.kind().label(), c.type(), c.database(), dash(c.table()), c.name(), dash(c.oldName()),
                    dash(c.before()), dash(c.after()));
        }
        for (Diffs.RowCount c : r.rows()) {
            t.row("rows", "table", c.database(), c.table(), c.table(), "-", count(c.before()), count(c.after()));
        }
        t.print(out, false, false);
    }

    /** On a terminal: a stat per group, a summary, then the details grouped. */
    static void terminal(PrintWriter out, Diffs.Result r, boolean color) {
        Map<String, List<Change>> groups = new LinkedHashMap<>();
        for (Change c : r.changes()) {
            groups.computeIfAbsent(c.group(), k -> new ArrayList<>()).add(c);
        }
        int width = groups.keySet().stream().mapToInt(g -> esc(g).length()).max().orElse(0);
        for (Map.Entry<String, List<Change>> g : groups.entrySet()) {
            StringBuilder bar = new StringBuilder();
            g.getValue().stream().limit(BAR).forEach(c -> bar.append(paint(String.valueOf(c.kind().sign()), c.kind(),
                    color)));
            out.println(" " + pad(esc(g.getKey()), width) + " | " + String.format("%3d", g.getValue().size()) + " "
                    + bar);
        }
        if (!groups.isEmpty()) {
            Map<Change.Kind, Integer> counts = counts(r.changes());
            List<String> parts = new ArrayList<>();
            counts.forEach((k, n) -> {
                if (n > 0) {
                    parts.add(n + " " + k.label() + "(" + k.sign() + ")");
                }
            });
            out.println(" " + r.changes().size() + (r.changes().size() == 1 ? " change" : " changes") + " in "
                    + groups.size() + (groups.size() == 1 ? " object" : " objects") + " since " + since(r) + ": "
                    + String.join(", ", parts));
        }
        for (Map.Entry<String, List<Change>> g : groups.entrySet()) {
            out.println();
            out.println(color ? "\u001b[1m" + esc(g.getKey()) + "\u001b[0m" : esc(g.getKey()));
            for (Change c : g.getValue()) {
                detail(out, c, color);
            }
        }
        if (!r.rows().isEmpty()) {
            out.println();
            Table t = new Table("TABLE", "ROWS BEFORE", "ROWS AFTER", "DIFFERENCE").alignRight(1, 2, 3);
            for (Diffs.RowCount c : r.rows()) {
                String delta = c.before() == null || c.after() == null ? "" : String.format("%+d", c.after() - c.before());
                t.row(c.database() + "." + c.table(), count(c.before()), count(c.after()), delta);
            }
            t.print(out, true, color);
        }
        out.flush();
    }

    private static void detail(PrintWriter out, Change c, boolean color) {
        String head = "  " + paint(c.kind().sign() + " " + c.type() + " " + esc(c.name()), c.kind(), color);
        boolean multiLine = (c.before() != null && c.before().contains("\n"))
                || (c.after() != null && c.after().contains("\n"));
        if (c.kind() == Change.Kind.RENAMED) {
            out.println(head + " (was " + esc(c.oldName()) + ")" + (c.before() != null && !c.before().equals(c.after())
                    && c.type().equals(Change.COLUMN) ? ": " + esc(c.after()) : ""));
        } else if (c.type().equals(Change.TABLE) || c.type().equals(Change.DATABASE) && c.kind() != Change.Kind.CHANGED) {
            out.println(head);
        } else if (multiLine) {
            out.println(head);
            String text = c.after() != null ? c.after() : c.before();
            text.lines().forEach(l -> out.println("      " + esc(l)));
        } else if (c.kind() == Change.Kind.CHANGED) {
            out.println(head + ": " + esc(c.before()));
            out.println("    " + " ".repeat(c.type().length() + c.name().length() + 1)
                    + paint("→ " + esc(c.after()), c.kind(), color));
        } else {
            out.println(head + ": " + esc(c.after() != null ? c.after() : c.before()));
        }
    }

    private static Map<Change.Kind, Integer> counts(List<Change> changes) {
        Map<Change.Kind, Integer> counts = new EnumMap<>(Change.Kind.class);
        for (Change.Kind k : Change.Kind.values()) {
            counts.put(k, 0);
        }
        changes.forEach(c -> counts.merge(c.kind(), 1, Integer::sum));
        return counts;
    }

    private static String paint(String text, Change.Kind kind, boolean color) {
        if (!color) {
            return text;
        }
        String code = switch (kind) {
            case ADDED -> "32";
            case DROPPED -> "31";
            case CHANGED -> "33";
            case RENAMED -> "36";
        };
        return "\u001b[" + code + "m" + text + "\u001b[0m";
    }

    private static String pad(String s, int width) {
        return s + " ".repeat(Math.max(0, width - s.length()));
    }

    private static String esc(String s) {
        return s == null ? "" : ControlCharacters.escape(s);
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static String count(Long n) {
        return n == null ? "-" : n.toString();
    }
}
