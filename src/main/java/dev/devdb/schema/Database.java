package dev.devdb.schema;

import java.util.Map;

/**
 * A database (schema) and what is in it.
 *
 * @param name its name
 * @param charset default character set
 * @param collation default collation
 * @param tables base tables by name, in name order
 * @param objects views, routines, triggers and events by {@link SchemaObject#key()}, in key order
 */
public record Database(String name, String charset, String collation, Map<String, Table> tables,
        Map<String, SchemaObject> objects) {

    public Database {
        tables = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(tables));
        objects = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(objects));
    }
}
