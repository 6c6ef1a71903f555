package dev.devdb.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The prepared copy of an instance's seed state, as SQL: what devdb reads of the seed databases right
 * after {@code up}, the script that keeps them (control database {@value #CONTROL_DB}, a template
 * {@code _devdb_t_N} and a spare {@code _devdb_s_N} of every seed database N), and the client script
 * that resets the seed databases inside the running server from the spare. The procedures are in
 * {@code devdb-seed-copy.sql}.
 */
public final class SeedCopy {
    /** Every hidden database's name starts with this; a reset leaves such databases alone. */
    public static final String HIDDEN_PREFIX = "_devdb";
    /** The control database: the markers, the recorded definitions and the procedures. */
    public static final String CONTROL_DB = "_devdb";
    /** Where the reset script is kept in the container. */
    public static final String RESET_SCRIPT = "/var/lib/devdb/reset.sql";
    /** The start of the message of an error that says why a reset must restart the server instead. */
    public static final String FALLBACK = "devdb-fallback: ";
    /** The first cell of the row the reset script ends with. */
    public static final String DONE = "devdb-reset";
    /** How long a reset waits for the spare to be made again after the previous reset, in seconds. */
    public static final int WAIT_SECONDS = 30;

    private static final String SYSTEM_SCHEMAS = "('mysql', 'information_schema', 'performance_schema', 'sys')";

    private SeedCopy() {}

    /** The template of seed database {@code pos} (1, 2, ... in name order). */
    public static String template(int pos) {
        return HIDDEN_PREFIX + "_t_" + pos;
    }

    /** The spare of seed database {@code pos}. */
    public static String spare(int pos) {
        return HIDDEN_PREFIX + "_s_" + pos;
    }

    /** An identifier in backquotes. */
    public static String id(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** A table, column list and definition (SHOW CREATE TABLE after the name). */
    public record Table(String name, String definition, String columns) {}

    /**
     * A view, routine, trigger or event.
     *
     * @param kind VIEW, PROCEDURE, FUNCTION, TRIGGER or EVENT
     * @param create its SHOW CREATE statement
     * @param viewColumns a view's column names (for the stand-in made before the views it reads exist)
     */
    public record Routine(String kind, String name, String create, String sqlMode, String charsetClient,
            String collationConnection, String timeZone, List<String> viewColumns) {}

    /** A seed database: its options (SHOW CREATE DATABASE after the name), tables and other objects. */
    public record Database(String name, String options, List<Table> tables, List<Routine> objects) {}

    /**
     * The seed state's definitions.
     *
     * @param unsupported why it cannot be copied exactly, or null
     */
    public record State(List<Database> databases, String unsupported) {}

    /** Step 1: what the seed databases hold (rows tagged D, T, C, R, G, E; see {@link #plan}). */
    public static String inventoryQuery() {
        String not = " NOT IN " + SYSTEM_SCHEMAS + " AND LEFT(%s, 6) <> '" + HIDDEN_PREFIX + "'";
        return "SELECT 'D', SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME"
                + not.formatted("SCHEMA_NAME") + " ORDER BY SCHEMA_NAME;\n"
                + "SELECT 'T', TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA"
                + not.formatted("TABLE_SCHEMA") + " ORDER BY TABLE_SCHEMA, TABLE_NAME;\n"
                + "SELECT 'C', TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, IF(COALESCE(GENERATION_EXPRESSION, '') = '', 0, 1)"
                + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA" + not.formatted("TABLE_SCHEMA")
                + " ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION;\n"
                + "SELECT 'R', ROUTINE_SCHEMA, ROUTINE_NAME, ROUTINE_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA"
                + not.formatted("ROUTINE_SCHEMA") + " ORDER BY ROUTINE_SCHEMA, ROUTINE_TYPE, ROUTINE_NAME;\n"
                + "SELECT 'G', TRIGGER_SCHEMA, TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA"
                + not.formatted("TRIGGER_SCHEMA") + " ORDER BY TRIGGER_SCHEMA, EVENT_OBJECT_TABLE, EVENT_MANIPULATION,"
                + " ACTION_TIMING, ACTION_ORDER;\n"
                + "SELECT 'E', EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA"
                + not.formatted("EVENT_SCHEMA") + " ORDER BY EVENT_SCHEMA, EVENT_NAME;\n";
    }

    /** One SHOW CREATE statement of step 2, and what it is about. */
    public record Show(String kind, String schema, String name, String statement) {}

    /** The plan of step 2, from the rows of {@link #inventoryQuery}. */
    public record Plan(List<String> schemas, List<Show> shows, Map<String, List<String>> columns,
            Map<String, List<String>> viewColumns, String unsupported) {}

    /** Step 2: the SHOW CREATE statements to run, in order, from the inventory's rows. */
    public static Plan plan(List<List<String>> rows) {
        List<String> schemas = new ArrayList<>();
        List<Show> shows = new ArrayList<>();
        Map<String, List<String>> columns = new LinkedHashMap<>();
        Map<String, List<String>> viewColumns = new LinkedHashMap<>();
        List<Show> views = new ArrayList<>();
        List<Show> others = new ArrayList<>();
        String unsupported = null;
        for (List<String> r : rows) {
            switch (r.get(0)) {
                case "D" -> {
                    schemas.add(r.get(1));
                    shows.add(new Show("DATABASE", r.get(1), r.get(1), "SHOW CREATE DATABASE " + id(r.get(1))));
                }
                case "T" -> {
                    String qualified = id(r.get(1)) + "." + id(r.get(2));
                    if (r.get(3).equals("VIEW")) {
                        views.add(new Show("VIEW", r.get(1), r.get(2), "SHOW CREATE VIEW " + qualified));
                    } else if (r.get(3).equals("BASE TABLE")) {
                        shows.add(new Show("TABLE", r.get(1), r.get(2), "SHOW CREATE TABLE " + qualified));
                    } else if (unsupported == null) {
                        unsupported = "table " + r.get(1) + "." + r.get(2) + " is a " + r.get(3).toLowerCase(java.util.Locale.ROOT);
                    }
                }
                case "C" -> {
                    String key = r.get(1) + "." + r.get(2);
                    viewColumns.computeIfAbsent(key, k -> new ArrayList<>()).add(r.get(3));
                    if ("0".equals(r.get(4))) {
                        columns.computeIfAbsent(key, k -> new ArrayList<>()).add(r.get(3));
                    }
                }
                case "R" -> {
                    if (!r.get(3).equals("PROCEDURE") && !r.get(3).equals("FUNCTION")) {
                        if (unsupported == null) {
                            unsupported = r.get(3).toLowerCase(java.util.Locale.ROOT) + " " + r.get(1) + "." + r.get(2)
                                    + " cannot be copied";
                        }
                    } else {
                        others.add(new Show(r.get(3), r.get(1), r.get(2), "SHOW CREATE " + r.get(3) + " " + id(r.get(1))
                                + "." + id(r.get(2))));
                    }
                }
                case "G" -> others.add(new Show("TRIGGER", r.get(1), r.get(2), "SHOW CREATE TRIGGER " + id(r.get(1)) + "."
                        + id(r.get(2))));
                case "E" -> others.add(new Show("EVENT", r.get(1), r.get(2), "SHOW CREATE EVENT " + id(r.get(1)) + "."
                        + id(r.get(2))));
                default -> throw new IllegalArgumentException("unexpected inventory row " + r);
            }
        }
        shows.addAll(views);
        shows.addAll(others);
        return new Plan(schemas, shows, columns, viewColumns, unsupported);
    }

    /** The SHOW CREATE statements of a plan, as one text, read with sql_mode '' (no ANSI quotes). */
    public static String showQuery(Plan plan) {
        StringBuilder b = new StringBuilder("SET SESSION sql_mode = '';\n");
        plan.shows().forEach(s -> b.append(s.statement()).append(";\n"));
        return b.toString();
    }

    /**
     * Step 3: the definitions, from the rows of {@link #showQuery} (one row per statement, in order).
     */
    public static State state(Plan plan, List<List<String>> rows) {
        if (rows.size() != plan.shows().size()) {
            throw new IllegalStateException("expected " + plan.shows().size() + " SHOW CREATE rows, got " + rows.size());
        }
        Map<String, String> options = new LinkedHashMap<>();
        Map<String, List<Table>> tables = new LinkedHashMap<>();
        Map<String, List<Routine>> objects = new LinkedHashMap<>();
        String unsupported = plan.unsupported();
        for (int i = 0; i < rows.size(); i++) {
            Show s = plan.shows().get(i);
            List<String> r = rows.get(i);
            String key = s.schema() + "." + s.name();
            switch (s.kind()) {
                case "DATABASE" -> options.put(s.schema(), after(r.get(1), "CREATE DATABASE " + id(s.schema())));
                case "TABLE" -> {
                    List<String> cols = plan.columns().getOrDefault(key, List.of());
                    tables.computeIfAbsent(s.schema(), k -> new ArrayList<>()).add(new Table(s.name(),
                            after(r.get(1), "CREATE TABLE " + id(s.name())), String.join(", ", cols.stream()
                                    .map(SeedCopy::id).toList())));
                }
                case "VIEW" -> objects.computeIfAbsent(s.schema(), k -> new ArrayList<>()).add(new Routine("VIEW",
                        s.name(), r.get(1), "", r.get(2), r.get(3), "", plan.viewColumns().getOrDefault(key, List.of())));
                case "TRIGGER" -> objects.computeIfAbsent(s.schema(), k -> new ArrayList<>()).add(new Routine("TRIGGER",
                        s.name(), r.get(2), r.get(1), r.get(3), r.get(4), "", List.of()));
                case "EVENT" -> objects.computeIfAbsent(s.schema(), k -> new ArrayList<>()).add(new Routine("EVENT",
                        s.name(), r.get(3), r.get(1), r.get(4), r.get(5), r.get(2), List.of()));
                default -> objects.computeIfAbsent(s.schema(), k -> new ArrayList<>()).add(new Routine(s.kind(),
                        s.name(), r.get(2), r.get(1), r.get(3), r.get(4), "", List.of()));
            }
            if (!s.kind().equals("DATABASE") && !s.kind().equals("TABLE") && (r.size() < 3 || r.get(1) == null)
                    && unsupported == null) {
                unsupported = "the definition of " + key + " cannot be read";
            }
        }
        List<Database> dbs = new ArrayList<>();
        for (String schema : plan.schemas()) {
            dbs.add(new Database(schema, options.getOrDefault(schema, ""), tables.getOrDefault(schema, List.of()),
                    objects.getOrDefault(schema, List.of())));
        }
        return new State(dbs, unsupported);
    }

    private static String after(String statement, String prefix) {
        if (statement == null || !statement.startsWith(prefix)) {
            throw new IllegalStateException("unexpected definition: " + statement);
        }
        return statement.substring(prefix.length());
    }

    /** The control database and its procedures (drops an older one). */
    public static String installScript() {
        try (InputStream in = SeedCopy.class.getResourceAsStream("devdb-seed-copy.sql")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything the prepared copy needs, for a session that reads {@link Sql#literal}s as meant: the
     * control database, the definitions, the accounts, the templates and the spares, markers last.
     */
    public static String recordScript(State state) {
        StringBuilder b = new StringBuilder(installScript());
        b.append("SET NAMES utf8mb4;\n").append(Sql.BACKSLASH_ESCAPES).append(";\n");
        int pos = 0;
        for (Database db : state.databases()) {
            pos++;
            b.append("INSERT INTO `_devdb`.`seed_db` VALUES (").append(pos).append(", ").append(Sql.literal(db.name()))
                    .append(", ").append(Sql.literal(db.options())).append(");\n");
            int t = 0;
            for (Table table : db.tables()) {
                b.append("INSERT INTO `_devdb`.`seed_table` VALUES (").append(pos).append(", ").append(++t).append(", ")
                        .append(Sql.literal(table.name())).append(", ").append(Sql.literal(table.definition()))
                        .append(", ").append(Sql.literal(table.columns())).append(");\n");
            }
            int o = 0;
            for (Routine r : db.objects()) {
                b.append("INSERT INTO `_devdb`.`seed_object` VALUES (").append(pos).append(", ").append(++o).append(", ")
                        .append(Sql.literal(r.kind())).append(", ").append(Sql.literal(r.name())).append(", ")
                        .append(Sql.literal(r.create())).append(", ").append(Sql.literal(nz(r.sqlMode()))).append(", ")
                        .append(Sql.literal(nz(r.charsetClient()))).append(", ")
                        .append(Sql.literal(nz(r.collationConnection()))).append(", ")
                        .append(Sql.literal(nz(r.timeZone()))).append(");\n");
            }
        }
        int n = 0;
        for (SqlScript.Statement s : SqlScript.split(objectScript(state))) {
            b.append("INSERT INTO `_devdb`.`reset_statement` VALUES (").append(++n).append(", ")
                    .append(Sql.literal(s.sql())).append(");\n");
        }
        b.append("CALL `_devdb`.`record_accounts`();\n");
        if (state.unsupported() != null) {
            b.append("REPLACE INTO `_devdb`.`state` VALUES ('template', ")
                    .append(Sql.literal("unsupported: " + state.unsupported())).append(");\n");
        } else {
            b.append("CALL `_devdb`.`make_templates`();\n");
            b.append("CALL `_devdb`.`prepare`();\n");
        }
        return b.toString();
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /**
     * The statements of a reset inside the server, for a client that sends them one by one: first these,
     * which end every other connection and put the tables back from the spare.
     */
    public static final List<String> RESET_BEGIN = List.of(
            "SET SESSION sql_log_bin = 0",
            "SET SESSION sql_log_off = ON, SESSION long_query_time = 31536000",
            "SET SESSION foreign_key_checks = 0",
            "SET NAMES utf8mb4",
            "CALL `_devdb`.`reset_begin`(" + WAIT_SECONDS + ")");

    /** Then these, as recorded at {@code up} ({@link #objectScript}), in order. */
    public static final String RESET_STATEMENTS = "SELECT statement FROM `_devdb`.`reset_statement` ORDER BY pos";

    /**
     * Then this, the row {@code _devdb.reset_end()} returns to the client script (a procedure's rows need a
     * client that takes several results): the microseconds inside the server, those waited for the spare,
     * and whether the accounts were restored.
     */
    public static final String RESET_END = "SELECT TIMESTAMPDIFF(MICROSECOND, @devdb_t0, SYSDATE(6)), "
            + "TIMESTAMPDIFF(MICROSECOND, @devdb_started, @devdb_t0), @devdb_accounts";

    /** Last, on the same connection after a reset of its session: the spare made again, in the background. */
    public static final List<String> PREPARE = List.of("SET SESSION sql_log_bin = 0",
            "SET SESSION sql_log_off = ON", "CALL `_devdb`.`prepare`()");

    /** The part of a reset's client script after {@code reset_begin}: the views, routines, triggers and events. */
    static String objectScript(State state) {
        StringBuilder b = new StringBuilder();
        for (Database db : state.databases()) {
            if (db.objects().isEmpty()) {
                continue;
            }
            b.append("USE ").append(id(db.name())).append(";\n");
            b.append("SET SESSION sql_mode = 'NO_ENGINE_SUBSTITUTION';\n");
            for (Routine r : db.objects()) {
                if (r.kind().equals("VIEW")) {
                    b.append("CREATE VIEW ").append(id(r.name())).append(" AS SELECT ");
                    List<String> cols = r.viewColumns().isEmpty() ? List.of("devdb") : r.viewColumns();
                    b.append(String.join(", ", cols.stream().map(c -> "1 AS " + id(c)).toList())).append(";\n");
                }
            }
            for (Routine r : db.objects()) {
                boolean ascii = r.create().chars().allMatch(ch -> ch < 128);
                String cs = nz(r.charsetClient());
                String sessionMode = r.kind().equals("VIEW") ? "NO_ENGINE_SUBSTITUTION" : nz(r.sqlMode());
                b.append("SET SESSION sql_mode = ").append(Sql.literal(sessionMode)).append(";\n");
                if (!cs.isEmpty() && (ascii || cs.startsWith("utf8"))) {
                    b.append("SET SESSION character_set_client = ").append(Sql.literal(cs))
                            .append(", SESSION character_set_results = ").append(Sql.literal(cs))
                            .append(", SESSION collation_connection = ").append(Sql.literal(r.collationConnection()))
                            .append(";\n");
                } else {
                    b.append("SET NAMES utf8mb4;\n");
                }
                if (!nz(r.timeZone()).isEmpty()) {
                    b.append("SET SESSION time_zone = ").append(Sql.literal(r.timeZone())).append(";\n");
                }
                String create = r.kind().equals("VIEW") ? "CREATE OR REPLACE " + r.create().substring("CREATE ".length())
                        : r.create();
                String delimiter = create.contains(";;") ? "$$devdb$$" : ";;";
                b.append("DELIMITER ").append(delimiter).append('\n').append(create).append(delimiter)
                        .append("\nDELIMITER ;\n");
            }
            b.append("SET NAMES utf8mb4;\n");
        }
        return b.toString();
    }

    /**
     * The client script of a reset: the tables back from the spare ({@code _devdb.reset_begin}), then
     * the views, routines, triggers and events created as recorded, then one row: {@link #DONE}, the
     * microseconds the reset took inside the server, those it waited for the spare, and whether the
     * accounts were restored.
     */
    public static String resetScript(State state) {
        StringBuilder b = new StringBuilder();
        RESET_BEGIN.forEach(s -> b.append(s).append(";\n"));
        b.append(objectScript(state));
        b.append("CALL `_devdb`.`reset_end`();\n");
        return b.toString();
    }
}
