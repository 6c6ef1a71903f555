package dev.devdb.cli;

import dev.devdb.core.Drift;
import dev.devdb.core.Durations;
import dev.devdb.core.Instance;
import dev.devdb.core.Replication;
import dev.devdb.engine.Endpoint;
import dev.devdb.mysql.ReplicaStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How instances look in output; the JSON field names here are documented and stable. */
final class Views {
    private Views() {}

    static Map<String, Object> connection(Instance i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("scope", i.scope());
        m.put("profile", i.profile());
        m.put("flavor", i.flavor() == null ? null : i.flavor().id());
        m.put("version", i.version());
        m.put("container", i.containerName());
        m.put("host", i.host());
        m.put("port", i.port());
        m.put("user", i.user());
        m.put("password", i.password());
        m.put("database", i.database());
        m.put("url", i.url());
        m.put("jdbcUrl", i.jdbcUrl());
        return m;
    }

    static Map<String, Object> listing(Instance i, Instant now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", i.name());
        m.put("scope", i.scope());
        m.put("profile", i.profile());
        m.put("flavor", i.flavor() == null ? null : i.flavor().id());
        m.put("version", i.version());
        m.put("state", i.state());
        m.put("host", i.host());
        m.put("port", i.port());
        m.put("container", i.containerName());
        m.put("image", i.image());
        m.put("created", i.created() == null ? null : i.created().toString());
        m.put("ageSeconds", i.created() == null ? null : Durations.age(i.created(), now).toSeconds());
        return m;
    }

    /**
     * The engine an instance runs on: {@code endpoint} (its URI), {@code chosenBy} ({@code DOCKER_HOST},
     * {@code DOCKER_CONTEXT}, {@code context} for the current one, {@code default}) and {@code context} (the
     * context's name, or null).
     */
    static Map<String, Object> engine(Endpoint endpoint) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint.uri());
        m.put("chosenBy", endpoint.origin().id());
        m.put("context", endpoint.context());
        return m;
    }

    /**
     * Adds whether the instance's profile still describes it: {@code drift}, what changed ({@code mycnf},
     * {@code seeds}, {@code image}, {@code version}, {@code profile}, or {@code ?} when unknown; empty when
     * nothing did), and {@code driftChanges}, each change in words.
     */
    static void addDrift(Map<String, Object> view, Drift drift) {
        view.put("drift", drift == null ? List.of(Drift.UNKNOWN) : drift.kinds());
        view.put("driftChanges", drift == null ? List.of() : drift.changes());
    }

    /** The DRIFT cell: {@code -}, or what changed. */
    static String drift(Drift drift) {
        if (drift == null) {
            return Drift.UNKNOWN;
        }
        return drift.none() ? "-" : String.join(",", drift.kinds());
    }

    static String age(Instance i, Instant now) {
        return i.created() == null ? "" : Durations.format(Durations.age(i.created(), now));
    }

    static String address(Instance i) {
        return i.port() == null ? "-" : i.address();
    }

    /** Adds a topology member's role, source and replication state to a listing; nothing for a standalone instance. */
    static void addRole(Map<String, Object> view, Replication.Member m) {
        if (m == null) {
            return;
        }
        view.put("role", m.role());
        view.put("source", m.source());
        if (m.status() != null) {
            view.put("ioThread", m.status().ioRunning());
            view.put("sqlThread", m.status().sqlRunning());
            view.put("lagSeconds", m.status().secondsBehind());
            String errors = m.status().errors();
            view.put("replicationError", errors.isEmpty() ? null : errors);
        }
    }

    /** A replica's lag for the ps table: seconds, or why there is none. */
    static String lag(Replication.Member m) {
        if (m == null || !"replica".equals(m.role())) {
            return "-";
        }
        ReplicaStatus s = m.status();
        if (s == null || !s.configured()) {
            return "?";
        }
        if (!s.running()) {
            return "stopped";
        }
        return s.secondsBehind() == null ? "?" : s.secondsBehind() + "s";
    }
}
