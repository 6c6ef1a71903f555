package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Binlog;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.ReplicaStatus;
import dev.devdb.mysql.ServerVersion;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replication inside a topology: a primary and replicas that start from the same initialised
 * data, so replicas begin at the primary's GTID position and never replay its initialisation.
 */
public final class Replication {
    /** How long a replica may keep failing to connect before up gives up on it. */
    private static final Duration CONNECT_GRACE = Duration.ofSeconds(20);

    private final Engine engine;
    private final ContainerSql sql;

    public Replication(Engine engine) {
        this.engine = engine;
        this.sql = new ContainerSql(engine);
    }

    /**
     * A member of a topology as {@code ps} shows it.
     *
     * @param role primary or replica
     * @param source the instance a replica replicates from; null for a primary
     * @param status a replica's replication state; null for a primary, or when it could not be read
     */
    public record Member(String role, String source, ReplicaStatus status) {}

    /**
     * Creates the replication user on the primary, points every replica at it and waits until
     * each one's threads run and it has applied everything the primary has.
     *
     * @param primary the primary, inspected (with its environment)
     * @param replicas the replicas, inspected
     */
    void start(ContainerInfo primary, List<ContainerInfo> replicas, Duration timeout, UpListener listener) {
        if (replicas.isEmpty()) {
            return;
        }
        Flavor flavor = Flavor.parse(primary.label(Labels.FLAVOR));
        ServerVersion version = ServerVersion.ofTag(primary.label(Labels.VERSION));
        String password = primary.env().get(Instances.REPLICATION_PASSWORD_ENV);
        if (password == null) {
            throw new DevDbException(ExitCodes.FAILURE, primary.label(Labels.NAME)
                    + " has no replication password; recreate the topology with `devdb up --recreate`");
        }
        String primaryName = primary.label(Labels.NAME);
        listener.step("creating the replication user on " + primaryName);
        sql.run(primary, Binlog.replicationUserSql(password));
        for (ContainerInfo r : replicas) {
            listener.step("starting replication on " + r.label(Labels.NAME) + " from " + primaryName);
            sql.run(r, Binlog.startReplicaSql(flavor, version, primaryName, password));
        }
        String position = normaliseGtids(sql.query(primary, Binlog.sourcePositionSql(flavor), false));
        long deadline = System.nanoTime() + timeout.toNanos();
        for (ContainerInfo r : replicas) {
            listener.step("waiting for " + r.label(Labels.NAME) + " to catch up with " + primaryName);
            awaitCaughtUp(r, flavor, version, primaryName, position, deadline, timeout, listener);
        }
    }

    private void awaitCaughtUp(ContainerInfo replica, Flavor flavor, ServerVersion version, String primaryName,
            String position, long deadline, Duration timeout, UpListener listener) {
        String name = replica.label(Labels.NAME);
        String query = Binlog.replicaStatusSql(flavor, version) + "; "
                + Binlog.caughtUpSql(flavor, position) + " AS Devdb_Caught_Up";
        long failingSince = 0;
        while (true) {
            String out = sql.query(replica, query, true);
            ReplicaStatus status = ReplicaStatus.parse(out);
            boolean caughtUp = "1".equals(ReplicaStatus.fields(out).get("Devdb_Caught_Up"));
            if (!status.configured()) {
                throw new DevDbException(ExitCodes.SERVER_FAILED, name + " is not configured as a replica of "
                        + primaryName + "; the topology was removed");
            }
            if (status.running() && caughtUp) {
                return;
            }
            String errors = status.errors();
            long now = System.nanoTime();
            if (!errors.isEmpty() && failingSince == 0) {
                failingSince = now;
            }
            boolean givingUp = status.stopped() && !errors.isEmpty()
                    || failingSince != 0 && now - failingSince > CONNECT_GRACE.toNanos();
            if (givingUp || now > deadline) {
                List<String> lines = new ArrayList<>();
                lines.add("replica " + name + ": IO thread " + status.ioRunning() + ", SQL thread "
                        + status.sqlRunning());
                if (!status.lastIoError().isBlank()) {
                    lines.add("Last_IO_Error: " + status.lastIoError().trim());
                }
                if (!status.lastSqlError().isBlank()) {
                    lines.add("Last_SQL_Error: " + status.lastSqlError().trim());
                }
                listener.serverErrors(lines);
                if (givingUp) {
                    throw new DevDbException(ExitCodes.SERVER_FAILED, "replica " + name + " does not replicate from "
                            + primaryName + ": " + errors + "; the topology was removed");
                }
                throw new DevDbException(ExitCodes.TIMEOUT, "replica " + name + " did not catch up with "
                        + primaryName + " within " + Durations.format(timeout)
                        + (errors.isEmpty() ? "" : " (" + errors + ")") + "; the topology was removed");
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while waiting for " + name);
            }
        }
    }

    /**
     * Roles of the topology members among the instances of a scope, by instance name, with
     * each running replica's state read from the server.
     */
    public Map<String, Member> members(Scope scope) {
        Map<String, Member> members = new LinkedHashMap<>();
        for (ContainerInfo c : scope.containers(engine)) {
            String role = c.label(Labels.ROLE);
            String name = c.label(Labels.NAME);
            if (role == null || name == null) {
                continue;
            }
            if (!"replica".equals(role)) {
                members.put(name, new Member(role, null, null));
                continue;
            }
            ReplicaStatus status = null;
            if (c.running()) {
                try {
                    ContainerInfo full = engine.inspect(c.id()).orElseThrow();
                    Flavor flavor = Flavor.parse(c.label(Labels.FLAVOR));
                    status = ReplicaStatus.parse(sql.query(full,
                            Binlog.replicaStatusSql(flavor, ServerVersion.ofTag(c.label(Labels.VERSION))), true));
                } catch (RuntimeException e) {
                    // not answering (yet): shown without a state
                }
            }
            members.put(name, new Member(role, c.label(Labels.TOPOLOGY), status));
        }
        return members;
    }

    /** A GTID set as the client prints it, without the line breaks MySQL puts after commas. */
    static String normaliseGtids(String printed) {
        return printed.replace("\\n", "").replaceAll("\\s", "");
    }
}
