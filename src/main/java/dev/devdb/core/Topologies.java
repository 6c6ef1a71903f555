package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Binlog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replication topologies: a primary with its replicas on a private network. Starts, checks, resets
 * and removes them as a whole; the members' containers are started by the {@link Launcher}.
 */
final class Topologies {
    private final Engine engine;
    private final Launcher launcher;
    private final Scope scope;

    Topologies(Engine engine, Launcher launcher, Scope scope) {
        this.engine = engine;
        this.launcher = launcher;
        this.scope = scope;
    }

    /** The name of replica {@code k} of {@code primary}. */
    static String replicaName(String primary, int k) {
        return primary + "-r" + k;
    }

    /** The private network of the topology whose primary is {@code primary}, in this scope. */
    String topologyNetwork(String primary) {
        return scope.containerName(primary);
    }

    /** The replicas of a primary, in order. */
    List<ContainerInfo> replicasOf(String primary) {
        return scope.containers(engine, Map.of(Labels.TOPOLOGY, primary)).stream()
                .filter(c -> "replica".equals(c.label(Labels.ROLE)))
                .sorted(Comparator.comparing((ContainerInfo c) -> c.label(Labels.NAME).length())
                        .thenComparing(c -> c.label(Labels.NAME)))
                .toList();
    }

    /**
     * The replicas of a running primary an {@code up} repeats, which must all be running.
     *
     * @param replicas how many the {@code up} asks for
     */
    List<Instance> runningReplicas(String name, int replicas) {
        List<Instance> members = new ArrayList<>();
        for (ContainerInfo r : replicasOf(name)) {
            if (!r.running()) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "replica " + r.label(Labels.NAME) + " of "
                        + name + " is " + r.state() + "; replace the topology with `devdb up --recreate`");
            }
            members.add(Instance.of(engine.inspect(r.id()).orElseThrow(), engine.endpoint()));
        }
        if (members.size() != replicas) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, name + " has " + members.size() + " of its "
                    + replicas + " replicas; replace the topology with `devdb up --recreate`");
        }
        return members;
    }

    /** Fails when a container already stands where one of the replicas of {@code name} would go. */
    void checkReplicaNamesFree(String name, int replicas) {
        for (int k = 1; k <= replicas; k++) {
            String member = replicaName(name, k);
            if (engine.inspect(scope.containerName(member)).isPresent()) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + scope.containerName(member)
                        + " exists, where replica " + k + " of " + name + " would go; remove it (`devdb down "
                        + member + "`) or pick another --name");
            }
        }
    }

    /** Creates the private network of a new topology, labelled with the token of the {@code up} creating it. */
    void createNetwork(String name, int replicas, String token, UpListener listener) {
        String topologyNetwork = topologyNetwork(name);
        listener.step("creating network " + topologyNetwork + " for " + name + " and its " + replicas
                + " replica" + (replicas == 1 ? "" : "s"));
        Map<String, String> networkLabels = new LinkedHashMap<>();
        networkLabels.put(Labels.MANAGED, "true");
        networkLabels.put(Labels.TOPOLOGY, name);
        networkLabels.put(Labels.UP_TOKEN, token);
        scope.stampNetwork(networkLabels);
        launcher.cleanup().create(() -> {
            engine.createNetwork(topologyNetwork, networkLabels);
            return topologyNetwork;
        });
    }

    /**
     * Creates and starts the replicas of {@code name}, from initialised data, without waiting for them.
     *
     * @param network the --network they join too, or null
     * @return their container ids, in order
     */
    List<String> launchReplicas(Launcher.Plan plan, String name, int replicas, String network,
            UpListener listener) {
        List<String> replicaIds = new ArrayList<>();
        for (int k = 1; k <= replicas; k++) {
            String member = replicaName(name, k);
            replicaIds.add(launcher.launch(plan, new Launcher.Member(member, null, Binlog.PRIMARY_SERVER_ID + k,
                    "replica", name, 0, network == null ? null : member), true, false, listener));
        }
        return replicaIds;
    }

    /** Waits until every replica of {@code name} accepts connections. */
    void awaitReplicas(String name, List<String> replicaIds, Duration timeout, UpListener listener) {
        for (int k = 1; k <= replicaIds.size(); k++) {
            launcher.readiness().waitReady(replicaIds.get(k - 1), replicaName(name, k), timeout, listener, true, Seeds.NONE);
        }
    }

    /** Sets up replication from the primary to its started replicas; returns the replicas (none: nothing to do). */
    List<Instance> startReplication(String primaryId, List<String> replicaIds, Duration timeout,
            UpListener listener) {
        List<Instance> members = new ArrayList<>();
        if (!replicaIds.isEmpty()) {
            ContainerInfo p = engine.inspect(primaryId).orElseThrow();
            List<ContainerInfo> rs = replicaIds.stream().map(id -> engine.inspect(id).orElseThrow()).toList();
            new Replication(engine).start(p, rs, timeout, listener);
            rs.forEach(r -> members.add(Instance.of(r, engine.endpoint())));
        }
        return members;
    }

    /**
     * Resets a topology: every member back to the initialised data (all at once), then replication set up
     * again.
     *
     * @param members the primary first, then its replicas, as inspect reports them
     */
    UpResult reset(String name, List<ContainerInfo> members, String cacheImage, Duration timeout,
            UpListener listener, long started) {
        ExecutorService pool = Executors.newFixedThreadPool(members.size());
        List<ContainerInfo> fresh = new ArrayList<>();
        DevDbException failure = null;
        try {
            List<Future<UpResult>> done = new ArrayList<>();
            for (ContainerInfo m : members) {
                done.add(pool.submit(() -> launcher.replace(m, cacheImage, timeout, listener, started, "resetting", null)));
            }
            for (Future<UpResult> f : done) {
                try {
                    fresh.add(engine.inspect(f.get().instance().containerId()).orElseThrow());
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof DevDbException d ? d
                                : new DevDbException(ExitCodes.FAILURE, "resetting " + name + " failed: " + e.getCause(),
                                        e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            // each member's reset, interrupted, removes what it made; they are waited for
            pool.shutdownNow();
            awaitEnd(pool);
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while resetting " + name);
        } finally {
            pool.shutdown();
        }
        if (failure != null) {
            throw failure;
        }
        ContainerInfo primary = fresh.get(0);
        List<ContainerInfo> replicas = fresh.subList(1, fresh.size());
        new Replication(engine).start(primary, replicas, timeout, listener);
        return new UpResult(Instance.of(primary, engine.endpoint()), false, Duration.ofNanos(System.nanoTime() - started), true,
                replicas.stream().map(Instance::of).toList());
    }

    /** Waits (a while) for the pool's tasks to end. */
    private static void awaitEnd(ExecutorService pool) {
        try {
            pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES);
        } catch (InterruptedException again) {
            Thread.currentThread().interrupt();
        }
    }

    /** Removes an instance; a primary goes with its replicas and their network. */
    void remove(ContainerInfo c) {
        if ("primary".equals(c.label(Labels.ROLE))) {
            for (ContainerInfo r : replicasOf(c.label(Labels.NAME))) {
                engine.remove(r.id(), Duration.ZERO);
            }
        }
        engine.remove(c.id(), Duration.ZERO);
        String topology = c.label(Labels.TOPOLOGY);
        if (topology != null && scope.containers(engine, Map.of(Labels.TOPOLOGY, topology)).isEmpty()) {
            engine.removeNetwork(topologyNetwork(topology));
        }
    }

    /** Removes the networks of these topologies when none of their members is left. */
    void removeEmptyNetworks(Set<String> topologies) {
        for (String topology : topologies) {
            if (scope.containers(engine, Map.of(Labels.TOPOLOGY, topology)).isEmpty()) {
                try {
                    engine.removeNetwork(topologyNetwork(topology));
                } catch (RuntimeException e) {
                    // in use by a container devdb did not create: left alone
                }
            }
        }
    }
}
