package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Binlog;
import dev.devdb.mysql.ChangeStream;
import dev.devdb.mysql.Flavor;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Change data capture on CDC-ready instances: connector configurations and a live view of row changes. */
public final class Cdc {
    /** One Kafka bootstrap server: HOST:PORT, the host a name, an IPv4 address or one in brackets. */
    private static final String BOOTSTRAP_SERVER = "(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\\[[0-9A-Fa-f:.]+\\])"
            + ":[0-9]{1,5}";
    /** Kafka bootstrap servers: one or more, comma separated. */
    private static final Pattern BOOTSTRAP_SERVERS = Pattern.compile(BOOTSTRAP_SERVER + "(?:," + BOOTSTRAP_SERVER + ")*");

    /** The server id a Debezium connector gets by default: apart from the ids of a topology's members. */
    public static final long CONNECTOR_SERVER_ID = 5400;
    private static final List<String> SYSTEM_DATABASES = List.of("mysql", "sys", "performance_schema",
            "information_schema");
    private static final Pattern TABLE = Pattern.compile("[^.\\s]+\\.[^.\\s]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Engine engine;
    private final Instances instances;

    public Cdc(Engine engine, Instances instances) {
        this.engine = engine;
        this.instances = instances;
    }

    /**
     * What {@code cdc config} prints.
     *
     * @param network give the host name and port on the instance's --network instead of the host's
     * @param kafka bootstrap servers for the connector's schema history
     * @param topicPrefix the topic prefix, or null for the instance name
     * @param serverId the connector's server id, or null for {@link #CONNECTOR_SERVER_ID}
     * @param databases databases to capture; empty for the instance's own
     */
    public record ConfigRequest(boolean network, String kafka, String topicPrefix, Long serverId,
            List<String> databases) {}

    /**
     * A Debezium connector registration for an instance, as Kafka Connect's REST API takes it:
     * {@code name} and {@code config}, with Debezium's own property names.
     */
    public Map<String, Object> connectorConfig(String name, ConfigRequest request) {
        Instance instance = instances.get(name);
        ContainerInfo c = cdcReady(instance);
        String password = c.env().get(Instances.CDC_PASSWORD_ENV);
        String host;
        int port;
        if (request.network()) {
            if (c.label(Labels.NETWORK) == null) {
                throw new DevDbException(ExitCodes.USAGE, "instance " + instance.name()
                        + " is on no network of yours; recreate it with `devdb up --cdc --network NET --recreate`");
            }
            host = c.label(Labels.NETWORK_ALIAS) != null ? c.label(Labels.NETWORK_ALIAS) : instance.name();
            port = 3306;
        } else {
            if (instance.port() == null) {
                throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + instance.name() + " is "
                        + instance.state() + "; start it again with `devdb up --recreate`");
            }
            host = instance.host();
            port = instance.port();
        }
        long serverId = request.serverId() != null ? request.serverId() : CONNECTOR_SERVER_ID;
        if (serverId < 1 || serverId > 4294967295L) {
            throw new DevDbException(ExitCodes.USAGE, "--server-id must be between 1 and 4294967295");
        }
        if (c.label(Labels.SERVER_ID) != null && Long.parseLong(c.label(Labels.SERVER_ID)) == serverId) {
            throw new DevDbException(ExitCodes.USAGE, "--server-id " + serverId + " is the server's own id; "
                    + "a connector needs another one");
        }
        String prefix = request.topicPrefix() != null ? request.topicPrefix() : instance.name();
        if (!prefix.matches("[A-Za-z0-9._-]+")) {
            throw new DevDbException(ExitCodes.USAGE, "topic prefix '" + prefix
                    + "' may use only letters, digits, '.', '_' and '-'");
        }
        for (String db : request.databases()) {
            if (!db.matches("[A-Za-z0-9_$]{1,64}")) {
                throw new DevDbException(ExitCodes.USAGE, "--database '" + db + "' is not a database name: use letters,"
                        + " digits, '_' or '$' (up to 64), one per --database");
            }
        }
        if (!BOOTSTRAP_SERVERS.matcher(request.kafka()).matches() || java.util.Arrays.stream(request.kafka().split(","))
                .mapToInt(s -> Integer.parseInt(s.substring(s.lastIndexOf(':') + 1))).anyMatch(p -> p < 1 || p > 65535)) {
            throw new DevDbException(ExitCodes.USAGE, "--kafka '" + request.kafka() + "' is not HOST:PORT[,HOST:PORT...];"
                    + " give the bootstrap servers of the Kafka the connector writes its schema history to, e.g."
                    + " kafka:9092");
        }
        List<String> databases = request.databases().isEmpty() ? List.of(instance.database()) : request.databases();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("connector.class", instance.flavor() == Flavor.MARIADB
                ? "io.debezium.connector.mariadb.MariaDbConnector" : "io.debezium.connector.mysql.MySqlConnector");
        config.put("tasks.max", "1");
        config.put("database.hostname", host);
        config.put("database.port", Integer.toString(port));
        config.put("database.user", Binlog.CDC_USER);
        config.put("database.password", password);
        config.put("database.server.id", Long.toString(serverId));
        config.put("topic.prefix", prefix);
        config.put("database.include.list", String.join(",", databases));
        config.put("schema.history.internal.kafka.bootstrap.servers", request.kafka());
        config.put("schema.history.internal.kafka.topic", "schema-changes." + prefix);
        config.put("include.schema.changes", "true");
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("name", prefix + "-connector");
        registration.put("config", config);
        return registration;
    }

    /** Receives what {@link #watch} sees. */
    public interface ChangeListener {
        /** The stream is open, starting at this binary log position. */
        void connected(Instance instance, String position);

        /** A row changed; return false to stop watching. */
        boolean change(ChangeStream.Change change);
    }

    /** A running watch; {@link #stop} ends it from another thread (Ctrl-C). */
    public static final class Watch {
        private volatile boolean stopped;

        public void stop() {
            stopped = true;
        }
    }

    /**
     * Follows an instance's row changes until the listener or {@link Watch#stop} ends it. devdb
     * connects as a replica with the connector user and a random server id of its own.
     *
     * @param tables {@code db.table} or {@code db.*} patterns; empty for every non-system table
     */
    public void watch(String name, List<String> tables, Watch watch, ChangeListener listener) {
        for (String t : tables) {
            if (!TABLE.matcher(t).matches()) {
                throw new DevDbException(ExitCodes.USAGE, "--table '" + t + "' is not DATABASE.TABLE (or DATABASE.*)");
            }
        }
        Instance instance = instances.get(name);
        ContainerInfo c = cdcReady(instance);
        if (instance.port() == null) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + instance.name() + " is " + instance.state()
                    + "; start it again with `devdb up --recreate`");
        }
        long serverId = 100_000 + RANDOM.nextInt(1 << 30);
        ChangeStream stream;
        try {
            stream = ChangeStream.open(instance.host(), instance.port(), Binlog.CDC_USER,
                    c.env().get(Instances.CDC_PASSWORD_ENV), serverId, ChangeStream.tables(tables, SYSTEM_DATABASES),
                    Duration.ofSeconds(10));
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.FAILURE, "cannot read the binary log of " + instance.name() + ": "
                    + e.getMessage(), e);
        }
        try (stream) {
            listener.connected(instance, stream.position());
            while (!watch.stopped) {
                ChangeStream.Change change = stream.next(Duration.ofMillis(200));
                if (change != null && !listener.change(change)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (!watch.stopped) {
                throw new DevDbException(ExitCodes.FAILURE, "watching " + instance.name() + " ended: "
                        + e.getMessage(), e);
            }
        }
    }

    /** The instance's container, when it was started for change data capture. */
    private ContainerInfo cdcReady(Instance instance) {
        ContainerInfo c = engine.inspect(instance.containerId()).orElseThrow(() -> instances.noSuchInstance(
                instance.name()));
        if (!"true".equals(c.label(Labels.CDC)) || c.env().get(Instances.CDC_PASSWORD_ENV) == null) {
            throw new DevDbException(ExitCodes.USAGE, "instance " + instance.name() + " is not CDC-ready; start it "
                    + "with `devdb up " + instance.profile() + " --name " + instance.name() + " --cdc --recreate`");
        }
        return c;
    }
}
