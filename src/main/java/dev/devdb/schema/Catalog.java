package dev.devdb.schema;

import dev.devdb.mysql.PoolScripts;
import dev.devdb.mysql.SeedCopy;
import dev.devdb.mysql.Sql;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reading a schema from a server's own catalogue in two round trips: one query lists what there is
 * (information_schema), a second asks for each object's SHOW CREATE. The queries are built and their
 * answers (rows of strings, SQL NULL as null) read here; running them is the caller's.
 */
public final class Catalog {
    /** The server's own schemas. */
    private static final Set<String> SYSTEM = Set.of("mysql", "information_schema", "performance_schema", "sys");
    private static final String NOT_SYSTEM = " NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys')";
    private static final Pattern DEFINER = Pattern.compile(
            "^(CREATE (?:ALGORITHM=\\w+ )?)DEFINER=(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|[^@\\s]+)"
                    + "@(?:`(?:[^`]|``)*`|'(?:[^']|'')*'|\\S+) ");

    private Catalog() {}

    /**
     * Whether devdb leaves a database out: the server's own schemas, and those devdb keeps for itself
     * inside the server (named {@value SeedCopy#HIDDEN_PREFIX}..., in any case).
     */
    public static boolean hidden(String database) {
        String lower = database.toLowerCase(Locale.ROOT);
        return SYSTEM.contains(lower) || lower.startsWith(SeedCopy.HIDDEN_PREFIX);
    }

    /**
     * The query for the databases a pool of fresh databases keeps ready and has not handed out: they are
     * devdb's until then. Ask it only when the listing {@link Listing#hasPool() found a pool}.
     */
    public static String unhandedPoolQuery() {
        return "SELECT name FROM " + Sql.identifier(PoolScripts.CONTROL_DB) + ".pool WHERE state <> 'taken'";
    }

    /** The first query: what there is. Each row starts with a letter saying what it describes. */
    public static String listQuery() {
        return "SELECT 'V', VERSION();\n"
                + "SELECT 'D', SCHEMA_NAME, DEFAULT_CHARACTER_SET_NAME, DEFAULT_COLLATION_NAME FROM information_schema.SCHEMATA"
                + " WHERE SCHEMA_NAME" + NOT_SYSTEM + ";\n"
                + "SELECT 'T', TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA"
                + NOT_SYSTEM + " ORDER BY TABLE_SCHEMA, TABLE_NAME;\n"
                + "SELECT 'C', TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA,"
                + " GENERATION_EXPRESSION, CHARACTER_SET_NAME, COLLATION_NAME, COLUMN_COMMENT FROM information_schema.COLUMNS"
                + " WHERE TABLE_SCHEMA" + NOT_SYSTEM + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION;\n"
                + "SELECT 'R', ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES"
                + " WHERE ROUTINE_SCHEMA" + NOT_SYSTEM + ";\n"
                + "SELECT 'G', TRIGGER_SCHEMA, TRIGGER_NAME, EVENT_OBJECT_TABLE, ACTION_ORDER FROM information_schema.TRIGGERS"
                + " WHERE TRIGGER_SCHEMA" + NOT_SYSTEM + ";\n"
                + "SELECT 'E', EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA" + NOT_SYSTEM + ";";
    }

    /** One object whose SHOW CREATE the second query asks for. */
    record Request(String database, String kind, String name, String table, int order) {
        String statement() {
            String keyword = kind.equals("BASE TABLE") ? "TABLE" : kind;
            return "SHOW CREATE " + keyword + " " + Sql.identifier(name);
        }

        /** Which column of SHOW CREATE's row holds the statement. */
        int createColumn() {
            return switch (kind) {
                case "PROCEDURE", "FUNCTION", "TRIGGER" -> 2;
                case "EVENT" -> 3;
                default -> 1;
            };
        }
    }

    /** What the first query found, and the second query to ask next. */
    public static final class Listing {
        private final String version;
        private final Map<String, String[]> databases = new LinkedHashMap<>();
        private final Map<String, List<List<String>>> columns = new HashMap<>();
        private final List<Request> requests = new ArrayList<>();
        private boolean pool;

        Listing(List<List<String>> rows) {
            String v = null;
            for (List<String> row : rows) {
                String db = row.size() > 1 ? row.get(1) : null;
                if (row.get(0).equals("V")) {
                    v = row.get(1);
                    continue;
                }
                if (row.get(0).equals("D") && PoolScripts.CONTROL_DB.equals(db)) {
                    pool = true;
                }
                if (db == null || hidden(db)) {
                    continue;
                }
                switch (row.get(0)) {
                    case "D" -> databases.put(db, new String[] {row.get(2), row.get(3)});
                    case "T" -> {
                        if (row.get(3).equals("BASE TABLE") || row.get(3).equals("SYSTEM VERSIONED")) {
                            requests.add(new Request(db, "BASE TABLE", row.get(2), null, 0));
                        } else if (row.get(3).equals("VIEW")) {
                            requests.add(new Request(db, "VIEW", row.get(2), null, 0));
                        }
                    }
                    case "C" -> columns.computeIfAbsent(db + "\u0000" + row.get(2), k -> new ArrayList<>()).add(row);
                    case "R" -> requests.add(new Request(db, row.get(3), row.get(2), null, 0));
                    case "G" -> requests.add(new Request(db, "TRIGGER", row.get(2), row.get(3),
                            row.get(4) == null ? 0 : Integer.parseInt(row.get(4))));
                    case "E" -> requests.add(new Request(db, "EVENT", row.get(2), null, 0));
                    default -> throw new IllegalArgumentException("unexpected catalogue row " + row.get(0));
                }
            }
            this.version = v;
            requests.removeIf(r -> !databases.containsKey(r.database()));
            requests.sort(java.util.Comparator.comparing(Request::database));
        }

        /** The second query: SHOW CREATE of every object, each database's from within it (names then unqualified). */
        public String definitionsQuery() {
            StringBuilder b = new StringBuilder();
            String current = null;
            for (Request r : requests) {
                if (!r.database().equals(current)) {
                    current = r.database();
                    b.append("USE ").append(Sql.identifier(current)).append(";\n");
                }
                b.append(r.statement()).append(";\n");
            }
            return b.toString();
        }

        /** Whether the server keeps a pool of fresh databases (see {@link #unhandedPoolQuery}). */
        public boolean hasPool() {
            return pool;
        }

        /** Leaves these databases out (a pool's, not handed out yet). */
        public void exclude(java.util.Collection<String> names) {
            names.forEach(databases::remove);
            requests.removeIf(r -> !databases.containsKey(r.database()));
        }

        /** Whether there is anything to ask SHOW CREATE about. */
        public boolean empty() {
            return requests.isEmpty();
        }

        /** The schema, from the second query's rows: one per object, in the order asked. */
        public Schema schema(List<List<String>> definitionRows) {
            if (definitionRows.size() != requests.size()) {
                throw new IllegalStateException("asked for " + requests.size() + " definitions, got "
                        + definitionRows.size() + "; was the schema changed meanwhile?");
            }
            Map<String, Map<String, Table>> tables = new HashMap<>();
            Map<String, Map<String, SchemaObject>> objects = new HashMap<>();
            for (int i = 0; i < requests.size(); i++) {
                Request r = requests.get(i);
                String sql = definitionRows.get(i).get(r.createColumn());
                if (r.kind().equals("BASE TABLE")) {
                    tables.computeIfAbsent(r.database(), k -> new HashMap<>()).put(r.name(), table(r, sql));
                } else {
                    SchemaObject.Kind kind = SchemaObject.Kind.valueOf(r.kind());
                    SchemaObject o = new SchemaObject(kind, r.name(), r.table(), r.order(), withoutDefiner(sql));
                    objects.computeIfAbsent(r.database(), k -> new HashMap<>()).put(o.key(), o);
                }
            }
            Map<String, Database> dbs = new LinkedHashMap<>();
            databases.forEach((name, cs) -> dbs.put(name, new Database(name, cs[0], cs[1],
                    tables.getOrDefault(name, Map.of()), objects.getOrDefault(name, Map.of()))));
            return new Schema(version, dbs);
        }

        private Table table(Request r, String sql) {
            CreateTable parsed = CreateTable.parse(sql);
            List<Column> cols = new ArrayList<>();
            for (List<String> c : columns.getOrDefault(r.database() + "\u0000" + r.name(), List.of())) {
                String definition = parsed.columns().get(c.get(3));
                if (definition == null) {
                    throw new IllegalStateException("column " + c.get(3) + " of " + r.name()
                            + " is not in SHOW CREATE TABLE; was the schema changed meanwhile?");
                }
                cols.add(new Column(c.get(3), c.get(4), "YES".equals(c.get(5)), c.get(6), nz(c.get(7)), nz(c.get(8)),
                        c.get(9), c.get(10), nz(c.get(11)), definition));
            }
            return new Table(r.name(), cols, parsed.indexes(), parsed.foreignKeys(), parsed.checks(), parsed.options(),
                    parsed.tail());
        }
    }

    /** Reads the first query's rows. */
    public static Listing listing(List<List<String>> rows) {
        return new Listing(rows);
    }

    /** A CREATE statement without its DEFINER clause: the object is then created for whoever runs it. */
    static String withoutDefiner(String sql) {
        return DEFINER.matcher(sql).replaceFirst("$1");
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
