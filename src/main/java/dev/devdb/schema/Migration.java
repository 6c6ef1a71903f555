package dev.devdb.schema;

import static dev.devdb.mysql.Sql.identifier;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The DDL that turns an old schema into a new one, in the server's own syntax: its SHOW CREATE lines for
 * each column, index and constraint, ALTER TABLE clauses its flavour and version take. Ordered so that
 * foreign keys never block a step: those that go or change are dropped first, those that come are added
 * last, new tables are created in dependency order. Views, routines, triggers and events are dropped and
 * created again from SHOW CREATE, without DEFINER, so they belong to whoever runs the migration.
 */
public final class Migration {
    private final Schema old;
    private final Schema now;
    private final List<Change> changes;
    private final Dialect dialect;
    private final List<String[]> statements = new ArrayList<>();

    private Migration(Schema old, Schema now, List<Change> changes, Dialect dialect) {
        this.old = old;
        this.now = now;
        this.changes = changes;
        this.dialect = dialect;
    }

    /** The migration as a script for the server's client: one statement per line group, {@code USE} where the database changes. */
    public static String sql(Schema old, Schema now, List<Change> changes, Dialect dialect) {
        Migration m = new Migration(old, now, changes, dialect);
        m.build();
        return m.script();
    }

    private void build() {
        for (Change c : select(c -> c.type().equals(Change.DATABASE))) {
            Database d = now.databases().get(c.database());
            if (c.kind() == Change.Kind.ADDED) {
                add(null, "CREATE DATABASE " + identifier(d.name()) + " " + c.after());
            } else if (c.kind() == Change.Kind.CHANGED) {
                add(null, "ALTER DATABASE " + identifier(d.name()) + " " + c.after());
            }
        }
        for (Change c : select(c -> isObject(c) && c.kind() != Change.Kind.ADDED && !droppedDatabase(c.database()))) {
            add(c.database(), "DROP " + c.type().toUpperCase(java.util.Locale.ROOT) + " " + identifier(c.name()));
        }
        dropForeignKeys();
        for (Change c : select(c -> c.type().equals(Change.TABLE) && c.kind() == Change.Kind.RENAMED)) {
            add(c.database(), "RENAME TABLE " + identifier(c.oldName()) + " TO " + identifier(c.name()));
        }
        for (List<String> table : alteredTables()) {
            alter(table);
        }
        for (Change c : select(c -> c.type().equals(Change.TABLE) && c.kind() == Change.Kind.DROPPED
                && !droppedDatabase(c.database()))) {
            add(c.database(), "DROP TABLE " + identifier(c.name()));
        }
        for (Change c : select(c -> c.type().equals(Change.DATABASE) && c.kind() == Change.Kind.DROPPED)) {
            add(null, "DROP DATABASE " + identifier(c.name()));
        }
        Map<String, List<String>> deferred = createTables();
        addForeignKeys(deferred);
        createObjects();
    }

    private String script() {
        StringBuilder b = new StringBuilder();
        String current = null;
        for (String[] s : statements) {
            if (s[0] != null && !s[0].equals(current)) {
                current = s[0];
                b.append("USE ").append(identifier(current)).append(";\n");
            }
            if (s[2] != null && s[1].contains(";")) {
                b.append("DELIMITER ;;\n").append(s[1]).append(";;\nDELIMITER ;\n");
            } else {
                b.append(s[1]).append(";\n");
            }
        }
        return b.toString();
    }

    private void add(String database, String sql) {
        statements.add(new String[] {database, sql, null});
    }

    private void addCompound(String database, String sql) {
        statements.add(new String[] {database, sql, "compound"});
    }

    private List<Change> select(Predicate<Change> p) {
        return changes.stream().filter(p).toList();
    }

    private static boolean isObject(Change c) {
        return switch (c.type()) {
            case "view", "procedure", "function", "trigger", "event" -> true;
            default -> false;
        };
    }

    private boolean droppedDatabase(String db) {
        return !now.databases().containsKey(db);
    }

    private Table oldTable(String db, String name) {
        Database d = old.databases().get(db);
        return d == null ? null : d.tables().get(name);
    }

    private Table newTable(String db, String name) {
        Database d = now.databases().get(db);
        return d == null ? null : d.tables().get(name);
    }

    /** Foreign keys that go or change, and those of tables that go: one ALTER TABLE per table. */
    private void dropForeignKeys() {
        Map<List<String>, List<String>> drops = new LinkedHashMap<>();
        for (Change c : changes) {
            if (c.type().equals(Change.FOREIGN_KEY) && c.kind() != Change.Kind.ADDED) {
                drops.computeIfAbsent(List.of(c.database(), c.table()), k -> new ArrayList<>()).add(c.name());
            } else if (c.type().equals(Change.TABLE) && c.kind() == Change.Kind.DROPPED && !droppedDatabase(c.database())) {
                List<String> fks = drops.computeIfAbsent(List.of(c.database(), c.table()), k -> new ArrayList<>());
                oldTable(c.database(), c.name()).foreignKeys().keySet().stream().filter(f -> !fks.contains(f))
                        .forEach(fks::add);
            }
        }
        drops.forEach((key, fks) -> {
            if (!fks.isEmpty() && oldTable(key.get(0), key.get(1)) != null && !droppedDatabase(key.get(0))) {
                add(key.get(0), "ALTER TABLE " + identifier(key.get(1)) + " " + String.join(", ",
                        fks.stream().map(f -> "DROP FOREIGN KEY " + identifier(f)).toList()));
            }
        });
    }

    /** The tables (db and name) that exist before and after and have changes of their own. */
    private Set<List<String>> alteredTables() {
        Set<List<String>> result = new LinkedHashSet<>();
        for (Change c : changes) {
            if (c.table() != null && !c.type().equals(Change.TABLE) && !isObject(c)
                    && oldTable(c.database(), c.table()) != null && newTable(c.database(), c.table()) != null) {
                result.add(List.of(c.database(), c.table()));
            }
        }
        return result;
    }

    private void alter(List<String> key) {
        String db = key.get(0);
        Table a = oldTable(db, key.get(1));
        Table b = newTable(db, key.get(1));
        String alter = "ALTER TABLE " + identifier(b.name()) + " ";
        List<Change> mine = select(c -> db.equals(c.database()) && b.name().equals(c.table()));
        if (mine.stream().anyMatch(c -> c.type().equals(Change.OPTIONS))) {
            String options = options(a, b);
            if (!options.isEmpty()) {
                add(db, alter + options);
            }
        }
        List<String> drops = new ArrayList<>();
        List<String> clauses = new ArrayList<>();
        List<String> indexAdds = new ArrayList<>();
        for (Change c : mine) {
            boolean goes = c.kind() == Change.Kind.DROPPED || c.kind() == Change.Kind.CHANGED;
            boolean comes = c.kind() == Change.Kind.ADDED || c.kind() == Change.Kind.CHANGED;
            if (c.type().equals(Change.CHECK) && goes) {
                drops.add(dialect.dropCheck(c.name()));
            } else if (c.type().equals(Change.INDEX) && goes) {
                drops.add(c.name().equals("PRIMARY") ? "DROP PRIMARY KEY" : "DROP INDEX " + identifier(c.name()));
            }
            if (c.type().equals(Change.COLUMN) && c.kind() == Change.Kind.DROPPED) {
                clauses.add("DROP COLUMN " + identifier(c.name()));
            }
            if (c.type().equals(Change.INDEX) && comes) {
                indexAdds.add("ADD " + b.indexes().get(c.name()));
            }
        }
        clauses.addAll(columnClauses(a, b));
        clauses.addAll(indexAdds);
        for (Change c : mine) {
            if (c.type().equals(Change.CHECK) && c.kind() != Change.Kind.DROPPED) {
                clauses.add("ADD " + b.checks().get(c.name()));
            }
        }
        if (!drops.isEmpty()) {
            add(db, alter + String.join(", ", drops));
        }
        if (!clauses.isEmpty()) {
            add(db, alter + String.join(",\n  ", clauses));
        }
    }

    /** Renames, additions, changes and moves of columns, in the new table's column order. */
    private List<String> columnClauses(Table a, Table b) {
        Map<String, String> renames = SchemaDiff.columnRenames(a, b);
        Map<String, String> renamedFrom = new LinkedHashMap<>();
        renames.forEach((from, to) -> renamedFrom.put(to, from));
        Set<String> moved = SchemaDiff.movedColumns(a, b, renames);
        boolean sameDefaults = Objects.equals(a.options().get("DEFAULT CHARSET"), b.options().get("DEFAULT CHARSET"))
                && Objects.equals(a.options().get("COLLATE"), b.options().get("COLLATE"));
        List<String> clauses = new ArrayList<>();
        String previous = null;
        for (Column c : b.columns()) {
            String position = previous == null ? " FIRST" : " AFTER " + identifier(previous);
            Column before = a.column(c.name());
            String from = renamedFrom.get(c.name());
            if (from != null) {
                if (moved.contains(c.name()) || !dialect.renamesColumns()) {
                    clauses.add("CHANGE COLUMN " + identifier(from) + " " + c.definition()
                            + (moved.contains(c.name()) ? position : ""));
                } else {
                    clauses.add("RENAME COLUMN " + identifier(from) + " TO " + identifier(c.name()));
                }
            } else if (before == null) {
                clauses.add("ADD COLUMN " + c.definition() + position);
            } else if (moved.contains(c.name()) || !before.sameAttributes(c)
                    || sameDefaults && !before.definitionAfterName().equals(c.definitionAfterName())) {
                clauses.add("MODIFY COLUMN " + c.definition() + (moved.contains(c.name()) ? position : ""));
            }
            previous = c.name();
        }
        return clauses;
    }

    /** The table options that differ, as ALTER TABLE takes them; a character set and collation go together. */
    static String options(Table a, Table b) {
        Map<String, String> set = new LinkedHashMap<>();
        b.options().forEach((k, v) -> {
            if (!k.equals("PARTITION") && !v.equals(a.options().get(k))) {
                set.put(k, v);
            }
        });
        a.options().keySet().forEach(k -> {
            if (!k.equals("PARTITION") && !b.options().containsKey(k)) {
                set.put(k, k.equals("COMMENT") ? "''" : "DEFAULT");
            }
        });
        if (set.containsKey("DEFAULT CHARSET") || set.containsKey("COLLATE")) {
            for (String k : List.of("DEFAULT CHARSET", "COLLATE")) {
                if (b.options().containsKey(k)) {
                    set.put(k, b.options().get(k));
                }
            }
        }
        List<String> parts = new ArrayList<>();
        set.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    /**
     * CREATE TABLE for the new tables, each after the tables its foreign keys reference; the foreign keys
     * of tables in a cycle are left out and returned, to be added once all exist.
     */
    private Map<String, List<String>> createTables() {
        List<Change> created = select(c -> c.type().equals(Change.TABLE) && c.kind() == Change.Kind.ADDED);
        Set<List<String>> pending = new LinkedHashSet<>();
        created.forEach(c -> pending.add(List.of(c.database(), c.name())));
        Map<String, List<String>> deferred = new LinkedHashMap<>();
        while (!pending.isEmpty()) {
            List<String> next = pending.stream().filter(k -> references(k).stream().noneMatch(
                    r -> !r.equals(k) && pending.contains(r))).findFirst().orElse(null);
            boolean cycle = next == null;
            if (cycle) {
                next = pending.iterator().next();
            }
            Table t = newTable(next.get(0), next.get(1));
            add(next.get(0), t.createSql(!cycle));
            if (cycle && !t.foreignKeys().isEmpty()) {
                deferred.put(next.get(0) + "\u0000" + next.get(1), new ArrayList<>(t.foreignKeys().keySet()));
            }
            pending.remove(next);
        }
        return deferred;
    }

    /** The tables (db and name) a new table's foreign keys reference. */
    private List<List<String>> references(List<String> key) {
        List<List<String>> result = new ArrayList<>();
        for (String line : newTable(key.get(0), key.get(1)).foreignKeys().values()) {
            int at = line.indexOf(" REFERENCES ");
            if (at < 0) {
                continue;
            }
            int start = at + " REFERENCES ".length();
            int end = CreateTable.identifierEnd(line, start);
            if (end < 0) {
                continue;
            }
            String first = CreateTable.identifier(line, start);
            if (end < line.length() && line.charAt(end) == '.') {
                result.add(List.of(first, CreateTable.identifier(line, end + 1)));
            } else {
                result.add(List.of(key.get(0), first));
            }
        }
        return result;
    }

    private void addForeignKeys(Map<String, List<String>> deferred) {
        Map<List<String>, List<String>> adds = new LinkedHashMap<>();
        for (Change c : select(c -> c.type().equals(Change.FOREIGN_KEY) && c.kind() != Change.Kind.DROPPED)) {
            if (oldTable(c.database(), c.table()) != null) {
                adds.computeIfAbsent(List.of(c.database(), c.table()), k -> new ArrayList<>()).add(c.name());
            }
        }
        deferred.forEach((k, fks) -> {
            String[] parts = k.split("\u0000", 2);
            adds.computeIfAbsent(List.of(parts[0], parts[1]), x -> new ArrayList<>()).addAll(fks);
        });
        adds.forEach((key, fks) -> {
            Table t = newTable(key.get(0), key.get(1));
            add(key.get(0), "ALTER TABLE " + identifier(t.name()) + " " + String.join(",\n  ",
                    fks.stream().map(f -> "ADD " + t.foreignKeys().get(f)).toList()));
        });
    }

    /** Routines, then views (each after the views it selects from), then triggers, then events. */
    private void createObjects() {
        List<SchemaObject> created = new ArrayList<>();
        Map<SchemaObject, String> dbOf = new java.util.IdentityHashMap<>();
        for (Change c : select(c -> isObject(c) && c.kind() != Change.Kind.DROPPED)) {
            SchemaObject o = now.databases().get(c.database()).objects().get(c.type() + " " + c.name());
            created.add(o);
            dbOf.put(o, c.database());
        }
        for (SchemaObject.Kind kind : List.of(SchemaObject.Kind.PROCEDURE, SchemaObject.Kind.FUNCTION)) {
            created.stream().filter(o -> o.kind() == kind).forEach(o -> addCompound(dbOf.get(o), o.sql()));
        }
        List<SchemaObject> views = new ArrayList<>(created.stream().filter(o -> o.kind() == SchemaObject.Kind.VIEW)
                .toList());
        while (!views.isEmpty()) {
            SchemaObject next = views.stream().filter(v -> views.stream().noneMatch(w -> w != v
                    && Objects.equals(dbOf.get(w), dbOf.get(v)) && v.sql().contains(identifier(w.name()))))
                    .findFirst().orElse(views.get(0));
            add(dbOf.get(next), next.sql());
            views.remove(next);
        }
        created.stream().filter(o -> o.kind() == SchemaObject.Kind.TRIGGER)
                .sorted(java.util.Comparator.comparing((SchemaObject o) -> dbOf.get(o)).thenComparing(SchemaObject::table)
                        .thenComparingInt(SchemaObject::order))
                .forEach(o -> addCompound(dbOf.get(o), o.sql()));
        created.stream().filter(o -> o.kind() == SchemaObject.Kind.EVENT).forEach(o -> addCompound(dbOf.get(o), o.sql()));
    }
}
