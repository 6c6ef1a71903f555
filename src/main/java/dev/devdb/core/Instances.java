package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
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

    /** What starts servers for these instances. */
    Launcher launcher() {
        return launcher;
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
        UpPlan plan = UpPlan.of(request, profile, registry);
        plan.warnings().forEach(listener::warning);
        String containerName = scope.containerName(plan.name());
        ContainerInfo existing = engine.inspect(containerName).orElse(null);
        switch (plan.reconcile(existing, scope, containerName, request.recreate())) {
            case SHARE:
                return share(existing, plan, request.noWait(), started);
            case REPLACE:
                listener.step("removing " + containerName + " to recreate it");
                topologies.remove(existing);
                break;
            default:
                break;
        }
        topologies.checkReplicaNamesFree(plan.name(), plan.replicas());
        if (plan.network() != null && !engine.networkExists(plan.network())) {
            throw new DevDbException(ExitCodes.USAGE, "Docker network " + plan.network() + " does not exist; create it"
                    + " with `docker network create " + plan.network() + "` or start the compose project that defines it");
        }
        return launch(plan, request, listener, started);
    }

    /** What to say about where an instance's port is published and how this machine reaches it (may be none). */
    public List<String> portNotes(Instance instance) {
        return engine.inspect(instance.containerId())
                .map(c -> PublishedPorts.notes(engine.endpoint(), c.labels(), instance.port()))
                .orElse(List.of());
    }

    /**
     * How this machine reaches an instance's port when the address devdb prints needs a forward first (the port
     * is on the loopback of another host, where the engine runs), or null when it reaches it as printed.
     */
    public String forwardNote(Instance instance) {
        if (engine.endpoint() == null || engine.endpoint().onThisMachine()) {
            return null;
        }
        return engine.inspect(instance.containerId())
                .map(c -> PublishedPorts.forwardNote(engine.endpoint(), c.labels(), instance.port()))
                .orElse(null);
    }

    /**
     * The running instance a repeated {@code up} shares. Ready: an earlier up finished, so this one is a
     * repeat. Not ready: another up is starting it right now (or started it with --no-wait), and two
     * callers must not silently share an instance that one of them is still setting up.
     */
    private UpResult share(ContainerInfo c, UpPlan plan, boolean noWait, long started) {
        boolean ready = c.hostPort() != null && launcher.readiness().greet(c, c.hostPort(), 3000).ready()
                && launcher.readiness().initialised(c.id(), c.labels());
        if (!ready && !noWait) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + plan.name() + " is starting but does not"
                    + " accept connections yet (another `devdb up` is starting it, or started it with"
                    + " --no-wait); wait for it with `devdb wait " + plan.name() + "`, or pick another --name");
        }
        List<Instance> members = topologies.runningReplicas(plan.name(), plan.replicas());
        Instance instance = Instance.of(engine.inspect(c.id()).orElseThrow(), engine.endpoint());
        return new UpResult(instance, true, Duration.ofNanos(System.nanoTime() - started), ready, members);
    }

    /**
     * Creates the planned instance and its replicas: launch, wait until they accept connections, keep
     * the initialised data in the cache. What it created is removed when it fails or the process is stopped.
     */
    private UpResult launch(UpPlan plan, UpRequest request, UpListener listener, long started) {
        Profile profile = plan.profile();
        String name = plan.name();
        String baseImageId = launcher.ensureImage(plan.image(), request.pull(), listener);
        String cacheKey = plan.cacheKey(baseImageId);
        String cacheImage = Labels.CACHE_REPOSITORY + ":" + cacheKey;
        Map<String, String> cacheLabels = engine.imageLabels(cacheImage);
        boolean warm = cacheLabels != null;
        String token = Passwords.generate(16);
        Instant expires = request.ttl() == null ? null : clock.instant().plus(request.ttl());
        Launcher.Plan shared = new Launcher.Plan(profile, plan.image(), cacheImage, plan.env(),
                plan.labels(scope, baseImageId, cacheKey, token, expires), plan.options(), plan.seeds(), cacheKey);
        String topologyNetwork = plan.replicas() > 0 ? topologies.topologyNetwork(name) : null;
        Cleanup cleanup = launcher.cleanup();
        return cleanup.guard("up", () -> cleanup.removeByToken(token, topologyNetwork), () -> {
            try {
                if (topologyNetwork != null) {
                    topologies.createNetwork(name, plan.replicas(), token, listener);
                }
                Map<String, String> dirty = warm && !request.noWait()
                        ? launcher.cacheEntries().dirtyEntry(cacheImage, cacheLabels) : null;
                String primaryId = launcher.launch(shared, plan.primary(), warm, dirty != null, listener);
                if (dirty != null && !launcher.cacheEntries().keeps(primaryId)) {
                    dirty = null; // another start keeps the clean copy
                }
                if (request.noWait()) {
                    // nobody waits for initialisation, so its result is not kept for the cache
                    launcher.awaitPortRecords(true);
                    Instance instance = Instance.of(engine.inspect(primaryId).orElseThrow(() -> new DevDbException(
                            ExitCodes.SERVER_FAILED, "instance " + name + " disappeared right after it started")), engine.endpoint());
                    return new UpResult(instance, false, Duration.ofNanos(System.nanoTime() - started), false);
                }
                String waiting = "waiting for " + profile.flavor().displayName() + " " + profile.version()
                        + " to accept connections";
                if (!warm) {
                    listener.step(waiting);
                    launcher.readiness().waitReady(primaryId, name, request.timeout(), listener, true, plan.seeds());
                    listener.step("preparing a copy of the seed state for resets inside the server");
                    String noCopy = launcher.preparedCopy().make(engine.inspect(primaryId).orElseThrow());
                    // stopped meanwhile: the copy may have failed because the container is being removed,
                    // and nothing of it is kept
                    cleanup.checkNotStopping();
                    if (noCopy != null) {
                        listener.step("resets of " + name + " will restart its server: " + noCopy);
                    }
                    listener.step("keeping the initialised data for the next up and reset (" + cacheImage + ")");
                    launcher.cacheEntries().commitCache(primaryId, cacheImage, plan.image(), profile, cacheKey);
                } else if (dirty != null) {
                    launcher.cacheEntries().keepClean(primaryId, name, request.timeout(), listener, cacheImage, dirty, true);
                }
                List<String> replicaIds = topologies.launchReplicas(shared, name, plan.replicas(), plan.network(),
                        listener);
                ContainerInfo ready = null;
                if (warm) {
                    listener.step(waiting);
                    ready = launcher.readiness().waitReady(primaryId, name, request.timeout(), listener, true,
                            Seeds.NONE);
                }
                topologies.awaitReplicas(name, replicaIds, request.timeout(), listener);
                List<Instance> members = topologies.startReplication(primaryId, replicaIds, request.timeout(), listener);
                launcher.awaitPortRecords(true);
                // a warm start's container as inspected when it was ready; a cold one's has been kept since
                Instance instance = Instance.of(ready != null ? ready : engine.inspect(primaryId).orElseThrow(),
                        engine.endpoint());
                return new UpResult(instance, false, Duration.ofNanos(System.nanoTime() - started), true, members);
            } finally {
                launcher.awaitPortRecords(false);
            }
        });
    }

    /** The container env variable holding the CDC connector user's password. */
    public static final String CDC_PASSWORD_ENV = "MYSQL_CDC_PASSWORD";
    /** The container env variable holding the replication user's password. */
    static final String REPLICATION_PASSWORD_ENV = "MYSQL_REPLICATION_PASSWORD";

    /** The name of replica {@code k} of {@code primary}. */
    public static String replicaName(String primary, int k) {
        return Topologies.replicaName(primary, k);
    }


    /**
     * Brings an instance back to the state right after its {@code up}: same image, configuration,
     * port, name and credentials, seeds applied; everything since is discarded.
     */
    public UpResult reset(String requested, Duration timeout, UpListener listener) {
        return reset(requested, true, timeout, listener).result();
    }

    /**
     * Brings an instance back to the state right after its {@code up}. Without {@code full}, inside the
     * running server from its prepared copy (see {@link PreparedCopy}) when that gives the same result;
     * otherwise, and with {@code full}, by starting a new container from the initialised data.
     */
    public ResetResult reset(String requested, boolean full, Duration timeout, UpListener listener) {
        long started = System.nanoTime();
        ContainerInfo old = inspectInstance(requested);
        String key = old.label(Labels.CACHE_KEY);
        String name = old.label(Labels.NAME);
        if (key == null) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "instance " + name
                    + " was created by an older devdb and cannot be reset; recreate it with `devdb up --recreate`");
        }
        if ("replica".equals(old.label(Labels.ROLE))) {
            throw new DevDbException(ExitCodes.USAGE, name + " is a replica of "
                    + old.label(Labels.TOPOLOGY) + "; reset the whole topology with `devdb reset "
                    + old.label(Labels.TOPOLOGY) + "`");
        }
        String fallback = null;
        if (!full) {
            fallback = inPlaceRefusal(old);
            if (fallback == null) {
                listener.step("resetting " + name + " inside its running server");
                try {
                    PreparedCopy.Done done = new PreparedCopy(engine).reset(old);
                    return new ResetResult(new UpResult(Instance.of(old, engine.endpoint()), false,
                            Duration.ofNanos(System.nanoTime() - started)), true, null, done.server(), done.waited());
                } catch (PreparedCopy.Fallback e) {
                    fallback = e.getMessage();
                }
            }
            listener.step("resetting " + name + " by a restart: " + fallback);
        }
        return new ResetResult(restart(old, key, name, timeout, listener, started), false, fallback, null, null);
    }

    /** Why an instance cannot be reset inside its running server, or null when it can be tried. */
    private static String inPlaceRefusal(ContainerInfo c) {
        if (!c.running()) {
            return "its server is not running (" + c.state() + ")";
        }
        if ("primary".equals(c.label(Labels.ROLE))) {
            return "the members of a replication topology are reset together";
        }
        if ("true".equals(c.label(Labels.CDC))) {
            return "the change stream of a --cdc instance would not see a reset inside the server";
        }
        return null;
    }

    private UpResult restart(ContainerInfo old, String key, String name, Duration timeout, UpListener listener,
            long started) {
        String cacheImage = Labels.CACHE_REPOSITORY + ":" + key;
        Map<String, String> cacheLabels = engine.imageLabels(cacheImage);
        if (cacheLabels == null) {
            throw new DevDbException(ExitCodes.IMAGE, "the initialised data of " + name + " (" + cacheImage
                    + ") is not in the cache (pruned, or never kept because of `up --no-wait`); recreate the instance with "
                    + "`devdb up --recreate`");
        }
        if (!"primary".equals(old.label(Labels.ROLE))) {
            return launcher.replace(old, cacheImage, timeout, listener, started, "resetting",
                    launcher.cacheEntries().dirtyEntry(cacheImage, cacheLabels));
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

    /** The container's environment with devdb's credentials emptied, for images made from it. */
    List<String> imageEnv(String id) {
        return launcher.cacheEntries().imageEnv(id);
    }


    /** What undoes an operation's creations when it fails or the process is stopped. */
    Cleanup cleanup() {
        return launcher.cleanup();
    }

    /** All instances, running or not, oldest first. */
    public List<Instance> list() {
        List<Instance> result = new ArrayList<>();
        for (ContainerInfo c : scope.containers(engine)) {
            if (c.label(Labels.NAME) != null && !c.label(Labels.NAME).isEmpty()) {
                result.add(Instance.of(c, engine.endpoint()));
            }
        }
        result.sort(Comparator.comparing(Instance::created, Comparator.nullsLast(Comparator.naturalOrder()))
                .thenComparing(Instance::name));
        return result;
    }

    /**
     * Whether the profile each instance was started from, read again now, still describes it; by
     * instance name.
     */
    public Map<String, Drift> drift() {
        List<ContainerInfo> containers = scope.containers(engine).stream()
                .filter(c -> c.label(Labels.NAME) != null).toList();
        Map<String, Drift> byId = Drift.of(containers, catalog, engine);
        Map<String, Drift> byName = new java.util.HashMap<>();
        containers.forEach(c -> byName.put(c.label(Labels.NAME), byId.get(c.id())));
        return byName;
    }

    /**
     * The instance a command should act on, credentials included.
     *
     * @param name the name given, or null: then the only instance there is
     */
    public Instance get(String requested) {
        return Instance.of(inspectInstance(requested), engine.endpoint());
    }

    private static final java.util.regex.Pattern PLAIN_NAME = java.util.regex.Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,99}");

    /** The container of the instance a command should act on, as inspect reports it (environment included). */
    ContainerInfo inspectInstance(String requested) {
        if (requested != null && PLAIN_NAME.matcher(requested).matches()) {
            // one request where the container has its instance's name, as it has but during a reset's restart
            Optional<ContainerInfo> named = engine.inspect(scope.containerName(requested));
            if (named.isPresent() && "true".equals(named.get().label(Labels.MANAGED))
                    && scope.contains(named.get().labels()) && requested.equals(named.get().label(Labels.NAME))) {
                return named.get();
            }
        }
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
                String name = c.label(Labels.NAME);
                removed.add(name != null && !name.isEmpty() ? name : c.name());
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
        launcher.readiness().waitReady(i.containerId(), i.name(), timeout, listener, false, Seeds.NONE);
        return Instance.of(engine.inspect(i.containerId()).orElseThrow(() -> noSuchInstance(i.name())), engine.endpoint());
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
        String name = c.label(Labels.NAME) != null && !c.label(Labels.NAME).isEmpty() ? c.label(Labels.NAME) : c.name();
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
