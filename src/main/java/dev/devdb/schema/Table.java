package dev.devdb.schema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A base table.
 *
 * @param name its name
 * @param columns in their order
 * @param indexes by name ({@code PRIMARY} for the primary key), each as its line in SHOW CREATE TABLE
 * @param foreignKeys by constraint name, each as its line in SHOW CREATE TABLE
 * @param checks check constraints by name, each as its line in SHOW CREATE TABLE
 * @param options table options (ENGINE, DEFAULT CHARSET, COLLATE, COMMENT, ...) by name, AUTO_INCREMENT left out
 * @param tail what follows the column list in SHOW CREATE TABLE (options, partitioning), AUTO_INCREMENT left out
 */
public record Table(String name, List<Column> columns, Map<String, String> indexes, Map<String, String> foreignKeys,
        Map<String, String> checks, Map<String, String> options, String tail) {

    public Table {
        columns = List.copyOf(columns);
        indexes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(indexes));
        foreignKeys = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(foreignKeys));
        checks = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(checks));
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
    }

    /** The column of this name, or null. */
    public Column column(String column) {
        return columns.stream().filter(c -> c.name().equals(column)).findFirst().orElse(null);
    }

    /** The table's options as one line: {@code ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 ...}. */
    public String optionsLine() {
        StringBuilder b = new StringBuilder();
        options.forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return b.toString();
    }

    /** Whether two tables are defined alike, names aside. */
    public boolean sameAs(Table o) {
        if (columns.size() != o.columns.size()) {
            return false;
        }
        for (int i = 0; i < columns.size(); i++) {
            Column a = columns.get(i);
            Column b = o.columns.get(i);
            if (!a.name().equals(b.name()) || !a.sameAs(b)) {
                return false;
            }
        }
        return indexes.equals(o.indexes) && foreignKeys.equals(o.foreignKeys) && checks.equals(o.checks)
                && tail.equals(o.tail);
    }

    /**
     * CREATE TABLE for this table, as SHOW CREATE TABLE prints it but without AUTO_INCREMENT and, unless
     * asked for, without its foreign keys.
     */
    public String createSql(boolean withForeignKeys) {
        List<String> parts = new ArrayList<>();
        columns.forEach(c -> parts.add(c.definition()));
        parts.addAll(indexes.values());
        if (withForeignKeys) {
            parts.addAll(foreignKeys.values());
        }
        parts.addAll(checks.values());
        return "CREATE TABLE " + dev.devdb.mysql.Sql.identifier(name) + " (\n  " + String.join(",\n  ", parts) + "\n"
                + tail;
    }
}
