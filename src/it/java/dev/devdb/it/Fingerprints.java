package dev.devdb.it;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * What an application can see of a database or a whole instance, as lines to compare: CHECKSUM TABLE
 * and SHOW CREATE of every object, the databases, the accounts and their grants.
 */
final class Fingerprints {
    private Fingerprints() {}

    /** How much of an object's SHOW CREATE counts. */
    enum Objects {
        /**
         * Everything, the client character set and collation each object was created with included, and
         * the events: the same database again (after a reset).
         */
        AS_CREATED,
        /**
         * Without the client character set and collation (a copy made by another client has its own) and
         * without events (a copy has none): a copy of a database.
         */
        AS_COPIED
    }

    /** A root connection over TCP to the instance `up --json` printed, with the password in its container. */
    static Connection root(DockerEngine engine, JsonNode up) throws SQLException {
        String pw = engine.inspect(TestScope.container(up.get("name").asText())).orElseThrow().env()
                .get("MYSQL_ROOT_PASSWORD");
        return Cli.connect(up.get("flavor").asText(), up.get("port").asInt(), "mysql", "root", pw);
    }

    /** Every row of a query, its columns tab-separated, leaving out the columns {@code skip} numbers (from 1). */
    static List<String> rows(Statement s, String sql, int... skip) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet r = s.executeQuery(sql)) {
            ResultSetMetaData m = r.getMetaData();
            while (r.next()) {
                StringBuilder b = new StringBuilder();
                columns:
                for (int i = 1; i <= m.getColumnCount(); i++) {
                    for (int k : skip) {
                        if (k == i) {
                            continue columns;
                        }
                    }
                    b.append(r.getString(i)).append('\t');
                }
                out.add(b.toString());
            }
        }
        return out;
    }

    /**
     * One database: every table's CHECKSUM TABLE and SHOW CREATE (with its AUTO_INCREMENT); every view,
     * routine and trigger's SHOW CREATE (a trigger's without its creation time); with {@link
     * Objects#AS_CREATED}, every event's too. The database's own name is written `DB`, so that a copy
     * compares equal to its original.
     */
    static List<String> database(Statement s, String db, Objects objects) throws SQLException {
        boolean asCreated = objects == Objects.AS_CREATED;
        List<String> f = new ArrayList<>();
        for (String t : rows(s, "SELECT TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES WHERE TABLE_SCHEMA = '"
                + db + "' ORDER BY 1")) {
            String[] nt = t.split("\t");
            String q = "`" + db + "`.`" + nt[0] + "`";
            if (nt[1].equals("VIEW")) {
                // View, Create View, character_set_client, collation_connection
                f.addAll(asCreated ? rows(s, "SHOW CREATE VIEW " + q) : rows(s, "SHOW CREATE VIEW " + q, 3, 4));
            } else {
                f.add(nt[0] + " checksum " + rows(s, "CHECKSUM TABLE " + q, 1));
                f.addAll(rows(s, "SHOW CREATE TABLE " + q));
            }
        }
        for (String r : rows(s, "SELECT ROUTINE_TYPE, ROUTINE_NAME FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '"
                + db + "' ORDER BY 1, 2")) {
            String[] tn = r.split("\t");
            // name, sql_mode, Create ..., character_set_client, collation_connection, Database Collation
            String show = "SHOW CREATE " + tn[0] + " `" + db + "`.`" + tn[1] + "`";
            f.addAll(asCreated ? rows(s, show) : rows(s, show, 4, 5));
        }
        for (String r : rows(s, "SELECT TRIGGER_NAME FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = '"
                + db + "' ORDER BY 1")) {
            // Trigger, sql_mode, SQL Original Statement, character_set_client, collation_connection,
            // Database Collation, Created
            String show = "SHOW CREATE TRIGGER `" + db + "`.`" + r.strip() + "`";
            f.addAll(asCreated ? rows(s, show, 7) : rows(s, show, 4, 5, 7));
        }
        if (asCreated) {
            for (String r : rows(s, "SELECT EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_SCHEMA = '"
                    + db + "' ORDER BY 1")) {
                f.addAll(rows(s, "SHOW CREATE EVENT `" + db + "`.`" + r.strip() + "`"));
            }
        }
        return f.stream().map(line -> line.replace("`" + db + "`", "`DB`")).toList();
    }

    /**
     * A whole instance as an application sees it: its databases (but devdb's own), {@link #database}
     * of each of {@code databases} as created, and every account with its grants.
     */
    static List<String> instance(Statement s, List<String> databases) throws SQLException {
        List<String> f = new ArrayList<>(rows(s, "SELECT SCHEMA_NAME FROM information_schema.SCHEMATA"
                + " WHERE LEFT(SCHEMA_NAME, 6) <> '_devdb' ORDER BY 1"));
        for (String db : databases) {
            f.add("database " + db);
            f.addAll(database(s, db, Objects.AS_CREATED));
        }
        for (String u : rows(s, "SELECT User, Host FROM mysql.user ORDER BY 1, 2")) {
            String[] uh = u.split("\t");
            f.add(u);
            f.addAll(rows(s, "SHOW GRANTS FOR '" + uh[0] + "'@'" + uh[1] + "'"));
        }
        return f;
    }
}
