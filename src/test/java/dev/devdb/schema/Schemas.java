package dev.devdb.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Schemas for tests, built from SHOW CREATE TABLE text as a server prints it. */
final class Schemas {
    private final Map<String, Table> tables = new LinkedHashMap<>();
    private final Map<String, SchemaObject> objects = new LinkedHashMap<>();

    /** A table from its SHOW CREATE TABLE; each column's catalogue attributes are read off its line. */
    Schemas table(String showCreate) {
        CreateTable parsed = CreateTable.parse(showCreate);
        List<Column> columns = new ArrayList<>();
        parsed.columns().forEach((name, line) -> {
            String rest = line.substring(CreateTable.identifierEnd(line, 0)).strip();
            String type = rest.split(" ")[0];
            columns.add(new Column(name, type, !rest.contains("NOT NULL"), null, "", "", null, null, "", line));
        });
        String name = CreateTable.identifier(showCreate, "CREATE TABLE ".length());
        tables.put(name, new Table(name, columns, parsed.indexes(), parsed.foreignKeys(), parsed.checks(),
                parsed.options(), parsed.tail()));
        return this;
    }

    Schemas object(SchemaObject.Kind kind, String name, String table, String sql) {
        SchemaObject o = new SchemaObject(kind, name, table, 1, sql);
        objects.put(o.key(), o);
        return this;
    }

    Schema build() {
        return new Schema("9.7.4", Map.of("app", new Database("app", "utf8mb4", "utf8mb4_0900_ai_ci", tables,
                objects)));
    }

    static String create(String name, String... lines) {
        return "CREATE TABLE `" + name + "` (\n  " + String.join(",\n  ", lines)
                + "\n) ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci";
    }
}
