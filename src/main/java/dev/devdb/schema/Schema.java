package dev.devdb.schema;

import java.util.Map;

/**
 * What a server holds besides its own system schemas: its databases, by name.
 *
 * @param version the server's version string, as {@code SELECT VERSION()} answers
 * @param databases by name, in name order
 */
public record Schema(String version, Map<String, Database> databases) {

    public Schema {
        databases = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(databases));
    }
}
