package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ContainerSpec;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ImageInfo;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.Sql;
import dev.devdb.schema.Catalog;
import dev.devdb.schema.Change;
import dev.devdb.schema.Database;
import dev.devdb.schema.Dialect;
import dev.devdb.schema.Migration;
import dev.devdb.schema.Schema;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * What changed in an instance's schema since its {@code up} (the seed state its cache entry holds) or
 * since a snapshot. The old state is read from a short-lived server started on that image beside the
 * instance, which is left alone; that server is removed whatever happens, Ctrl-C included.
 */
public final class Diffs {
    /** {@code --since} for the state right after up. */
    public static final String SINCE_UP = "up";
    /** How long a leftover short-lived server may stay before {@code devdb prune} removes it. */
    private static final Duration EXPIRY = Duration.ofMinutes(15);
    /** Labels an image carries from the instance it was made from, which must not make its server a second one. */
    private static final List<String> INSTANCE_LABELS = List.of(Labels.NAME, Labels.ROLE, Labels.TOPOLOGY,
            Labels.REPLICAS, Labels.NETWORK, Labels.NETWORK_ALIAS, Labels.FIXED_PORT, Labels.CDC, Labels.CACHE_KEY,
            Labels.CACHE, Labels.SNAPSHOT, Labels.SNAPSHOT_OF, Labels.CONFIG_HASH, Labels.EXPIRES);

    private final Engine engine;
    private final Instances instances;
    private final Scope scope;
    private final Clock clock;

    public Diffs(Engine engine, Instances instances, Clock clock) {
        this.engine = engine;
        this.instances = instances;
        this.scope = instances.scope();
        this.clock = clock;
    }

    /**
     * Rows in a table before and after.
     *
     * @param before null when the table did not exist
     * @param after null when it does not exist now
     */
    public record RowCount(String database, String table, Long before, Long after) {}

    /**
     * A comparison.
     *
     * @param instance the instance compared
     * @param since {@code up} or the snapshot's tag
     * @param old the schema then
     * @param now the schema now
     * @param changes what changed
     * @param dialect the instance's server, for DDL
     * @param rows with data: row counts of every table before and after, else empty
     */
    public record Result(Instance instance, String since, Schema old, Schema now, List<Change> changes,
            Dialect dialect, List<RowCount> rows) {

        /** The DDL that turns the old schema into the new one. */
        public String sql() {
            return Migration.sql(old, now, changes, dialect);
        }
    }

    /**
     * Compares an instance's schema now with an earlier state.
     *
     * @param name the instance, or null for the only one
     * @param since {@link #SINCE_UP} or a snapshot's tag
     * @param data also count every table's rows, before and after
     */
    public Result diff(String name, String since, boolean data, Duration timeout, UpListener listener) {
        ContainerInfo c = instances.inspectInstance(name);
        Instance instance = Instance.of(c, engine.endpoint());
        if (!instance.running()) {
            throw ServerClient.notRunning(instance);
        }
        String image = oldImage(c, instance, since);
        Launcher launcher = instances.launcher();
        Cleanup cleanup = launcher.cleanup();
        String token = Passwords.generate(16).toLowerCase(Locale.ROOT);
        return cleanup.guard("diff", () -> cleanup.removeByToken(token, null), () -> {
            try {
                String id = startOld(launcher, c, image, token, listener);
                ServerClient current = new ServerClient(engine, instance);
                Schema now = read(current, instance);
                listener.step("waiting for the server on " + image);
                launcher.readiness().waitReady(id, "the server on " + image, timeout, listener, true, Seeds.NONE);
                Instance oldServer = Instance.of(engine.inspect(id).orElseThrow(() -> new DevDbException(
                        ExitCodes.SERVER_FAILED, "the server on " + image + " disappeared while starting")), engine.endpoint());
                ServerClient then = new ServerClient(engine, oldServer);
                Schema old = read(then, oldServer);
                List<Change> changes = dev.devdb.schema.SchemaDiff.compare(old, now);
                List<RowCount> rows = data ? rowCounts(then, old, current, now) : List.of();
                return new Result(instance, since, old, now, changes, Dialect.of(instance.flavor(), now.version()),
                        rows);
            } finally {
                cleanup.removeByToken(token, null);
            }
        });
    }

    /** The image holding the state to compare with: the instance's cache entry, or the snapshot. */
    private String oldImage(ContainerInfo c, Instance instance, String since) {
        if (since == null || since.equals(SINCE_UP)) {
            String key = c.label(Labels.CACHE_KEY);
            String image = key == null ? null : Labels.CACHE_REPOSITORY + ":" + key;
            if (image == null || engine.imageLabels(image) == null) {
                throw new DevDbException(ExitCodes.IMAGE, "the state of " + instance.name() + " right after its up"
                        + (image == null ? " was never kept" : " (" + image + ") is not in the cache")
                        + " (pruned, or `up --no-wait`); compare with a snapshot (`--since TAG`), or recreate the "
                        + "instance with `devdb up --recreate`");
            }
            return image;
        }
        Snapshots.checkTag(since);
        Snapshots snapshots = new Snapshots(engine, instances);
        ImageInfo image = snapshots.image(since);
        if (image == null) {
            throw new DevDbException(ExitCodes.SNAPSHOT, "no snapshot " + since + scope.describe() + "; "
                    + Snapshots.known(snapshots.list())
                    + "; or compare with the state after up (`--since up`)");
        }
        String want = c.label(Labels.BASE_IMAGE_ID);
        String have = image.label(Labels.BASE_IMAGE_ID);
        if (want == null || !want.equals(have)) {
            throw new DevDbException(ExitCodes.SNAPSHOT, "snapshot " + since + " was saved from "
                    + image.label(Labels.BASE_IMAGE) + " (" + Snapshots.shortId(have) + ") but " + instance.name()
                    + " runs " + c.label(Labels.IMAGE) + " (" + Snapshots.shortId(want) + "); diff compares only "
                    + "states of the same image");
        }
        return scope.snapshotImage(since);
    }

    /** Starts a server on the old state, beside the instance, with its configuration and fresh credentials. */
    private String startOld(Launcher launcher, ContainerInfo c, String image, String token, UpListener listener) {
        Flavor flavor = Flavor.parse(c.label(Labels.FLAVOR));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED, "true");
        INSTANCE_LABELS.forEach(l -> labels.put(l, ""));
        scope.stamp(labels);
        labels.put(Labels.UP_TOKEN, token);
        labels.put(Labels.EXPIRES, Long.toString(clock.instant().plus(EXPIRY).getEpochSecond()));
        Map<String, String> env = new LinkedHashMap<>();
        env.put("MYSQL_ROOT_PASSWORD", Passwords.generate(20));
        env.put("MYSQL_USER", c.label(Labels.USER));
        env.put("MYSQL_PASSWORD", Passwords.generate(20));
        String containerName = scope.containerName("diff-" + token.substring(0, 10));
        ContainerSpec spec = Launcher.spec(containerName, image, flavor, true, null, env, labels, null,
                longLabel(c, Labels.MEMORY), longLabel(c, Labels.CPUS));
        listener.step("starting a server on " + image + " beside " + c.label(Labels.NAME));
        String id = launcher.create(spec, containerName);
        Map<String, byte[]> config = new LinkedHashMap<>();
        engine.readFiles(c.id(), Launcher.CONF_DIR).forEach((file, bytes) -> {
            if (file.startsWith("devdb") && file.endsWith(".cnf")) {
                config.put(file, bytes);
            }
        });
        launcher.copyConfiguration(id, config, false);
        engine.start(id);
        return id;
    }

    private static Long longLabel(ContainerInfo c, String label) {
        String v = c.label(label);
        return v == null || v.isEmpty() ? null : Long.valueOf(v);
    }

    /** The schema of a server, in two round trips. */
    private static Schema read(ServerClient client, Instance server) {
        try {
            Catalog.Listing listing = Catalog.listing(client.query(Catalog.listQuery()));
            if (listing.hasPool()) {
                listing.exclude(client.query(Catalog.unhandedPoolQuery()).stream().map(r -> r.get(0)).toList());
            }
            return listing.schema(listing.empty() ? List.of() : client.query(listing.definitionsQuery()));
        } catch (ServerClient.SqlException e) {
            if (e.unreachable()) {
                throw ServerClient.unreachable(server, e);
            }
            throw new DevDbException(ExitCodes.FAILURE, "reading the schema of " + server.name() + " failed: "
                    + e.line(), e);
        } catch (IllegalStateException e) {
            throw new DevDbException(ExitCodes.FAILURE, "reading the schema of " + server.name() + " failed: "
                    + e.getMessage() + "; run diff again", e);
        }
    }

    /** Exact row counts of every table, before and after. */
    private static List<RowCount> rowCounts(ServerClient then, Schema old, ServerClient current, Schema now) {
        Map<List<String>, Long> before = count(then, old);
        Map<List<String>, Long> after = count(current, now);
        TreeSet<List<String>> keys = new TreeSet<>((a, b) -> a.get(0).equals(b.get(0)) ? a.get(1).compareTo(b.get(1))
                : a.get(0).compareTo(b.get(0)));
        keys.addAll(before.keySet());
        keys.addAll(after.keySet());
        List<RowCount> result = new ArrayList<>();
        for (List<String> k : keys) {
            result.add(new RowCount(k.get(0), k.get(1), before.get(k), after.get(k)));
        }
        return result;
    }

    private static Map<List<String>, Long> count(ServerClient client, Schema schema) {
        StringBuilder sql = new StringBuilder();
        for (Database d : schema.databases().values()) {
            for (String t : d.tables().keySet()) {
                sql.append("SELECT COUNT(*) FROM ").append(Sql.identifier(d.name())).append('.')
                        .append(Sql.identifier(t)).append(";\n");
            }
        }
        Map<List<String>, Long> counts = new LinkedHashMap<>();
        if (sql.length() == 0) {
            return counts;
        }
        List<List<String>> rows = client.query(sql.toString());
        int i = 0;
        for (Database d : schema.databases().values()) {
            for (String t : d.tables().keySet()) {
                counts.put(List.of(d.name(), t), Long.valueOf(rows.get(i++).get(0)));
            }
        }
        return counts;
    }
}
