package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.shyiko.mysql.binlog.BinaryLogClient;
import com.github.shyiko.mysql.binlog.event.DeleteRowsEventData;
import com.github.shyiko.mysql.binlog.event.EventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.UpdateRowsEventData;
import com.github.shyiko.mysql.binlog.event.WriteRowsEventData;
import com.github.shyiko.mysql.binlog.event.deserialization.EventDeserializer;
import dev.devdb.engine.DockerEngine;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** CDC-ready instances of every server under test: server settings, the connector user, cdc config and cdc watch. */
class CdcIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static String network;

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
        network = "cdc-it-" + UUID.randomUUID().toString().substring(0, 8);
        engine.createNetwork(network, Map.of("devdb-it", "true"));
    }

    @AfterAll
    static void tearDown() {
        for (String base : Versions.all().toList()) {
            cli.run("down", "cdc-it-" + base);
        }
        engine.removeNetwork(network);
        engine.close();
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void a_cdc_instance_streams_row_changes_with_column_names_to_its_connector_user(String base) throws Exception {
        String name = "cdc-it-" + base;
        Cli.Result up = cli.run("up", base, "--name", name, "--cdc", "--network", network, "--alias", "db-" + base,
                "--json");
        assertEquals(0, up.exitCode(), up::toString);
        JsonNode instance = up.json();
        Versions.Server server = Versions.of(base);
        boolean mysql = server.mysql();

        try (Connection c = Cli.connect(instance)) {
            assertEquals("ON", Cli.variable(c, "log_bin"));
            assertEquals("ROW", Cli.variable(c, "binlog_format"));
            assertEquals("FULL", Cli.variable(c, "binlog_row_image"));
            assertEquals("FULL", Cli.variable(c, "binlog_row_metadata"));
            assertEquals("1", Cli.variable(c, "server_id"));
            if (mysql || server.atLeast(10, 6)) {
                assertEquals("604800", Cli.variable(c, "binlog_expire_logs_seconds"));
            } else {
                // MariaDB 10.5 keeps binary logs by days only
                assertNull(Cli.variable(c, "binlog_expire_logs_seconds"));
                assertEquals("7", Cli.variable(c, "expire_logs_days"));
            }
            if (!mysql && server.atLeast(11, 4)) {
                // connectors need the legacy event positions on MariaDB 11.4 and later
                assertEquals("ON", Cli.variable(c, "binlog_legacy_event_pos"));
            }
            if (mysql) {
                assertEquals("ON", Cli.variable(c, "gtid_mode"));
                assertEquals("ON", Cli.variable(c, "enforce_gtid_consistency"));
            }
        }

        Cli.Result config = cli.run("cdc", "config", name);
        assertEquals(0, config.exitCode(), config::toString);
        JsonNode connector = config.json().get("config");
        assertEquals(mysql ? "io.debezium.connector.mysql.MySqlConnector"
                : "io.debezium.connector.mariadb.MariaDbConnector", connector.get("connector.class").asText());
        assertEquals("127.0.0.1", connector.get("database.hostname").asText());
        assertEquals(instance.get("port").asText(), connector.get("database.port").asText());
        assertEquals("app", connector.get("database.include.list").asText());
        assertEquals(name, connector.get("topic.prefix").asText());
        assertTrue(connector.get("database.server.id").asLong() > 1, config::toString);
        assertNotNull(connector.get("schema.history.internal.kafka.bootstrap.servers"), config::toString);
        String user = connector.get("database.user").asText();
        String password = connector.get("database.password").asText();
        assertEquals("cdc", user);

        Cli.Result inNetwork = cli.run("cdc", "config", name, "--network");
        assertEquals(0, inNetwork.exitCode(), inNetwork::toString);
        assertEquals("db-" + base, inNetwork.json().get("config").get("database.hostname").asText());
        assertEquals("3306", inNetwork.json().get("config").get("database.port").asText());
        var attached = Docker.client().inspectContainerCmd(TestScope.container(name)).exec().getNetworkSettings().getNetworks()
                .get(network);
        assertNotNull(attached, "not attached to " + network);
        assertTrue(attached.getAliases().contains("db-" + base), attached::toString);

        String flavor = mysql ? "mysql" : "mariadb";
        int port = instance.get("port").asInt();
        try (Connection c = Cli.connect(flavor, port, "", user, password); Statement s = c.createStatement();
                ResultSet r = s.executeQuery("SHOW GRANTS")) {
            assertTrue(r.next());
            String grants = r.getString(1);
            Set<String> privileges = new TreeSet<>(List.of(grants.substring(6, grants.indexOf(" ON *.*")).split(", ")));
            assertEquals(new TreeSet<>(mysql
                    ? List.of("SELECT", "RELOAD", "SHOW DATABASES", "REPLICATION SLAVE", "REPLICATION CLIENT",
                            "LOCK TABLES")
                    // MariaDB 10.5+ calls REPLICATION CLIENT by its new name
                    : List.of("SELECT", "RELOAD", "SHOW DATABASES", "REPLICATION SLAVE", "BINLOG MONITOR",
                            "LOCK TABLES")), privileges, grants);
        }

        // A binary log client with the printed credentials, and `cdc watch --json`, both see the changes.
        List<EventData> events = new CopyOnWriteArrayList<>();
        BinaryLogClient client = new BinaryLogClient("127.0.0.1", instance.get("port").asInt(), user, password);
        client.setServerId(987_654);
        client.setKeepAlive(false);
        EventDeserializer deserializer = new EventDeserializer();
        deserializer.setCompatibilityMode(EventDeserializer.CompatibilityMode.CHAR_AND_BINARY_AS_BYTE_ARRAY);
        client.setEventDeserializer(deserializer);
        client.registerEventListener(e -> {
            if (e.getData() != null) {
                events.add(e.getData());
            }
        });
        client.connect(10_000);
        ExecutorService background = Executors.newSingleThreadExecutor();
        String root = engine.inspect(TestScope.container(name)).orElseThrow().env().get("MYSQL_ROOT_PASSWORD");
        try (Connection c = Cli.connect(flavor, port, "", "root", root)) {
            int dumpThreads = binlogDumps(c, user);
            Future<Cli.Result> watch = background.submit(() -> cli.run("cdc", "watch", name, "--json",
                    "--table", "app.items", "--limit", "3"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (binlogDumps(c, user) <= dumpThreads && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(binlogDumps(c, user) > dumpThreads, "cdc watch did not connect");

            Cli.Result dml = cli.run("shell", name, "-e", "CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20));"
                    + " CREATE TABLE other (x INT); INSERT INTO other VALUES (7);"
                    + " INSERT INTO items VALUES (1, 'one'); UPDATE items SET name = 'uno' WHERE id = 1;"
                    + " DELETE FROM items WHERE id = 1;");
            assertEquals(0, dml.exitCode(), dml::toString);

            Cli.Result watched = watch.get(30, TimeUnit.SECONDS);
            assertEquals(0, watched.exitCode(), watched::toString);
            List<JsonNode> lines = new ArrayList<>();
            for (String line : watched.out().split("\n")) {
                lines.add(Cli.JSON.readTree(line));
            }
            assertEquals(3, lines.size(), watched::toString);
            assertEquals("insert", lines.get(0).get("op").asText());
            assertEquals("app", lines.get(0).get("database").asText());
            assertEquals("items", lines.get(0).get("table").asText());
            assertTrue(lines.get(0).get("before").isNull());
            assertEquals(1, lines.get(0).get("after").get("id").asInt());
            assertEquals("one", lines.get(0).get("after").get("name").asText());
            assertEquals("update", lines.get(1).get("op").asText());
            assertEquals("one", lines.get(1).get("before").get("name").asText());
            assertEquals("uno", lines.get(1).get("after").get("name").asText());
            assertEquals("delete", lines.get(2).get("op").asText());
            assertEquals("uno", lines.get(2).get("before").get("name").asText());
            assertTrue(lines.get(2).get("after").isNull());
            assertNotNull(lines.get(0).get("time").asText());
        } finally {
            background.shutdownNow();
        }

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rowEvents(events).size() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        client.disconnect();
        List<EventData> rows = rowEvents(events);
        assertEquals(3, rows.size(), events::toString);
        TableMapEventData map = (TableMapEventData) events.stream()
                .filter(e -> e instanceof TableMapEventData t && t.getTable().equals("items")).findFirst().orElseThrow();
        assertEquals("app", map.getDatabase());
        assertEquals(List.of("id", "name"), map.getEventMetadata().getColumnNames());
        Serializable[] inserted = ((WriteRowsEventData) rows.get(0)).getRows().get(0);
        assertEquals(1, inserted[0]);
        assertEquals("one", text(inserted[1]));
        Map.Entry<Serializable[], Serializable[]> updated = ((UpdateRowsEventData) rows.get(1)).getRows().get(0);
        assertEquals("one", text(updated.getKey()[1]));
        assertEquals("uno", text(updated.getValue()[1]));
        Serializable[] deleted = ((DeleteRowsEventData) rows.get(2)).getRows().get(0);
        assertEquals(1, deleted[0]);
        assertEquals("uno", text(deleted[1]));
    }

    /** The row events about table items, in order. */
    private static List<EventData> rowEvents(List<EventData> events) {
        List<EventData> rows = new ArrayList<>();
        long itemsId = -1;
        for (EventData e : events) {
            if (e instanceof TableMapEventData t) {
                itemsId = t.getTable().equals("items") ? t.getTableId() : itemsId;
            } else if (e instanceof WriteRowsEventData w && w.getTableId() == itemsId
                    || e instanceof UpdateRowsEventData u && u.getTableId() == itemsId
                    || e instanceof DeleteRowsEventData d && d.getTableId() == itemsId) {
                rows.add(e);
            }
        }
        return rows;
    }

    private static String text(Serializable cell) {
        return new String((byte[]) cell, StandardCharsets.UTF_8);
    }

    /** How many binary log dump threads the connector user has open (seen as root). */
    private static int binlogDumps(Connection c, String user) throws Exception {
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SHOW FULL PROCESSLIST")) {
            int n = 0;
            while (r.next()) {
                if (user.equals(r.getString("User")) && r.getString("Command").startsWith("Binlog Dump")) {
                    n++;
                }
            }
            return n;
        }
    }
}
