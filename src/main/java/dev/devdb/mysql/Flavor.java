package dev.devdb.mysql;

import java.util.Locale;

/** A server family devdb can run, and what differs between them. */
public enum Flavor {
    MYSQL("mysql", "MySQL", "mysqld", "mysql", "mysqldump"),
    MARIADB("mariadb", "MariaDB", "mariadbd", "mariadb", "mariadb-dump");

    private final String id;
    private final String displayName;
    private final String server;
    private final String client;
    private final String dumpTool;

    Flavor(String id, String displayName, String server, String client, String dumpTool) {
        this.id = id;
        this.displayName = displayName;
        this.server = server;
        this.client = client;
        this.dumpTool = dumpTool;
    }

    /** The profile spelling: {@code mysql} or {@code mariadb}. */
    public String id() {
        return id;
    }

    public String displayName() {
        return displayName;
    }

    /** The official image repository on Docker Hub. */
    public String defaultRepository() {
        return id;
    }

    /** The server binary inside the image. */
    public String server() {
        return server;
    }

    /** The command-line client inside the image. */
    public String client() {
        return client;
    }

    public String dumpTool() {
        return dumpTool;
    }

    /** The JDBC scheme a Java application uses for this server. */
    public String jdbcScheme() {
        return this == MARIADB ? "jdbc:mariadb" : "jdbc:mysql";
    }

    public static Flavor parse(String text) {
        if (text == null) {
            return null;
        }
        for (Flavor f : values()) {
            if (f.id.equals(text.trim().toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }
}
