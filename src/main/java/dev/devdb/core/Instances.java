package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ContainerSpec;
import dev.devdb.engine.Engine;
import dev.devdb.mysql.Binlog;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.Greeting;
import dev.devdb.mysql.ServerVersion;
import dev.devdb.profile.ImageRef;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ProfileCatalog;
import dev.devdb.profile.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The lifecycle of devdb instances: up, down, listing and lookup. Knows nothing of terminals. */
public final class Instances {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,47}");
    private static final Pattern ERROR_LINE = Pattern.compile("(\\[ERROR\\].*|^ERROR.*|^error:.*|.*\\bEntrypoint\\b.*error.*)");
    private static final int CONTAINER_PORT = 3306;
    /** Where instances keep their data: outside the image's VOLUME, so a commit captures it. */
    static final String DATADIR = "/var/lib/devdb/data";
    static final String INIT_FILE = "/etc/mysql/devdb-init.sql";
    static final String ETC = "/etc/mysql";
    static final String CONF_DIR = ETC + "/conf.d";
    /** Bumped whenever the way data is initialised changes, so old cache entries stop matching. */
    private static final int CACHE_FORMAT = 1;
    /** prune leaves a created container alone this long: an up may be about to start it. */
    private static final Duration NEVER_STARTED = Duration.ofMinutes(1);

    private final Engine engine;
    private final ProfileCatalog catalog;
    private final String registry;

    /**
     * @param engine the Docker engine
     * @param catalog where profiles are looked up
     * @param registry the DEVDB_REGISTRY prefix, or null
     */
    public Instances(Engine engine, ProfileCatalog catalog, String registry) {
        this.engine = engine;
        this.catalog = catalog;
        this.registry = registry;
    }

    /** Validates an instance name; returns it. */
    public static String checkName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "instance name '" + name
                    + "' is not valid: use up to 48 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
        return name;
    }

    /** Creates and starts an instance (with its replicas), or returns the identical one already running. */
    public UpResult up(UpRequest request, UpListener listener) {
        long started = System.nanoTime();
        Profile profile = catalog.resolve(request.profile() == null ? ProfileCatalog.DEFAULT_PROFILE : request.profile());
        String name = checkName(request.name() != null ? request.name() : profile.name());
        boolean cdc = request.cdc() || profile.cdc();
        int replicas = request.replicas() != null ? request.replicas() : profile.replicas();
        if (replicas < 0 || replicas > Profile.MAX_REPLICAS) {
            throw new DevDbException(ExitCodes.USAGE, "--replicas must be between 0 and " + Profile.MAX_REPLICAS
                    + ", not " + replicas);
        }
        if (replicas > 0) {
            checkName(replicaName(name, replicas));
            if (request.noWait()) {
                throw new DevDbException(ExitCodes.USAGE, "--no-wait does not go with replicas: up waits for them to"
                        + " replicate");
            }
        }
        if (cdc && profile.user().equalsIgnoreCase(Binlog.CDC_USER)) {
            throw new DevDbException(ExitCodes.USAGE, "the profile's user is '" + profile.user()
                    + "', the name of the CDC connector's user; choose another user in the profile");
        }
        String network = request.network();
        String alias = checkAlias(network, request.alias() != null ? request.alias() : name, request.alias() != null);
        ServerVersion version = ServerVersion.ofTag(profile.version());
        Map<String, String> options = serverOptions(profile, request);
        if (cdc || replicas > 0) {
            // the options a binary log reader needs come first; the profile and --set may still override them
            options = ServerOptions.merge(cdc ? Binlog.cdcOptions(profile.flavor(), version)
                    : Binlog.replicationOptions(profile.flavor(), version), options);
        }
        List<java.nio.file.Path> seedPaths = new ArrayList<>(profile.init());
        if (request.init() != null) {
            seedPaths.addAll(request.init());
        }
        Seeds seeds = Seeds.collect(seedPaths);
        String seedDigest = seeds.digest() + (cdc ? "+cdc-user:" + sha256(Binlog.cdcUserScript()) : "");
        String image = ImageRef.of(profile, registry);
        Integer port = request.port() != null ? request.port() : profile.port();
        String hash = configHash(profile, image, options, port, seedDigest);
        String containerName = Labels.CONTAINER_PREFIX + name;

        Optional<ContainerInfo> existing = engine.inspect(containerName);
        if (existing.isPresent()) {
            ContainerInfo c = existing.get();
            if (!"true".equals(c.label(Labels.MANAGED))) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + containerName
                        + " exists and was not created by devdb; devdb leaves it alone: choose another --name");
            }
            boolean sameShape = Integer.toString(replicas).equals(Optional.ofNullable(c.label(Labels.REPLICAS)).orElse("0"))
                    && java.util.Objects.equals(network, c.label(Labels.NETWORK))
                    && java.util.Objects.equals(network == null ? null : alias, c.label(Labels.NETWORK_ALIAS))
                    && !"replica".equals(c.label(Labels.ROLE));
            if (request.recreate()) {
                listener.step("removing " + containerName + " to recreate it");
                removeInstance(c);
            } else if (hash.equals(c.label(Labels.CONFIG_HASH)) && c.running() && sameShape) {
                // Ready: an earlier up finished, so this one is a repeat and shares it. Not ready: another
                // up is starting it right now (or started it with --no-wait), and two callers must not
                // silently share an instance that one of them is still setting up.
                boolean ready = c.hostPort() != null && Greeting.probe(Instance.HOST, c.hostPort(), 3000).ready();
                if (!ready && !request.noWait()) {
                    throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " is starting but does not"
                            + " accept connections yet (another `devdb up` is starting it, or started it with"
                            + " --no-wait); wait for it with `devdb wait " + name + "`, or pick another --name");
                }
                List<Instance> members = new ArrayList<>();
                for (ContainerInfo r : replicasOf(name)) {
                    if (!r.running()) {
                        throw new DevDbException(ExitCodes.NAME_CONFLICT, "replica " + r.label(Labels.NAME) + " of "
                                + name + " is " + r.state() + "; replace the topology with `devdb up --recreate`");
                    }
                    members.add(Instance.of(engine.inspect(r.id()).orElseThrow()));
                }
                if (members.size() != replicas) {
                    throw new DevDbException(ExitCodes.NAME_CONFLICT, name + " has " + members.size() + " of its "
                            + replicas + " replicas; replace the topology with `devdb up --recreate`");
                }
                Instance instance = Instance.of(engine.inspect(c.id()).orElseThrow());
                return new UpResult(instance, true, Duration.ofNanos(System.nanoTime() - started), ready, members);
            } else if ("created".equals(c.state())) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " is being created by another"
                        + " `devdb up` right now (or one was killed while creating it: then `devdb down " + name
                        + "`); pick another --name, or wait for it with `devdb wait " + name + "`");
            } else if (!c.running()) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " exists but is " + c.state()
                        + (c.exitCode() != null ? " (exit code " + c.exitCode() + ")" : "")
                        + "; see `devdb logs " + name + "`, then `devdb up --recreate` or `devdb down " + name + "`");
            } else {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name
                        + " is running with a different configuration (profile " + c.label(Labels.PROFILE)
                        + (sameShape ? "" : ", replicas or network") + "); replace it with `devdb up --recreate`,"
                        + " or pick another --name");
            }
        }
        for (int k = 1; k <= replicas; k++) {
            String member = replicaName(name, k);
            if (engine.inspect(Labels.CONTAINER_PREFIX + member).isPresent()) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + Labels.CONTAINER_PREFIX
                        + member + " exists, where replica " + k + " of " + name + " would go; remove it (`devdb down "
                        + member + "`) or pick another --name");
            }
        }
        if (network != null && !engine.networkExists(network)) {
            throw new DevDbException(ExitCodes.USAGE, "Docker network " + network + " does not exist; create it with"
                    + " `docker network create " + network + "` or start the compose project that defines it");
        }

        ensureImage(image, request.pull(), listener);
        String baseImageId = engine.imageId(image);
        String cacheKey = sha256("format=" + CACHE_FORMAT + "\nbase=" + baseImageId + "\nconfig=" + hash).substring(0, 20);
        String cacheImage = Labels.CACHE_REPOSITORY + ":" + cacheKey;
        boolean warm = engine.imageId(cacheImage) != null;

        String password = profile.password() != null ? profile.password() : Passwords.generate(20);
        Map<String, String> env = new LinkedHashMap<>(profile.env());
        env.put("MYSQL_ROOT_PASSWORD", Passwords.generate(24));
        env.put("MYSQL_DATABASE", profile.database());
        env.put("MYSQL_USER", profile.user());
        env.put("MYSQL_PASSWORD", password);
        if (cdc) {
            env.put(CDC_PASSWORD_ENV, Passwords.generate(20));
        }
        if (replicas > 0) {
            env.put(REPLICATION_PASSWORD_ENV, Passwords.generate(24));
        }

        String token = Passwords.generate(16);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED, "true");
        labels.put(Labels.NAME, name);
        labels.put(Labels.PROFILE, profile.name());
        labels.put(Labels.FLAVOR, profile.flavor().id());
        labels.put(Labels.VERSION, profile.version());
        labels.put(Labels.IMAGE, image);
        labels.put(Labels.CONFIG_HASH, hash);
        labels.put(Labels.DATABASE, profile.database());
        labels.put(Labels.USER, profile.user());
        labels.put(Labels.BASE_IMAGE_ID, baseImageId);
        labels.put(Labels.CACHE_KEY, cacheKey);
        labels.put(Labels.UP_TOKEN, token);
        if (profile.resources().memoryBytes() != null) {
            labels.put(Labels.MEMORY, profile.resources().memoryBytes().toString());
        }
        if (profile.resources().nanoCpus() != null) {
            labels.put(Labels.CPUS, profile.resources().nanoCpus().toString());
        }
        if (request.ttl() != null) {
            labels.put(Labels.EXPIRES, Long.toString(Instant.now().plus(request.ttl()).getEpochSecond()));
        }
        if (cdc) {
            labels.put(Labels.CDC, "true");
        }
        if (network != null) {
            labels.put(Labels.NETWORK, network);
        }
        Plan plan = new Plan(profile, image, cacheImage, env, labels, options, seeds, cacheKey);

        String topologyNetwork = replicas > 0 ? topologyNetwork(name) : null;
        Thread cleanup = new Thread(() -> removeByToken(token, topologyNetwork), "devdb-up-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean ready = false;
        try {
            if (topologyNetwork != null) {
                listener.step("creating network " + topologyNetwork + " for " + name + " and its " + replicas
                        + " replica" + (replicas == 1 ? "" : "s"));
                Map<String, String> networkLabels = new LinkedHashMap<>();
                networkLabels.put(Labels.MANAGED, "true");
                networkLabels.put(Labels.TOPOLOGY, name);
                networkLabels.put(Labels.UP_TOKEN, token);
                engine.createNetwork(topologyNetwork, networkLabels);
            }
            Member primary = new Member(name, port, cdc || replicas > 0 ? Binlog.PRIMARY_SERVER_ID : null,
                    replicas > 0 ? "primary" : null, name, replicas, network == null ? null : alias);
            String primaryId = launch(plan, primary, warm, listener);
            if (request.noWait()) {
                // nobody waits for initialisation, so its result is not kept for the cache
                ready = true;
                Instance instance = Instance.of(engine.inspect(primaryId).orElseThrow(() -> new DevDbException(
                        ExitCodes.SERVER_FAILED, "instance " + name + " disappeared right after it started")));
                return new UpResult(instance, false, Duration.ofNanos(System.nanoTime() - started), false);
            }
            if (!warm) {
                listener.step("waiting for " + profile.flavor().displayName() + " " + profile.version()
                        + " to accept connections");
                waitReady(primaryId, name, request.timeout(), listener, true, seeds);
                listener.step("keeping the initialised data for the next up and reset (" + cacheImage + ")");
                commitCache(primaryId, cacheImage, image, profile, cacheKey);
            }
            List<String> replicaIds = new ArrayList<>();
            for (int k = 1; k <= replicas; k++) {
                String member = replicaName(name, k);
                replicaIds.add(launch(plan, new Member(member, null, Binlog.PRIMARY_SERVER_ID + k, "replica", name, 0,
                        network == null ? null : member), true, listener));
            }
            if (warm) {
                listener.step("waiting for " + profile.flavor().displayName() + " " + profile.version()
                        + " to accept connections");
                waitReady(primaryId, name, request.timeout(), listener, true, Seeds.NONE);
            }
            for (int k = 1; k <= replicas; k++) {
                waitReady(replicaIds.get(k - 1), replicaName(name, k), request.timeout(), listener, true, Seeds.NONE);
            }
            List<Instance> members = new ArrayList<>();
            if (replicas > 0) {
                ContainerInfo p = engine.inspect(primaryId).orElseThrow();
                List<ContainerInfo> rs = replicaIds.stream().map(id -> engine.inspect(id).orElseThrow()).toList();
                new Replication(engine).start(p, rs, request.timeout(), listener);
                rs.forEach(r -> members.add(Instance.of(r)));
            }
            ready = true;
            Instance instance = Instance.of(engine.inspect(primaryId).orElseThrow());
            return new UpResult(instance, false, Duration.ofNanos(System.nanoTime() - started), true, members);
        } finally {
            if (!ready) {
                removeByToken(token, topologyNetwork);
            }
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook does the clean-up
            }
        }
    }

    /** The container env variable holding the CDC connector user's password. */
    public static final String CDC_PASSWORD_ENV = "MYSQL_CDC_PASSWORD";
    /** The container env variable holding the replication user's password. */
    static final String REPLICATION_PASSWORD_ENV = "MYSQL_REPLICATION_PASSWORD";
    private static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

    /** What every member of one {@code up} shares. */
    private record Plan(Profile profile, String image, String cacheImage, Map<String, String> env,
            Map<String, String> labels, Map<String, String> options, Seeds seeds, String cacheKey) {}

    /**
     * One server of an {@code up}.
     *
     * @param name instance name
     * @param port fixed host port, or null
     * @param serverId server id when it writes a binary log, or null
     * @param role primary, replica, or null for a standalone server
     * @param topology the primary's name
     * @param replicas the topology's replicas (on the primary)
     * @param alias the host name on the --network, or null
     */
    private record Member(String name, Integer port, Integer serverId, String role, String topology, int replicas,
            String alias) {}

    /** Creates, prepares and starts one member's container; returns its id without waiting for the server. */
    private String launch(Plan plan, Member m, boolean warm, UpListener listener) {
        Profile profile = plan.profile();
        Map<String, String> labels = new LinkedHashMap<>(plan.labels());
        labels.put(Labels.NAME, m.name());
        if (m.port() != null) {
            labels.put(Labels.FIXED_PORT, m.port().toString());
        }
        if (m.serverId() != null) {
            labels.put(Labels.SERVER_ID, m.serverId().toString());
        }
        if (m.role() != null) {
            labels.put(Labels.ROLE, m.role());
            labels.put(Labels.TOPOLOGY, m.topology());
        }
        if ("primary".equals(m.role())) {
            labels.put(Labels.REPLICAS, Integer.toString(m.replicas()));
        }
        if (m.alias() != null) {
            labels.put(Labels.NETWORK_ALIAS, m.alias());
        }
        List<String> command = new ArrayList<>(warm ? warmCommand() : List.of("--datadir=" + DATADIR));
        command.addAll(memberArgs(labels));
        String containerName = Labels.CONTAINER_PREFIX + m.name();
        ContainerSpec spec = new ContainerSpec(containerName, warm ? plan.cacheImage() : plan.image(), plan.env(),
                warm ? warmEntrypoint(profile.flavor()) : null, command, labels, CONTAINER_PORT, m.port(),
                profile.resources().memoryBytes(), profile.resources().nanoCpus());
        listener.step("creating " + containerName + " from "
                + (warm ? "initialised data " + plan.cacheImage() : plan.image()));
        String id = create(spec, m.name());
        if (warm) {
            copyCredentials(id, profile.flavor(), profile.user(), plan.env(), Map.of());
        } else {
            String cnf = ServerOptions.render(plan.options(), "Written by devdb (profile " + profile.name() + ").");
            engine.copyFile(id, CONF_DIR, "devdb.cnf", cnf.getBytes(StandardCharsets.UTF_8), 0644);
            if (!plan.seeds().isEmpty()) {
                engine.copyFiles(id, Seeds.DIRECTORY, plan.seeds().copies());
            }
            if (plan.env().containsKey(CDC_PASSWORD_ENV)) {
                engine.copyFile(id, Seeds.DIRECTORY, "000-devdb-cdc-user.sh",
                        Binlog.cdcUserScript().getBytes(StandardCharsets.UTF_8), 0644);
            }
        }
        attachNetworks(id, labels);
        listener.step("starting " + containerName);
        engine.start(id);
        return id;
    }

    /** The server arguments a member's labels call for: its server id and a replica's settings. */
    private static List<String> memberArgs(Map<String, String> labels) {
        String serverId = labels.get(Labels.SERVER_ID);
        if (serverId == null) {
            return List.of();
        }
        return Binlog.memberArgs(Flavor.parse(labels.get(Labels.FLAVOR)),
                ServerVersion.ofTag(labels.get(Labels.VERSION)), Integer.parseInt(serverId),
                "replica".equals(labels.get(Labels.ROLE)));
    }

    /** Connects a created container to its topology's network and to the --network it was given. */
    private void attachNetworks(String id, Map<String, String> labels) {
        if (labels.get(Labels.TOPOLOGY) != null) {
            engine.connectNetwork(id, topologyNetwork(labels.get(Labels.TOPOLOGY)), List.of(labels.get(Labels.NAME)));
        }
        if (labels.get(Labels.NETWORK) != null) {
            String alias = labels.get(Labels.NETWORK_ALIAS);
            engine.connectNetwork(id, labels.get(Labels.NETWORK), alias == null ? List.of() : List.of(alias));
        }
    }

    /** The name of replica {@code k} of {@code primary}. */
    public static String replicaName(String primary, int k) {
        return primary + "-r" + k;
    }

    /** The private network of the topology whose primary is {@code primary}. */
    static String topologyNetwork(String primary) {
        return Labels.CONTAINER_PREFIX + primary;
    }

    private static String checkAlias(String network, String alias, boolean given) {
        if (network == null) {
            if (given) {
                throw new DevDbException(ExitCodes.USAGE, "--alias names the instance on a --network; give --network too");
            }
            return null;
        }
        if (!ALIAS.matcher(network).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "--network '" + network + "' is not a valid network name");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "--alias '" + alias
                    + "' is not a valid host name: use letters, digits, '_', '.' or '-'");
        }
        return alias;
    }

    /** The replicas of a primary, in order. */
    List<ContainerInfo> replicasOf(String primary) {
        return engine.list(Map.of(Labels.MANAGED, "true", Labels.TOPOLOGY, primary)).stream()
                .filter(c -> "replica".equals(c.label(Labels.ROLE)))
                .sorted(Comparator.comparing((ContainerInfo c) -> c.label(Labels.NAME).length())
                        .thenComparing(c -> c.label(Labels.NAME)))
                .toList();
    }

    /** Removes an instance; a primary goes with its replicas and their network. */
    private void removeInstance(ContainerInfo c) {
        if ("primary".equals(c.label(Labels.ROLE))) {
            for (ContainerInfo r : replicasOf(c.label(Labels.NAME))) {
                engine.remove(r.id(), Duration.ZERO);
            }
        }
        engine.remove(c.id(), Duration.ZERO);
        String topology = c.label(Labels.TOPOLOGY);
        if (topology != null && engine.list(Map.of(Labels.MANAGED, "true", Labels.TOPOLOGY, topology)).isEmpty()) {
            engine.removeNetwork(topologyNetwork(topology));
        }
    }

    /**
     * Brings an instance back to the state right after its {@code up}: same image, configuration,
     * port, name and credentials, seeds applied; everything since is discarded.
     */
    public UpResult reset(String requested, Duration timeout, UpListener listener) {
        long started = System.nanoTime();
        ContainerInfo old = inspectInstance(requested);
        String key = old.label(Labels.CACHE_KEY);
        String name = old.label(Labels.NAME);
        if (key == null) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + name
                    + " was created by an older devdb and cannot be reset; recreate it with `devdb up --recreate`");
        }
        String cacheImage = Labels.CACHE_REPOSITORY + ":" + key;
        if (engine.imageId(cacheImage) == null) {
            throw new DevDbException(ExitCodes.IMAGE, "the initialised data of " + name + " (" + cacheImage
                    + ") is not in the cache (pruned, or never kept because of `up --no-wait`); recreate the instance with "
                    + "`devdb up --recreate`");
        }
        if ("replica".equals(old.label(Labels.ROLE))) {
            throw new DevDbException(ExitCodes.USAGE, name + " is a replica of "
                    + old.label(Labels.TOPOLOGY) + "; reset the whole topology with `devdb reset "
                    + old.label(Labels.TOPOLOGY) + "`");
        }
        if (!"primary".equals(old.label(Labels.ROLE))) {
            return replace(old, cacheImage, timeout, listener, started, "resetting");
        }
        // A topology: every member back to the initialised data (all at once), then replication set up again.
        List<ContainerInfo> members = new ArrayList<>(List.of(old));
        for (ContainerInfo r : replicasOf(name)) {
            members.add(engine.inspect(r.id()).orElseThrow(() -> noSuchInstance(r.label(Labels.NAME))));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(members.size());
        List<ContainerInfo> fresh = new ArrayList<>();
        DevDbException failure = null;
        try {
            List<java.util.concurrent.Future<UpResult>> done = new ArrayList<>();
            for (ContainerInfo m : members) {
                done.add(pool.submit(() -> replace(m, cacheImage, timeout, listener, started, "resetting")));
            }
            for (java.util.concurrent.Future<UpResult> f : done) {
                try {
                    fresh.add(engine.inspect(f.get().instance().containerId()).orElseThrow());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (failure == null) {
                        failure = e.getCause() instanceof DevDbException d ? d
                                : new DevDbException(ExitCodes.FAILURE, "resetting " + name + " failed: " + e.getCause(),
                                        e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
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
        return new UpResult(Instance.of(primary), false, Duration.ofNanos(System.nanoTime() - started), true,
                replicas.stream().map(Instance::of).toList());
    }

    /** Replaces an instance's container by one started from {@code dataImage}, keeping everything else. */
    UpResult replace(ContainerInfo old, String dataImage, Duration timeout, UpListener listener, long started,
            String verb) {
        String name = old.label(Labels.NAME);
        Flavor flavor = Flavor.parse(old.label(Labels.FLAVOR));
        Integer port = old.hostPort();
        if (port == null && old.label(Labels.FIXED_PORT) != null) {
            port = Integer.parseInt(old.label(Labels.FIXED_PORT));
        }
        String token = Passwords.generate(16);
        Map<String, String> labels = new LinkedHashMap<>(old.labels());
        labels.put(Labels.UP_TOKEN, token);
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : List.of("MYSQL_ROOT_PASSWORD", "MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD",
                CDC_PASSWORD_ENV, REPLICATION_PASSWORD_ENV)) {
            if (old.env().get(key) != null) {
                env.put(key, old.env().get(key));
            }
        }
        listener.step(verb + " " + old.name());
        Map<String, byte[]> config = new LinkedHashMap<>();
        engine.readFiles(old.id(), CONF_DIR).forEach((file, bytes) -> {
            if (file.startsWith("devdb") && file.endsWith(".cnf")) {
                config.put(file, bytes);
            }
        });
        // The old container is renamed at once, so the new one can take its name; it is killed (which
        // frees the port) while the new one is created, and removed (the slow part) while it starts.
        engine.rename(old.id(), old.name() + "-old-" + token.substring(0, 6).toLowerCase(java.util.Locale.ROOT));
        java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
        Thread removal = new Thread(() -> {
            try {
                engine.kill(old.id());
            } finally {
                killed.countDown();
            }
            engine.remove(old.id(), Duration.ZERO);
        }, "devdb-remove-old");
        removal.start();
        Thread cleanup = new Thread(() -> removeByToken(token, null), "devdb-reset-cleanup");
        Runtime.getRuntime().addShutdownHook(cleanup);
        boolean ready = false;
        try {
            List<String> command = new ArrayList<>(warmCommand());
            command.addAll(memberArgs(labels));
            String id = create(new ContainerSpec(old.name(), dataImage, env, warmEntrypoint(flavor), command,
                    labels, CONTAINER_PORT, port, longLabel(old, Labels.MEMORY), longLabel(old, Labels.CPUS)), name);
            copyCredentials(id, flavor, old.label(Labels.USER), env, config);
            attachNetworks(id, labels);
            awaitQuietly(killed);
            listener.step("starting " + old.name());
            engine.start(id);
            listener.step("waiting for " + name + " to accept connections");
            waitReady(id, name, timeout, listener, true, Seeds.NONE);
            ready = true;
            return new UpResult(Instance.of(engine.inspect(id).orElseThrow()), false,
                    Duration.ofNanos(System.nanoTime() - started));
        } finally {
            if (!ready) {
                removeByToken(token, null);
            }
            try {
                removal.join();
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IllegalStateException e) {
                // the JVM is already shutting down; the hook does the clean-up
            }
        }
    }

    private static void awaitQuietly(java.util.concurrent.CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
        }
    }

    private static Long longLabel(ContainerInfo c, String label) {
        String v = c.label(label);
        return v == null ? null : Long.valueOf(v);
    }

    /** Server arguments for a start from initialised data: the image's entrypoint is not needed. */
    /**
     * The server binary, started by a shell that first forgets the server UUID the initialised data
     * carries: every instance made from one cache entry then has its own (replication needs that).
     */
    private static List<String> warmEntrypoint(Flavor flavor) {
        return List.of("sh", "-c", "rm -f " + DATADIR + "/auto.cnf && exec \"$0\" \"$@\"", flavor.server());
    }

    private static List<String> warmCommand() {
        return List.of("--datadir=" + DATADIR, "--user=mysql", "--init-file=" + INIT_FILE);
    }

    /**
     * Initialised data carries the credentials of the instance it was made by; an init file sets
     * this instance's before the server accepts connections. Not binary-logged.
     */
    private void copyCredentials(String id, Flavor flavor, String user, Map<String, String> env,
            Map<String, byte[]> config) {
        String root = sqlString(env.get("MYSQL_ROOT_PASSWORD"));
        String app = sqlString(env.get("MYSQL_PASSWORD"));
        String sql = "SET SQL_LOG_BIN=0;\n"
                + "ALTER USER IF EXISTS 'root'@'%' IDENTIFIED BY " + root + ";\n"
                + "ALTER USER IF EXISTS 'root'@'localhost' IDENTIFIED BY " + root + ";\n"
                + "ALTER USER IF EXISTS '" + user + "'@'%' IDENTIFIED BY " + app + ";\n"
                + (env.get(CDC_PASSWORD_ENV) == null ? "" : "ALTER USER IF EXISTS '" + Binlog.CDC_USER
                        + "'@'%' IDENTIFIED BY " + sqlString(env.get(CDC_PASSWORD_ENV)) + ";\n");
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(INIT_FILE.substring(ETC.length() + 1), sql.getBytes(StandardCharsets.UTF_8));
        config.forEach((file, bytes) -> files.put(CONF_DIR.substring(ETC.length() + 1) + "/" + file, bytes));
        engine.writeFiles(id, ETC, files);
    }

    static String sqlString(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private void commitCache(String id, String cacheImage, String baseImage, Profile profile, String key) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CACHE, "true");
        labels.put(Labels.CACHE_KEY, key);
        labels.put(Labels.BASE_IMAGE, baseImage);
        labels.put(Labels.PROFILE, profile.name());
        labels.put(Labels.FLAVOR, profile.flavor().id());
        labels.put(Labels.VERSION, profile.version());
        String tag = cacheImage.substring(cacheImage.indexOf(':') + 1);
        engine.commit(id, Labels.CACHE_REPOSITORY, tag, labels, imageEnv(id));
    }

    /** The container's environment without devdb's credentials, for images made from it. */
    List<String> imageEnv(String id) {
        List<String> env = new ArrayList<>();
        engine.inspect(id).orElseThrow().env().forEach((k, v) -> {
            if (!k.startsWith("MYSQL_") && !k.startsWith("MARIADB_")) {
                env.add(k + "=" + v);
            }
        });
        return env;
    }

    String create(ContainerSpec spec, String name) {
        try {
            return engine.create(spec);
        } catch (DevDbException e) {
            if (e.exitCode() == ExitCodes.NAME_CONFLICT) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " is being created by another"
                        + " `devdb up` at this moment; wait for it with `devdb wait " + name + "`, or pick another --name");
            }
            throw e;
        }
    }

    private void ensureImage(String image, UpRequest.PullPolicy policy, UpListener listener) {
        boolean present = policy != UpRequest.PullPolicy.ALWAYS && engine.imageExists(image);
        if (present) {
            return;
        }
        if (policy == UpRequest.PullPolicy.NEVER) {
            throw new DevDbException(ExitCodes.IMAGE, "image " + image
                    + " is not available locally and --pull never was given; pull it or allow pulling");
        }
        listener.step("pulling " + image);
        engine.pull(image, listener::pull);
    }

    /** Waits until the server greets over TCP; fails fast with the server's errors when it dies. */
    private void waitReady(String id, String name, Duration timeout, UpListener listener, boolean removeOnFailure,
            Seeds seeds) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Integer port = null;
        String lastRefusal = null;
        int round = 0;
        while (true) {
            if (port == null || round % 10 == 0) {
                ContainerInfo c = engine.inspect(id).orElseThrow(() -> new DevDbException(ExitCodes.SERVER_FAILED,
                        "instance " + name + " disappeared while starting"));
                if (!c.running()) {
                    List<String> logs = engine.logs(id, 200);
                    List<String> errors = serverErrors(logs);
                    listener.serverErrors(errors);
                    String summary = errors.stream().filter(l -> !l.contains("Aborting")).findFirst()
                            .orElse(errors.isEmpty() ? "no error message" : errors.get(0));
                    String seed = seeds.lastStarted(logs);
                    if (seed != null) {
                        throw new DevDbException(ExitCodes.SEED_FAILED, "seed " + seed + " failed in " + name + ": "
                                + summary + (removeOnFailure ? "; the container was removed" : ""));
                    }
                    throw new DevDbException(ExitCodes.SERVER_FAILED, "the server in " + name + " stopped while starting"
                            + (c.exitCode() != null ? " (exit code " + c.exitCode() + ")" : "") + ": " + summary
                            + (removeOnFailure ? "; the container was removed" : ""));
                }
                port = c.hostPort();
            }
            if (port != null) {
                Greeting.Answer answer = Greeting.probe(Instance.HOST, port, 1000);
                if (answer.ready()) {
                    return;
                }
                if (answer.error() != null) {
                    lastRefusal = answer.error();
                }
            }
            if (System.nanoTime() > deadline) {
                List<String> tail = engine.logs(id, 20);
                listener.serverErrors(tail);
                throw new DevDbException(ExitCodes.TIMEOUT, "the server in " + name + " did not accept connections within "
                        + Durations.format(timeout) + (lastRefusal != null ? " (last answer: " + lastRefusal + ")" : "")
                        + "; raise --timeout, or look at the log lines above"
                        + (removeOnFailure ? "; the container was removed" : ""));
            }
            round++;
            try {
                Thread.sleep(round < 100 ? 20 : 200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while waiting for " + name);
            }
        }
    }

    /** The server's error lines from its output, without timestamps; the last lines when none is marked. */
    static List<String> serverErrors(List<String> logs) {
        List<String> errors = new ArrayList<>();
        for (String line : logs) {
            Matcher m = ERROR_LINE.matcher(line);
            if (m.find()) {
                errors.add(m.group(1).trim());
            }
        }
        if (errors.isEmpty()) {
            return logs.subList(Math.max(0, logs.size() - 10), logs.size());
        }
        return errors;
    }

    /** Removes what one {@code up} created: its containers and, when given, the network it made for them. */
    private void removeByToken(String token, String network) {
        try {
            for (ContainerInfo c : engine.list(Map.of(Labels.MANAGED, "true", Labels.UP_TOKEN, token))) {
                engine.remove(c.id(), Duration.ZERO);
            }
            if (network != null) {
                engine.removeNetwork(network);
            }
        } catch (RuntimeException e) {
            // best effort: the engine may be gone too
        }
    }

    /** All instances, running or not, oldest first. */
    public List<Instance> list() {
        List<Instance> result = new ArrayList<>();
        for (ContainerInfo c : engine.list(Map.of(Labels.MANAGED, "true"))) {
            if (c.label(Labels.NAME) != null) {
                result.add(Instance.of(c));
            }
        }
        result.sort(Comparator.comparing(Instance::created, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Instance::name));
        return result;
    }

    /**
     * The instance a command should act on, credentials included.
     *
     * @param name the name given, or null: then the only instance there is
     */
    public Instance get(String requested) {
        return Instance.of(inspectInstance(requested));
    }

    /** The container of the instance a command should act on, as inspect reports it (environment included). */
    ContainerInfo inspectInstance(String requested) {
        String name = requested;
        if (name == null) {
            List<Instance> all = list();
            if (all.isEmpty()) {
                throw new DevDbException(ExitCodes.NO_INSTANCE, "no devdb instance exists; start one with `devdb up`");
            }
            if (all.size() > 1) {
                throw new DevDbException(ExitCodes.NO_INSTANCE, "several instances exist ("
                        + String.join(", ", all.stream().map(Instance::name).toList()) + "); name the one you mean");
            }
            name = all.get(0).name();
        }
        String target = name;
        ContainerInfo c = find(target).orElseThrow(() -> noSuchInstance(target));
        return engine.inspect(c.id()).orElseThrow(() -> noSuchInstance(target));
    }

    private Optional<ContainerInfo> find(String name) {
        List<ContainerInfo> found = engine.list(Map.of(Labels.MANAGED, "true", Labels.NAME, name));
        // While a reset replaces a container, the old one (renamed) carries the same labels for a moment.
        return found.stream().filter(c -> c.name().equals(Labels.CONTAINER_PREFIX + name)).findFirst()
                .or(() -> found.stream().findFirst());
    }

    DevDbException noSuchInstance(String name) {
        List<String> names = list().stream().map(Instance::name).toList();
        Optional<ContainerInfo> foreign = engine.inspect(Labels.CONTAINER_PREFIX + name);
        if (foreign.isPresent() && !"true".equals(foreign.get().label(Labels.MANAGED))) {
            return new DevDbException(ExitCodes.NO_INSTANCE, "no instance named " + name + "; the container "
                    + Labels.CONTAINER_PREFIX + name + " was not created by devdb and is left alone");
        }
        return new DevDbException(ExitCodes.NO_INSTANCE, "no instance named " + name
                + (names.isEmpty() ? "; none exist" : "; instances: " + String.join(", ", names)));
    }

    /**
     * Removes instances with their anonymous volumes.
     *
     * @param names the instances to remove; empty means the only one there is
     * @param all remove every devdb instance
     * @return the names removed
     */
    public List<String> down(List<String> names, boolean all) {
        List<String> removed = new ArrayList<>();
        if (all) {
            for (ContainerInfo c : engine.list(Map.of(Labels.MANAGED, "true"))) {
                engine.remove(c.id(), Duration.ZERO);
                removed.add(c.label(Labels.NAME) != null ? c.label(Labels.NAME) : c.name());
            }
            for (String network : engine.networks(Map.of(Labels.MANAGED, "true"))) {
                try {
                    engine.removeNetwork(network);
                } catch (RuntimeException e) {
                    // in use by a container devdb did not create: left alone
                }
            }
            return removed;
        }
        List<ContainerInfo> targets = new ArrayList<>();
        if (names.isEmpty()) {
            targets.add(find(get(null).name()).orElseThrow());
        } else {
            for (String name : names) {
                targets.add(find(name).orElseThrow(() -> noSuchInstance(name)));
            }
        }
        for (ContainerInfo c : targets) {
            List<String> gone = new ArrayList<>(List.of(c.label(Labels.NAME)));
            if ("primary".equals(c.label(Labels.ROLE))) {
                replicasOf(c.label(Labels.NAME)).forEach(r -> gone.add(r.label(Labels.NAME)));
            }
            removeInstance(c);
            gone.stream().filter(n -> !removed.contains(n)).forEach(removed::add);
        }
        return removed;
    }

    /**
     * Waits until an instance accepts connections (after {@code up --no-wait}, or any time).
     *
     * @param name the instance, or null for the only one
     * @return the instance, credentials included
     */
    public Instance awaitReady(String name, Duration timeout, UpListener listener) {
        Instance i = get(name);
        waitReady(i.containerId(), i.name(), timeout, listener, false, Seeds.NONE);
        return Instance.of(engine.inspect(i.containerId()).orElseThrow(() -> noSuchInstance(i.name())));
    }

    /**
     * The instance a client should connect to: it must be running, so that its port is known.
     *
     * @param name the instance, or null for the only one
     */
    public Instance running(String name) {
        Instance i = get(name);
        if (!i.running() || i.port() == null) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + i.name() + " is not running (" + i.state()
                    + "); start it again with `devdb up --recreate`, or remove it with `devdb down " + i.name() + "`");
        }
        return i;
    }

    /**
     * Removes the instances a crashed or careless job left behind: those past the expiry
     * {@code up --ttl} gave them, those whose server exited, and those never started.
     *
     * @param now the current time
     * @param dryRun only report what would be removed
     * @param patterns only instances whose names match one of these globs ({@code *}, {@code ?}); empty means all
     * @return what was (or would be) removed
     */
    public List<Pruned> prune(Instant now, boolean dryRun, List<String> patterns) {
        List<Pattern> globs = patterns.stream().map(Instances::glob).toList();
        List<Pruned> result = new ArrayList<>();
        java.util.Set<String> topologies = new java.util.HashSet<>();
        for (ContainerInfo c : engine.list(Map.of(Labels.MANAGED, "true"))) {
            Pruned p = pruneCandidate(c, now);
            if (p != null && (globs.isEmpty() || globs.stream().anyMatch(g -> g.matcher(p.name()).matches()))) {
                if (!dryRun) {
                    engine.remove(c.id(), Duration.ZERO);
                    if (c.label(Labels.TOPOLOGY) != null) {
                        topologies.add(c.label(Labels.TOPOLOGY));
                    }
                }
                result.add(p);
            }
        }
        if (!dryRun) {
            removeEmptyTopologyNetworks(topologies);
        }
        result.sort(Comparator.comparing(Pruned::name));
        return result;
    }

    /** Removes the networks of these topologies when none of their members is left. */
    private void removeEmptyTopologyNetworks(java.util.Set<String> topologies) {
        for (String topology : topologies) {
            if (engine.list(Map.of(Labels.MANAGED, "true", Labels.TOPOLOGY, topology)).isEmpty()) {
                try {
                    engine.removeNetwork(topologyNetwork(topology));
                } catch (RuntimeException e) {
                    // in use by a container devdb did not create: left alone
                }
            }
        }
    }

    /** A name pattern: {@code *} any run of characters, {@code ?} one character, the rest literal. */
    static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char ch : pattern.toCharArray()) {
            regex.append(ch == '*' ? ".*" : ch == '?' ? "." : Pattern.quote(String.valueOf(ch)));
        }
        return Pattern.compile(regex.toString());
    }

    /** Why prune removes this container, or null when it stays. */
    static Pruned pruneCandidate(ContainerInfo c, Instant now) {
        if (!"true".equals(c.label(Labels.MANAGED))) {
            return null;
        }
        String name = c.label(Labels.NAME) != null ? c.label(Labels.NAME) : c.name();
        Instant expires = null;
        String e = c.label(Labels.EXPIRES);
        if (e != null && e.matches("\\d{1,18}")) {
            expires = Instant.ofEpochSecond(Long.parseLong(e));
        }
        String reason = null;
        if (expires != null && !now.isBefore(expires)) {
            reason = Pruned.EXPIRED;
        } else if ("exited".equals(c.state()) || "dead".equals(c.state())) {
            reason = Pruned.STOPPED;
        } else if ("created".equals(c.state()) && c.created() != null
                && c.created().plus(NEVER_STARTED).isBefore(now)) {
            reason = Pruned.NEVER_STARTED;
        }
        return reason == null ? null : new Pruned(name, c.name(), c.state(), c.exitCode(), reason, expires);
    }

    /** The server options an instance gets: the profile's, then the logging switches, then --set. */
    static Map<String, String> serverOptions(Profile profile, UpRequest request) {
        Map<String, String> extra = new LinkedHashMap<>();
        if (request.slowLogSeconds() != null) {
            extra.put("slow_query_log", "ON");
            extra.put("long_query_time", trimNumber(request.slowLogSeconds()));
        }
        if (request.generalLog()) {
            extra.put("general_log", "ON");
        }
        if (request.set() != null) {
            for (Map.Entry<String, String> e : request.set().entrySet()) {
                String problem = ServerOptions.problem(e.getKey(), e.getValue());
                if (problem != null) {
                    throw new DevDbException(ExitCodes.USAGE, "--set " + e.getKey() + ": " + problem);
                }
            }
            extra = ServerOptions.merge(extra, request.set());
        }
        return ServerOptions.merge(profile.mycnf(), extra);
    }

    static String trimNumber(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A stable digest of everything that makes two instances interchangeable. */
    static String configHash(Profile profile, String image, Map<String, String> options, Integer port,
            String seedDigest) {
        StringBuilder key = new StringBuilder();
        key.append("seeds=").append(seedDigest).append('\n');
        key.append("image=").append(image).append('\n');
        key.append("flavor=").append(profile.flavor().id()).append('\n');
        key.append("database=").append(profile.database()).append('\n');
        key.append("user=").append(profile.user()).append('\n');
        key.append("password=").append(profile.password() == null ? "" : sha256(profile.password())).append('\n');
        key.append("port=").append(port == null ? "" : port).append('\n');
        key.append("memory=").append(profile.resources().memoryBytes()).append('\n');
        key.append("cpus=").append(profile.resources().nanoCpus()).append('\n');
        new TreeMap<>(options).forEach((k, v) -> key.append("mycnf.").append(k).append('=').append(v).append('\n'));
        new TreeMap<>(profile.env()).forEach((k, v) -> key.append("env.").append(k).append('=').append(v).append('\n'));
        return sha256(key.toString()).substring(0, 16);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
