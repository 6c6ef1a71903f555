package dev.devdb.mysql;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What each flavour and version needs for a binary log that replicas and change-data-capture
 * connectors can follow: server options, replica arguments, the replication statements in the
 * syntax the version accepts, and the connector user. Only options the version has are used, so
 * nothing here stops a server from starting.
 */
public final class Binlog {
    /** The connector user created on CDC-ready instances. */
    public static final String CDC_USER = "cdc";
    /** The user replicas connect to their source as. */
    public static final String REPLICATION_USER = "devdb_repl";
    /** The grants Debezium documents for its MySQL and MariaDB connectors, and no more. */
    public static final List<String> CDC_GRANTS =
            List.of("SELECT", "RELOAD", "SHOW DATABASES", "REPLICATION SLAVE", "REPLICATION CLIENT", "LOCK TABLES");
    /** Binary logs are kept this long: a week of a connector being stopped. */
    public static final long RETENTION_SECONDS = 7L * 24 * 3600;
    /** The server id of a topology's primary and of a standalone instance; replica K has 1 + K. */
    public static final int PRIMARY_SERVER_ID = 1;
    /** The base name of binary log files: fixed, so logs survive a container's new host name. */
    static final String LOG_BASENAME = "binlog";

    private Binlog() {}

    /**
     * Options for a binary log replicas can follow: on, with a fixed base name, GTIDs, and a
     * retention setting the version has.
     */
    public static Map<String, String> replicationOptions(Flavor flavor, ServerVersion v) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("log_bin", LOG_BASENAME);
        if (flavor == Flavor.MYSQL) {
            o.put("gtid_mode", "ON");
            o.put("enforce_gtid_consistency", "ON");
            // expire_logs_days is gone since 8.2; binlog_expire_logs_seconds exists since 8.0.1
            if (v.atLeast(8, 0, 1)) {
                o.put("binlog_expire_logs_seconds", Long.toString(RETENTION_SECONDS));
            } else {
                o.put("expire_logs_days", Long.toString(RETENTION_SECONDS / 86400));
            }
        } else {
            // MariaDB's GTIDs are always on; binlog_expire_logs_seconds exists since 10.6
            if (v.atLeast(10, 6)) {
                o.put("binlog_expire_logs_seconds", Long.toString(RETENTION_SECONDS));
            } else {
                o.put("expire_logs_days", Long.toString(RETENTION_SECONDS / 86400));
            }
        }
        return o;
    }

    /**
     * Options for change data capture: the replication options, row events with full row images
     * and, where the server has it, full row metadata so column names travel with the events.
     */
    public static Map<String, String> cdcOptions(Flavor flavor, ServerVersion v) {
        Map<String, String> o = replicationOptions(flavor, v);
        if (flavor == Flavor.MYSQL) {
            // ROW is the default since 8.0 and the option deprecated since 8.0.34: set it only before that
            if (!v.atLeast(8, 0, 34)) {
                o.put("binlog_format", "ROW");
            }
            o.put("binlog_row_image", "FULL");
            if (v.atLeast(8, 0, 14)) {
                o.put("binlog_row_metadata", "FULL");
            }
        } else {
            o.put("binlog_format", "ROW");
            o.put("binlog_row_image", "FULL");
            if (v.atLeast(10, 5)) {
                o.put("binlog_row_metadata", "FULL");
            }
            if (v.atLeast(11, 4)) {
                o.put("binlog_legacy_event_pos", "ON");
            }
        }
        return o;
    }

    /**
     * Server arguments of one member: its server id and, for a replica, a fixed relay log name,
     * read-only and logging what it replicates (so connectors can follow a replica too). Given as
     * arguments, not in the cached my.cnf, so members started from one cache entry still differ.
     */
    public static List<String> memberArgs(Flavor flavor, ServerVersion v, int serverId, boolean replica) {
        List<String> args = new ArrayList<>();
        args.add("--server-id=" + serverId);
        if (replica) {
            args.add("--relay-log=relay-bin");
            args.add("--read-only=ON");
            if (flavor == Flavor.MYSQL && v.atLeast(5, 7, 8)) {
                args.add("--super-read-only=ON");
            }
            // on by default in MySQL 8.0; off in 5.7 and MariaDB
            if (flavor == Flavor.MARIADB || !v.atLeast(8, 0)) {
                args.add("--log-slave-updates");
            }
        }
        return args;
    }

    /**
     * A shell script for /docker-entrypoint-initdb.d that creates the connector user. devdb's start
     * script sources it while initialising, and quotes the password with its {@code sql_string}; the
     * password comes from the container's environment (MYSQL_CDC_PASSWORD), so it is in no process's
     * arguments and not in the script.
     */
    public static String cdcUserScript() {
        return "# Written by devdb: the user change-data-capture connectors log in as.\n"
                + "docker_process_sql --database=mysql <<EOSQL\n"
                + "SET SESSION sql_log_bin = 0;\n"
                + "${BACKSLASH_ESCAPES};\n"
                + "CREATE USER '" + CDC_USER + "'@'%' IDENTIFIED BY $(sql_string \"$MYSQL_CDC_PASSWORD\");\n"
                + "GRANT " + String.join(", ", CDC_GRANTS) + " ON *.* TO '" + CDC_USER + "'@'%';\n"
                + "EOSQL\n";
    }

    /** Creates (or updates) the replication user on a source, without writing it to the binary log. */
    public static String replicationUserSql(String password) {
        String user = "'" + REPLICATION_USER + "'@'%'";
        return "SET SESSION sql_log_bin = 0;\n"
                + "CREATE USER IF NOT EXISTS " + user + " IDENTIFIED BY " + Sql.literal(password) + ";\n"
                + "ALTER USER " + user + " IDENTIFIED BY " + Sql.literal(password) + ";\n"
                + "GRANT REPLICATION SLAVE ON *.* TO " + user + ";\n";
    }

    /**
     * Points a replica at its source with GTID auto-positioning and starts replicating, in the
     * syntax the version accepts. The replica holds the same initialised data as its source, so
     * MariaDB's replica position starts at its own binary log position.
     */
    public static String startReplicaSql(Flavor flavor, ServerVersion v, String sourceHost, String password) {
        String host = Sql.literal(sourceHost);
        String user = Sql.literal(REPLICATION_USER);
        String pw = Sql.literal(password);
        if (flavor == Flavor.MARIADB) {
            return "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos;\n"
                    + "CHANGE MASTER TO MASTER_HOST=" + host + ", MASTER_PORT=3306, MASTER_USER=" + user
                    + ", MASTER_PASSWORD=" + pw + ", MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;\n"
                    + "START SLAVE;\n";
        }
        if (v.atLeast(8, 0, 23)) {
            return "CHANGE REPLICATION SOURCE TO SOURCE_HOST=" + host + ", SOURCE_PORT=3306, SOURCE_USER=" + user
                    + ", SOURCE_PASSWORD=" + pw + ", SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1"
                    + ", SOURCE_CONNECT_RETRY=1;\n"
                    + "START REPLICA;\n";
        }
        return "CHANGE MASTER TO MASTER_HOST=" + host + ", MASTER_PORT=3306, MASTER_USER=" + user
                + ", MASTER_PASSWORD=" + pw + ", MASTER_AUTO_POSITION=1"
                + (v.atLeast(8, 0, 4) ? ", GET_MASTER_PUBLIC_KEY=1" : "") + ", MASTER_CONNECT_RETRY=1;\n"
                + (v.atLeast(8, 0, 22) ? "START REPLICA;\n" : "START SLAVE;\n");
    }

    /** The statement showing a replica's state ({@code SHOW SLAVE STATUS} is gone in MySQL 8.4). */
    public static String replicaStatusSql(Flavor flavor, ServerVersion v) {
        if (flavor == Flavor.MYSQL && v.atLeast(8, 0, 22)) {
            return "SHOW REPLICA STATUS";
        }
        return "SHOW SLAVE STATUS";
    }

    /** A query on the source for what a replica has to have applied to be caught up. */
    public static String sourcePositionSql(Flavor flavor) {
        return flavor == Flavor.MARIADB ? "SELECT @@GLOBAL.gtid_binlog_pos" : "SELECT @@GLOBAL.gtid_executed";
    }

    /** A query on a replica answering 1 when it has applied everything up to {@code position}. */
    public static String caughtUpSql(Flavor flavor, String position) {
        if (flavor == Flavor.MARIADB) {
            return "SELECT MASTER_GTID_WAIT(" + Sql.literal(position) + ", 0) = 0";
        }
        return "SELECT GTID_SUBSET(" + Sql.literal(position) + ", @@GLOBAL.gtid_executed)";
    }

}
