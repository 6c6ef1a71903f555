package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Binlog;
import dev.devdb.mysql.Greeting;
import dev.devdb.mysql.ServerVersion;
import dev.devdb.mysql.StartScript;
import dev.devdb.profile.ImageRef;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ProfileCatalog;
import dev.devdb.profile.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
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
import java.util.regex.Pattern;

/**
 * The lifecycle of devdb instances: up, reset, down, listing and lookup. Knows nothing of terminals.
 * Containers are started by the {@link Launcher}; replication topologies are handled by {@link Topologies}.
 */
public final class Instances {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,47}");
    /** Docker's own networks: none of them takes a network-scoped alias. */
    private static final java.util.Set<String> BUILT_IN_NETWORKS = java.util.Set.of("bridge", "host", "none");
    /** Bumped whenever the way data is initialised changes, so old cache entries stop matching. */
    private static final int CACHE_FORMAT = 2;
    /** prune leaves a created container alone this long: an up may be about to start it. */
    private static final Duration NEVER_STARTED = Duration.ofMinutes(1);

    private final Engine engine;
    private final ProfileCatalog catalog;
    private final String registry;
    private final Launcher launcher;
    private final Topologies topologies;
    private final Scope scope;
    private final Clock clock;

    /**
     * Instances of the default scope.
     *
     * @param engine the Docker engine
     * @param catalog where profiles are looked up
     * @param registry the DEVDB_REGISTRY prefix, or null
     */
    public Instances(Engine engine, ProfileCatalog catalog, String registry) {
        this(engine, catalog, registry, Scope.DEFAULT);
    }

    /**
     * @param engine the Docker engine
     * @param catalog where profiles are looked up
     * @param registry the DEVDB_REGISTRY prefix, or null
     * @param scope the scope every call stays within
     */
    public Instances(Engine engine, ProfileCatalog catalog, String registry, Scope scope) {
        this(engine, catalog, registry, scope, Clock.systemUTC());
    }

    /**
     * @param engine the Docker engine
     * @param catalog where profiles are looked up
     * @param registry the DEVDB_REGISTRY prefix, or null
     * @param scope the scope every call stays within
     * @param clock the time (expiry of {@code up --ttl})
     */
    public Instances(Engine engine, ProfileCatalog catalog, String registry, Scope scope, Clock clock) {
        this(engine, catalog, registry, scope, clock, Cleanup.RUNTIME);
    }

    /** @param hooks where undo actions go that must run when the process is stopped midway */
    Instances(Engine engine, ProfileCatalog catalog, String registry, Scope scope, Clock clock, Cleanup.Hooks hooks) {
        this.engine = engine;
        this.catalog = catalog;
        this.registry = registry;
        this.scope = scope;
        this.clock = clock;
        this.launcher = new Launcher(engine, scope, new Cleanup(engine, hooks));
        this.topologies = new Topologies(engine, launcher, scope);
    }

    /** The scope these instances belong to. */
    public Scope scope() {
        return scope;
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
        String containerName = scope.containerName(name);

        Optional<ContainerInfo> existing = engine.inspect(containerName);
        if (existing.isPresent()) {
            ContainerInfo c = existing.get();
            if (!"true".equals(c.label(Labels.MANAGED)) || !scope.contains(c.labels())) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + containerName
                        + " exists and was not created by devdb" + scope.describe()
                        + "; devdb leaves it alone: choose another --name");
            }
            boolean sameShape = Integer.toString(replicas).equals(Optional.ofNullable(c.label(Labels.REPLICAS)).orElse("0"))
                    && java.util.Objects.equals(network, c.label(Labels.NETWORK))
                    && java.util.Objects.equals(network == null ? null : alias, c.label(Labels.NETWORK_ALIAS))
                    && !"replica".equals(c.label(Labels.ROLE));
            if (request.recreate()) {
                listener.step("removing " + containerName + " to recreate it");
                topologies.remove(c);
            } else if (hash.equals(c.label(Labels.CONFIG_HASH)) && c.running() && sameShape) {
                // Ready: an earlier up finished, so this one is a repeat and shares it. Not ready: another
                // up is starting it right now (or started it with --no-wait), and two callers must not
                // silently share an instance that one of them is still setting up.
                boolean ready = c.hostPort() != null && Greeting.probe(Instance.HOST, c.hostPort(), 3000).ready()
                        && launcher.initialised(c.id(), c.labels());
                if (!ready && !request.noWait()) {
                    throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " is starting but does not"
                            + " accept connections yet (another `devdb up` is starting it, or started it with"
                            + " --no-wait); wait for it with `devdb wait " + name + "`, or pick another --name");
                }
                List<Instance> members = topologies.runningReplicas(name, replicas);
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
        topologies.checkReplicaNamesFree(name, replicas);
        if (network != null && !engine.networkExists(network)) {
            throw new DevDbException(ExitCodes.USAGE, "Docker network " + network + " does not exist; create it with"
                    + " `docker network create " + network + "` or start the compose project that defines it");
        }

        String baseImageId = launcher.ensureImage(image, request.pull(), listener);
        String cacheKey = sha256("format=" + CACHE_FORMAT + "\nstart=" + StartScript.digest() + "\nbase=" + baseImageId
                + "\nconfig=" + hash).substring(0, 20);
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
        scope.stamp(labels);
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
            labels.put(Labels.EXPIRES, Long.toString(clock.instant().plus(request.ttl()).getEpochSecond()));
        }
        if (cdc) {
            labels.put(Labels.CDC, "true");
        }
        if (network != null) {
            labels.put(Labels.NETWORK, network);
        }
        Launcher.Plan plan = new Launcher.Plan(profile, image, cacheImage, env, labels, options, seeds, cacheKey);

        String topologyNetwork = replicas > 0 ? topologies.topologyNetwork(name) : null;
        Cleanup cleanup = launcher.cleanup();
        return cleanup.guard("up", () -> cleanup.removeByToken(token, topologyNetwork), () -> {
            if (topologyNetwork != null) {
                topologies.createNetwork(name, replicas, token, listener);
            }
            Launcher.Member primary = new Launcher.Member(name, port,
                    cdc || replicas > 0 ? Binlog.PRIMARY_SERVER_ID : null, replicas > 0 ? "primary" : null, name,
                    replicas, network == null ? null : alias);
            Map<String, String> dirty = warm && !request.noWait() ? launcher.dirtyEntry(cacheImage) : null;
            String primaryId = launcher.launch(plan, primary, warm, dirty != null, listener);
            if (dirty != null && !launcher.keeps(primaryId)) {
                dirty = null; // another start keeps the clean copy
            }
            if (request.noWait()) {
                // nobody waits for initialisation, so its result is not kept for the cache
                Instance instance = Instance.of(engine.inspect(primaryId).orElseThrow(() -> new DevDbException(
                        ExitCodes.SERVER_FAILED, "instance " + name + " disappeared right after it started")));
                return new UpResult(instance, false, Duration.ofNanos(System.nanoTime() - started), false);
            }
            if (!warm) {
                listener.step("waiting for " + profile.flavor().displayName() + " " + profile.version()
                        + " to accept connections");
                launcher.waitReady(primaryId, name, request.timeout(), listener, true, seeds);
                listener.step("keeping the initialised data for the next up and reset (" + cacheImage + ")");
                launcher.commitCache(primaryId, cacheImage, image, profile, cacheKey);
            } else if (dirty != null) {
                launcher.keepClean(primaryId, name, request.timeout(), listener, cacheImage, dirty);
            }
            List<String> replicaIds = topologies.launchReplicas(plan, name, replicas, network, listener);
            if (warm) {
                listener.step("waiting for " + profile.flavor().displayName() + " " + profile.version()
                        + " to accept connections");
                launcher.waitReady(primaryId, name, request.timeout(), listener, true, Seeds.NONE);
            }
            topologies.awaitReplicas(name, replicaIds, request.timeout(), listener);
            List<Instance> members = topologies.startReplication(primaryId, replicaIds, request.timeout(), listener);
            Instance instance = Instance.of(engine.inspect(primaryId).orElseThrow());
            return new UpResult(instance, false, Duration.ofNanos(System.nanoTime() - started), true, members);
        });
    }

    /** The container env variable holding the CDC connector user's password. */
    public static final String CDC_PASSWORD_ENV = "MYSQL_CDC_PASSWORD";
    /** The container env variable holding the replication user's password. */
    static final String REPLICATION_PASSWORD_ENV = "MYSQL_REPLICATION_PASSWORD";
    private static final Pattern ALIAS = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}");

    /** The name of replica {@code k} of {@code primary}. */
    public static String replicaName(String primary, int k) {
        return Topologies.replicaName(primary, k);
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
        if (BUILT_IN_NETWORKS.contains(network)) {
            throw new DevDbException(ExitCodes.USAGE, "--network " + network + " is one of Docker's built-in networks"
                    + " (bridge, host, none), which give a container no host name of its own: create a network"
                    + " (docker network create NET) and give that; the port is published on 127.0.0.1 either way");
        }
        if (!ALIAS.matcher(alias).matches()) {
            throw new DevDbException(ExitCodes.USAGE, "--alias '" + alias
                    + "' is not a valid host name: use letters, digits, '_', '.' or '-'");
        }
        return alias;
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
            return launcher.replace(old, cacheImage, timeout, listener, started, "resetting",
                    launcher.dirtyEntry(cacheImage));
        }
        // A topology: every member back to the initialised data (all at once), then replication set up again.
        List<ContainerInfo> members = new ArrayList<>(List.of(old));
        for (ContainerInfo r : topologies.replicasOf(name)) {
            members.add(engine.inspect(r.id()).orElseThrow(() -> noSuchInstance(r.label(Labels.NAME))));
        }
        return topologies.reset(name, members, cacheImage, timeout, listener, started);
    }

    /** Replaces an instance's container by one started from {@code dataImage}, keeping everything else. */
    UpResult replace(ContainerInfo old, String dataImage, Duration timeout, UpListener listener, long started,
            String verb) {
        return launcher.replace(old, dataImage, timeout, listener, started, verb, null);
    }

    /** The container's environment without devdb's credentials, for images made from it. */
    List<String> imageEnv(String id) {
        return launcher.imageEnv(id);
    }


    /** All instances, running or not, oldest first. */
    public List<Instance> list() {
        List<Instance> result = new ArrayList<>();
        for (ContainerInfo c : scope.containers(engine)) {
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
                throw new DevDbException(ExitCodes.NO_INSTANCE, "no devdb instance exists" + scope.describe()
                        + "; start one with `devdb up`");
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
        List<ContainerInfo> found = scope.containers(engine, Map.of(Labels.NAME, name));
        // While a reset replaces a container, the old one (renamed) carries the same labels for a moment.
        return found.stream().filter(c -> c.name().equals(scope.containerName(name))).findFirst()
                .or(() -> found.stream().findFirst());
    }

    DevDbException noSuchInstance(String name) {
        List<String> names = list().stream().map(Instance::name).toList();
        String containerName = scope.containerName(name);
        Optional<ContainerInfo> foreign = engine.inspect(containerName);
        if (foreign.isPresent() && !"true".equals(foreign.get().label(Labels.MANAGED))) {
            return new DevDbException(ExitCodes.NO_INSTANCE, "no instance named " + name + scope.describe()
                    + "; the container " + containerName + " was not created by devdb and is left alone");
        }
        return new DevDbException(ExitCodes.NO_INSTANCE, "no instance named " + name + scope.describe()
                + (names.isEmpty() ? "; none exist" : "; instances: " + String.join(", ", names)));
    }

    /**
     * Removes instances with their anonymous volumes.
     *
     * @param names the instances to remove; empty means the only one there is
     * @param all remove every devdb instance of the scope
     * @return the names removed
     */
    public List<String> down(List<String> names, boolean all) {
        List<String> removed = new ArrayList<>();
        if (all) {
            for (ContainerInfo c : scope.containers(engine)) {
                engine.remove(c.id(), Duration.ZERO);
                removed.add(c.label(Labels.NAME) != null ? c.label(Labels.NAME) : c.name());
            }
            for (String network : scope.networks(engine)) {
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
                topologies.replicasOf(c.label(Labels.NAME)).forEach(r -> gone.add(r.label(Labels.NAME)));
            }
            topologies.remove(c);
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
        launcher.waitReady(i.containerId(), i.name(), timeout, listener, false, Seeds.NONE);
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
        java.util.Set<String> emptied = new java.util.HashSet<>();
        for (ContainerInfo c : scope.containers(engine)) {
            Pruned p = pruneCandidate(c, now);
            if (p != null && (globs.isEmpty() || globs.stream().anyMatch(g -> g.matcher(p.name()).matches()))) {
                if (!dryRun) {
                    engine.remove(c.id(), Duration.ZERO);
                    if (c.label(Labels.TOPOLOGY) != null) {
                        emptied.add(c.label(Labels.TOPOLOGY));
                    }
                }
                result.add(p);
            }
        }
        if (!dryRun) {
            topologies.removeEmptyNetworks(emptied);
        }
        result.sort(Comparator.comparing(Pruned::name));
        return result;
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
