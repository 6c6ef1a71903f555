package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.ExitCodes;
import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ContainerSpec;
import dev.devdb.engine.ExecResult;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** up --replicas, --cdc and --network, ps, down and cdc config on the in-memory engine. */
@Timeout(60)
class TopologyCommandTest {
    private static final String IMAGE = "devdb-test/mysql:9.7";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String RUNNING = """
            *************************** 1. row ***************************
                       Replica_IO_Running: Yes
                      Replica_SQL_Running: Yes
                              Source_Host: db
                            Last_IO_Error:\s
                           Last_SQL_Error:\s
                    Seconds_Behind_Source: 0
            *************************** 2. row ***************************
            Devdb_Caught_Up: 1
            """;

    @RegisterExtension
    final TestCli cli = TestCli.withImages(IMAGE);

    /** Answers the status query with {@code status}, the source position query with a GTID set. */
    private void replicasAnswer(String status) {
        cli.engine.execResponder(command -> {
            String all = String.join(" ", command);
            if (all.contains("SHOW REPLICA STATUS")) {
                return new ExecResult(0, status, "");
            }
            if (all.contains("gtid_executed")) {
                return new ExecResult(0, "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5\n", "");
            }
            return new ExecResult(0, "", "");
        });
    }

    private static JsonNode json(TestCli.Run run) throws IOException {
        return JSON.readTree(run.out());
    }

    @Test
    void replicas_start_from_the_primarys_data_with_their_own_server_ids_on_a_private_network() throws IOException {
        replicasAnswer(RUNNING);
        TestCli.Run run = cli.run("up", "mysql9", "--name", "db", "--replicas", "2", "--json").exits(ExitCodes.OK);

        JsonNode out = json(run);
        assertEquals(2, out.get("replicas").size(), run::describe);
        assertEquals("db-r1", out.get("replicas").get(0).get("name").asText());
        assertTrue(cli.engine.networkNames().contains("devdb-db"), run::describe);
        for (String member : List.of("db", "db-r1", "db-r2")) {
            assertTrue(cli.engine.calls().contains("connectNetwork devdb-" + member + " devdb-db " + member),
                    cli.engine.calls()::toString);
        }
        ContainerSpec primary = cli.engine.spec("devdb-db");
        ContainerSpec replica = cli.engine.spec("devdb-db-r2");
        assertTrue(primary.command().contains("--server-id=1"), primary.command()::toString);
        assertFalse(primary.command().contains("--read-only=ON"), primary.command()::toString);
        assertTrue(replica.command().containsAll(List.of("--server-id=3", "--read-only=ON", "--super-read-only=ON")),
                replica.command()::toString);
        assertEquals(cli.engine.container("devdb-db").orElseThrow().label("devdb.cache-key"),
                cli.engine.container("devdb-db-r2").orElseThrow().label("devdb.cache-key"));
        assertTrue(replica.image().startsWith("devdb-cache:"), "replicas start from the initialised data");
        ContainerInfo r = cli.engine.container("devdb-db-r1").orElseThrow();
        assertEquals("replica", r.label("devdb.role"));
        assertEquals("db", r.label("devdb.topology"));
        assertEquals("2", cli.engine.container("devdb-db").orElseThrow().label("devdb.replicas"));
        assertTrue(String.join(" ", replica.entrypoint()).contains("rm -f /var/lib/devdb/data/auto.cnf"),
                "a replica forgets the cached server_uuid: " + replica.entrypoint());

        String replicationPassword = r.env().get("MYSQL_REPLICATION_PASSWORD");
        assertTrue(replicationPassword != null && replicationPassword.length() >= 20);
        for (String call : cli.engine.calls()) {
            assertFalse(call.contains(replicationPassword), "password in a command: " + call);
        }
        assertTrue(cli.engine.calls().stream().anyMatch(c -> c.startsWith("exec devdb-db-r1 sh -c")),
                "replication is configured from a file in the container");
    }

    @Test
    void ps_shows_role_source_and_lag_of_each_member() {
        replicasAnswer(RUNNING);
        cli.run("up", "mysql9", "--name", "db", "--replicas", "1").exits(ExitCodes.OK);

        TestCli.Run ps = cli.run("ps").exits(ExitCodes.OK);
        List<String> lines = ps.outLines();
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("db\t") && l.endsWith("\tprimary\t-\t-")),
                ps::describe);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("db-r1\t") && l.endsWith("\treplica\tdb\t0s")),
                ps::describe);
    }

    @Test
    void a_replica_that_does_not_replicate_shows_its_error_and_up_leaves_nothing() {
        replicasAnswer("""
                *************************** 1. row ***************************
                           Replica_IO_Running: No
                          Replica_SQL_Running: Yes
                                Last_IO_Error: Fatal error: The replica I/O thread stops because source and replica have equal MySQL server UUIDs
                               Last_SQL_Error:\s
                """);
        TestCli.Run run = cli.run("up", "mysql9", "--name", "db", "--replicas", "1").exits(ExitCodes.SERVER_FAILED);

        assertTrue(run.err().contains("Last_IO_Error: Fatal error: The replica I/O thread stops"), run::describe);
        assertTrue(run.err().contains("replica db-r1 does not replicate from db"), run::describe);
        assertEquals(List.of(), cli.engine.containerNames(), run::describe);
        assertFalse(cli.engine.networkNames().contains("devdb-db"), run::describe);
    }

    @Test
    void down_of_the_primary_removes_the_whole_topology_and_its_network() {
        replicasAnswer(RUNNING);
        cli.run("up", "mysql9", "--name", "db", "--replicas", "2").exits(ExitCodes.OK);

        TestCli.Run down = cli.run("down", "db").exits(ExitCodes.OK);
        assertEquals(List.of("devdb: removed db", "devdb: removed db-r1", "devdb: removed db-r2"), down.errLines());
        assertEquals(List.of(), cli.engine.containerNames());
        assertFalse(cli.engine.networkNames().contains("devdb-db"));
    }

    @Test
    void resetting_a_replica_alone_is_refused() {
        replicasAnswer(RUNNING);
        cli.run("up", "mysql9", "--name", "db", "--replicas", "1").exits(ExitCodes.OK);

        TestCli.Run reset = cli.run("reset", "db-r1").exits(ExitCodes.USAGE);
        assertTrue(reset.err().contains("db-r1 is a replica of db; reset the whole topology with `devdb reset db`"),
                reset::describe);
    }

    @Test
    void cdc_config_prints_a_debezium_registration_with_the_connector_user() throws IOException {
        cli.run("up", "mysql9", "--name", "db", "--cdc").exits(ExitCodes.OK);
        ContainerInfo c = cli.engine.container("devdb-db").orElseThrow();
        String password = c.env().get("MYSQL_CDC_PASSWORD");
        assertEquals("true", c.label("devdb.cdc"));

        TestCli.Run run = cli.run("cdc", "config", "db", "--kafka", "broker:29092").exits(ExitCodes.OK);
        JsonNode config = json(run).get("config");
        assertEquals("db-connector", json(run).get("name").asText());
        assertEquals("io.debezium.connector.mysql.MySqlConnector", config.get("connector.class").asText());
        assertEquals("127.0.0.1", config.get("database.hostname").asText());
        assertEquals(Integer.toString(c.hostPort()), config.get("database.port").asText());
        assertEquals("cdc", config.get("database.user").asText());
        assertEquals(password, config.get("database.password").asText());
        assertEquals("5400", config.get("database.server.id").asText());
        assertEquals("db", config.get("topic.prefix").asText());
        assertEquals("app", config.get("database.include.list").asText());
        assertEquals("broker:29092", config.get("schema.history.internal.kafka.bootstrap.servers").asText());
        assertEquals("schema-changes.db", config.get("schema.history.internal.kafka.topic").asText());

        String script = cli.engine.file("devdb-db", "/docker-entrypoint-initdb.d/000-devdb-cdc-user.sh");
        assertTrue(script.contains("\"$MYSQL_CDC_PASSWORD\"") && !script.contains(password), script);

        TestCli.Run noNetwork = cli.run("cdc", "config", "db", "--network").exits(ExitCodes.USAGE);
        assertTrue(noNetwork.err().contains("is on no network of yours"), noNetwork::describe);
    }

    @Test
    void cdc_config_on_the_network_uses_the_alias_and_port_3306() throws IOException {
        cli.engine.withNetwork("kafka-net");
        cli.run("up", "mariadb10", "--name", "db", "--cdc", "--network", "kafka-net", "--alias", "mariadb")
                .exits(ExitCodes.OK);
        assertTrue(cli.engine.calls().contains("connectNetwork devdb-db kafka-net mariadb"), cli.engine.calls()::toString);

        JsonNode config = json(cli.run("cdc", "config", "db", "--network").exits(ExitCodes.OK)).get("config");
        assertEquals("io.debezium.connector.mariadb.MariaDbConnector", config.get("connector.class").asText());
        assertEquals("mariadb", config.get("database.hostname").asText());
        assertEquals("3306", config.get("database.port").asText());
    }

    @Test
    void a_missing_network_is_named() {
        TestCli.Run run = cli.run("up", "mysql9", "--network", "nope").exits(ExitCodes.USAGE);
        assertTrue(run.err().contains("Docker network nope does not exist"), run::describe);
        assertEquals(List.of(), cli.engine.containerNames());
    }

    @Test
    void cdc_commands_refuse_an_instance_without_cdc() {
        cli.run("up", "mysql9", "--name", "plain").exits(ExitCodes.OK);
        TestCli.Run run = cli.run("cdc", "config", "plain").exits(ExitCodes.USAGE);
        assertTrue(run.err().contains("instance plain is not CDC-ready"), run::describe);
        TestCli.Run watch = cli.run("cdc", "watch", "plain").exits(ExitCodes.USAGE);
        assertTrue(watch.err().contains("instance plain is not CDC-ready"), watch::describe);
    }

    @Test
    void pruning_an_expired_topology_removes_its_network_too() {
        replicasAnswer(RUNNING);
        cli.run("up", "mysql9", "--name", "db", "--replicas", "1", "--ttl", "1s").exits(ExitCodes.OK);
        cli.clock.advance(java.time.Duration.ofSeconds(2));

        TestCli.Run prune = cli.run("prune").exits(ExitCodes.OK);
        assertEquals(List.of(), cli.engine.containerNames(), prune::describe);
        assertFalse(cli.engine.networkNames().contains("devdb-db"), prune::describe);
    }

    @Test
    void an_instance_where_a_replica_would_go_is_named_and_left_alone() {
        cli.run("up", "mysql9", "--name", "db-r1").exits(ExitCodes.OK);

        TestCli.Run run = cli.run("up", "mysql9", "--name", "db", "--replicas", "1").exits(ExitCodes.NAME_CONFLICT);
        assertTrue(run.err().contains("a container named devdb-db-r1 exists, where replica 1 of db would go"),
                run::describe);
        assertEquals(List.of("devdb-db-r1"), cli.engine.containerNames());
    }
}
