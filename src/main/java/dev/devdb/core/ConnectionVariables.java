package dev.devdb.core;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment variables that tell clients how to reach an instance. MYSQL_HOST,
 * MYSQL_TCP_PORT and MYSQL_PWD are the ones the mysql and mariadb clients read themselves; the
 * URLs are for applications and frameworks.
 */
public final class ConnectionVariables {
    private ConnectionVariables() {}

    /** Name to value, in a fixed order. */
    public static Map<String, String> of(Instance i) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("MYSQL_HOST", i.host());
        v.put("MYSQL_TCP_PORT", String.valueOf(i.port()));
        v.put("MYSQL_USER", i.user());
        v.put("MYSQL_PWD", i.password());
        v.put("MYSQL_DATABASE", i.database());
        v.put("DATABASE_URL", i.url());
        v.put("JDBC_URL", i.jdbcUrl());
        return v;
    }

    /** The same details as step outputs of a CI job: lower-case, dash-separated names. */
    public static Map<String, String> outputs(Instance i) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("host", i.host());
        v.put("port", String.valueOf(i.port()));
        v.put("user", i.user());
        v.put("password", i.password());
        v.put("database", i.database());
        v.put("url", i.url());
        v.put("jdbc-url", i.jdbcUrl());
        return v;
    }
}
