package dev.devdb.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiPredicate;

/**
 * The differences between an old and a new schema. A table or column is a rename when the evidence is
 * clear: one gone and one new with the same definition, and no other candidate on either side;
 * otherwise it is a drop and an add.
 */
public final class SchemaDiff {
    private SchemaDiff() {}

    /** The changes from {@code old} to {@code now}, grouped by database and table. */
    public static List<Change> compare(Schema old, Schema now) {
        List<Change> changes = new ArrayList<>();
        Set<String> names = new TreeSet<>(old.databases().keySet());
        names.addAll(now.databases().keySet());
        for (String name : names) {
            Database a = old.databases().get(name);
            Database b = now.databases().get(name);
            if (a == null) {
                changes.add(new Change(Change.Kind.ADDED, Change.DATABASE, name, null, name, null, null,
                        charset(b)));
                compareDatabase(empty(b), b, changes);
            } else if (b == null) {
                changes.add(new Change(Change.Kind.DROPPED, Change.DATABASE, name, null, name, null, charset(a),
                        null));
                compareDatabase(a, empty(a), changes);
            } else {
                if (!charset(a).equals(charset(b))) {
                    changes.add(new Change(Change.Kind.CHANGED, Change.DATABASE, name, null, name, null, charset(a),
                            charset(b)));
                }
                compareDatabase(a, b, changes);
            }
        }
        return changes;
    }

    private static Database empty(Database like) {
        return new Database(like.name(), like.charset(), like.collation(), Map.of(), Map.of());
    }

    private static String charset(Database d) {
        return "CHARACTER SET " + d.charset() + " COLLATE " + d.collation();
    }

    private static void compareDatabase(Database a, Database b, List<Change> out) {
        String db = a.name();
        Map<String, String> renames = renames(a.tables(), b.tables(), Table::sameAs);
        Set<String> tables = new TreeSet<>(a.tables().keySet());
        tables.addAll(b.tables().keySet());
        for (String t : tables) {
            Table before = a.tables().get(t);
            Table after = b.tables().get(t);
            if (before != null && after != null) {
                compareTable(db, before, after, out);
            } else if (after != null && renames.containsValue(t)) {
                String from = renames.entrySet().stream().filter(e -> e.getValue().equals(t)).findFirst()
                        .orElseThrow().getKey();
                out.add(new Change(Change.Kind.RENAMED, Change.TABLE, db, t, t, from, null, null));
            } else if (after != null) {
                out.add(new Change(Change.Kind.ADDED, Change.TABLE, db, t, t, null, null, after.createSql(true)));
            } else if (!renames.containsKey(t)) {
                out.add(new Change(Change.Kind.DROPPED, Change.TABLE, db, t, t, null, before.createSql(true), null));
            }
        }
        Set<String> keys = new TreeSet<>(a.objects().keySet());
        keys.addAll(b.objects().keySet());
        for (String k : keys) {
            SchemaObject before = a.objects().get(k);
            SchemaObject after = b.objects().get(k);
            SchemaObject any = after != null ? after : before;
            Change.Kind kind = before == null ? Change.Kind.ADDED : after == null ? Change.Kind.DROPPED
                    : before.sql().equals(after.sql()) ? null : Change.Kind.CHANGED;
            if (kind != null) {
                out.add(new Change(kind, any.kind().label(), db, any.table(), any.name(), null,
                        before == null ? null : before.sql(), after == null ? null : after.sql()));
            }
        }
    }

    private static void compareTable(String db, Table a, Table b, List<Change> out) {
        String t = b.name();
        if (!a.options().equals(b.options())) {
            out.add(new Change(Change.Kind.CHANGED, Change.OPTIONS, db, t, t, null, a.optionsLine(), b.optionsLine()));
        }
        boolean sameDefaults = Objects.equals(a.options().get("DEFAULT CHARSET"), b.options().get("DEFAULT CHARSET"))
                && Objects.equals(a.options().get("COLLATE"), b.options().get("COLLATE"));
        Map<String, Column> before = columns(a);
        Map<String, Column> after = columns(b);
        Map<String, String> renames = columnRenames(a, b);
        Set<String> moved = movedColumns(a, b, renames);
        String previous = null;
        for (Column c : b.columns()) {
            Column old = before.get(c.name());
            String from = renames.entrySet().stream().filter(e -> e.getValue().equals(c.name())).map(Map.Entry::getKey)
                    .findFirst().orElse(null);
            String position = moved.contains(c.name()) ? previous == null ? " FIRST" : " AFTER "
                    + dev.devdb.mysql.Sql.identifier(previous) : "";
            if (old != null) {
                boolean changed = !old.sameAttributes(c)
                        || sameDefaults && !old.definitionAfterName().equals(c.definitionAfterName());
                if (changed || !position.isEmpty()) {
                    out.add(new Change(Change.Kind.CHANGED, Change.COLUMN, db, t, c.name(), null,
                            old.definition() + (position.isEmpty() ? "" : " " + place(a, old.name())),
                            c.definition() + position));
                }
            } else if (from != null) {
                out.add(new Change(Change.Kind.RENAMED, Change.COLUMN, db, t, c.name(), from,
                        before.get(from).definition() + (position.isEmpty() ? "" : " " + place(a, from)),
                        c.definition() + position));
            } else {
                out.add(new Change(Change.Kind.ADDED, Change.COLUMN, db, t, c.name(), null, null,
                        c.definition() + (previous == null ? " FIRST" : " AFTER "
                                + dev.devdb.mysql.Sql.identifier(previous))));
            }
            previous = c.name();
        }
        for (Column c : a.columns()) {
            if (!after.containsKey(c.name()) && !renames.containsKey(c.name())) {
                out.add(new Change(Change.Kind.DROPPED, Change.COLUMN, db, t, c.name(), null, c.definition(), null));
            }
        }
        compareParts(db, t, Change.INDEX, renamedIn(a.indexes(), renames), b.indexes(), out);
        compareParts(db, t, Change.FOREIGN_KEY, renamedIn(a.foreignKeys(), renames), b.foreignKeys(), out);
        compareParts(db, t, Change.CHECK, a.checks(), b.checks(), out);
    }

    /**
     * Index and foreign key lines as a column rename leaves them: the server renames the column in its
     * indexes and foreign keys, so those are no change of their own (a foreign key's referenced columns,
     * in another table, stay as they are).
     */
    static Map<String, String> renamedIn(Map<String, String> lines, Map<String, String> renames) {
        if (renames.isEmpty()) {
            return lines;
        }
        Map<String, String> result = new LinkedHashMap<>();
        lines.forEach((name, line) -> {
            int references = line.indexOf(" REFERENCES ");
            result.put(name, references < 0 ? withIdentifiers(line, renames)
                    : withIdentifiers(line.substring(0, references), renames) + line.substring(references));
        });
        return result;
    }

    /** A line with the backtick-quoted identifiers in it mapped, quoted strings left as they are. */
    private static String withIdentifiers(String line, Map<String, String> names) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '`') {
                int end = CreateTable.identifierEnd(line, i);
                if (end < 0) {
                    b.append(line.substring(i));
                    break;
                }
                String id = CreateTable.identifier(line, i);
                b.append(dev.devdb.mysql.Sql.identifier(names.getOrDefault(id, id)));
                i = end;
            } else if (c == '\'') {
                int end = i + 1;
                while (end < line.length() && !(line.charAt(end) == '\'' && (end + 1 >= line.length()
                        || line.charAt(end + 1) != '\''))) {
                    end += line.charAt(end) == '\'' || line.charAt(end) == '\\' ? 2 : 1;
                }
                end = Math.min(end + 1, line.length());
                b.append(line, i, end);
                i = end;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    /** Old name to new name of the columns of a table renamed. */
    static Map<String, String> columnRenames(Table a, Table b) {
        return renames(columns(a), columns(b), Column::sameAs);
    }

    /** The columns (new names) of {@code b} that must move so that the surviving columns stand in its order. */
    static Set<String> movedColumns(Table a, Table b, Map<String, String> renames) {
        Set<String> present = new LinkedHashSet<>();
        b.columns().forEach(c -> present.add(c.name()));
        List<String> survivors = new ArrayList<>();
        for (Column c : a.columns()) {
            String newName = present.contains(c.name()) ? c.name() : renames.get(c.name());
            if (newName != null) {
                survivors.add(newName);
            }
        }
        return moved(survivors, b.columns().stream().map(Column::name).filter(survivors::contains).toList());
    }

    /** Where a column stood in its table: {@code FIRST} or {@code AFTER `x`}. */
    private static String place(Table t, String column) {
        String previous = null;
        for (Column c : t.columns()) {
            if (c.name().equals(column)) {
                return previous == null ? "FIRST" : "AFTER " + dev.devdb.mysql.Sql.identifier(previous);
            }
            previous = c.name();
        }
        return "";
    }

    private static void compareParts(String db, String table, String type, Map<String, String> a,
            Map<String, String> b, List<Change> out) {
        Set<String> names = new LinkedHashSet<>(a.keySet());
        names.addAll(b.keySet());
        for (String n : names) {
            String before = a.get(n);
            String after = b.get(n);
            if (before == null) {
                out.add(new Change(Change.Kind.ADDED, type, db, table, n, null, null, after));
            } else if (after == null) {
                out.add(new Change(Change.Kind.DROPPED, type, db, table, n, null, before, null));
            } else if (!before.equals(after)) {
                out.add(new Change(Change.Kind.CHANGED, type, db, table, n, null, before, after));
            }
        }
    }

    private static Map<String, Column> columns(Table t) {
        Map<String, Column> m = new LinkedHashMap<>();
        t.columns().forEach(c -> m.put(c.name(), c));
        return m;
    }

    /**
     * Old name to new name for each clear rename: gone from {@code a}, new in {@code b}, alike, and the
     * only match on both sides.
     */
    static <T> Map<String, String> renames(Map<String, T> a, Map<String, T> b, BiPredicate<T, T> alike) {
        List<String> gone = a.keySet().stream().filter(k -> !b.containsKey(k)).toList();
        List<String> fresh = b.keySet().stream().filter(k -> !a.containsKey(k)).toList();
        Map<String, String> result = new LinkedHashMap<>();
        for (String g : gone) {
            List<String> matches = fresh.stream().filter(f -> alike.test(a.get(g), b.get(f))).toList();
            if (matches.size() == 1) {
                String f = matches.get(0);
                long back = gone.stream().filter(x -> alike.test(a.get(x), b.get(f))).count();
                if (back == 1) {
                    result.put(g, f);
                }
            }
        }
        return result;
    }

    /**
     * The columns that must move so that {@code old} order becomes {@code now} order: those outside a
     * longest common subsequence of the two.
     */
    static Set<String> moved(List<String> old, List<String> now) {
        int n = old.size();
        int m = now.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = old.get(i).equals(now.get(j)) ? lcs[i + 1][j + 1] + 1
                        : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        Set<String> kept = new LinkedHashSet<>();
        for (int i = 0, j = 0; i < n && j < m;) {
            if (old.get(i).equals(now.get(j))) {
                kept.add(old.get(i));
                i++;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                i++;
            } else {
                j++;
            }
        }
        Set<String> moved = new LinkedHashSet<>(now);
        moved.removeAll(kept);
        return moved;
    }
}
