package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ContainerSpec;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Binlog;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.InitFile;
import dev.devdb.mysql.PoolScripts;
import dev.devdb.mysql.ServerCertificate;
import dev.devdb.mysql.ServerVersion;
import dev.devdb.mysql.StartScript;
import dev.devdb.profile.Profile;
import dev.devdb.profile.ServerOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Starts one server's container: creates it from its image (cold, through the image's entrypoint) or
 * from initialised data (warm, with this instance's credentials), keeps initialised data in the cache,
 * and swaps a container for one started from such data. Waiting for a server is {@link Readiness}'s.
 */
final class Launcher {
    private static final int CONTAINER_PORT = 3306;
    /** Where instances keep their data: outside the image's VOLUME, so a commit captures it. */
    static final String DATADIR = "/var/lib/devdb/data";
    static final String INIT_FILE = InitFile.PATH;
    /**
     * Where a devdb before this one wrote the init file: in the container's layer, so images committed
     * from its containers hold the passwords it sets. A start removes it.
     */
    static final String FORMER_INIT_FILE = "/etc/mysql/devdb-init.sql";
    static final String ETC = "/etc/mysql";
    static final String CONF_DIR = ETC + "/conf.d";
    /**
     * In {@link #ETC}: the id of the container and the host port the engine published it on, written
     * once it started. A stopped container shows no port, and its replacement should get the same one.
     */
    static final String PORT_FILE = "devdb-port";

    private final Engine engine;
    private final Scope scope;
    private final Cleanup cleanup;
    private final Readiness readiness;
    private final CacheEntries cacheEntries;
    private final PreparedCopy preparedCopy;
    /** Port records being written in the background, and their failures. */
    private final List<Thread> portRecords = new ArrayList<>();
    private final List<RuntimeException> portRecordFailures = new ArrayList<>();

    Launcher(Engine engine, Scope scope, Cleanup cleanup) {
        this.engine = engine;
        this.scope = scope;
        this.cleanup = cleanup;
        this.readiness = new Readiness(engine);
        this.cacheEntries = new CacheEntries(engine, scope, readiness);
        this.preparedCopy = new PreparedCopy(engine);
    }

    /** The prepared copy of the seed state, for resets inside the server. */
    PreparedCopy preparedCopy() {
        return preparedCopy;
    }

    /** Where initialised data is kept. */
    CacheEntries cacheEntries() {
        return cacheEntries;
    }

    /** How this launcher's servers are waited for. */
    Readiness readiness() {
        return readiness;
    }

    /** What undoes this process's creations when it fails or is stopped. */
    Cleanup cleanup() {
        return cleanup;
    }

    /** What every member of one {@code up} shares. */
    record Plan(Profile profile, String image, String cacheImage, Map<String, String> env,
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
    record Member(String name, Integer port, Integer serverId, String role, String topology, int replicas,
            String alias) {}

    /**
     * Creates, prepares and starts one member's container; returns its id without waiting for the server.
     *
     * @param keep on a warm start from data copied from a running server: the start script recovers
     *     it, stops the server cleanly and waits, so that {@link CacheEntries#keepClean} can keep the clean data
     */
    String launch(Plan plan, Member m, boolean warm, boolean keep, UpListener listener) {
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
        String containerName = scope.containerName(m.name());
        ContainerSpec spec = spec(containerName, warm ? plan.cacheImage() : plan.image(), profile.flavor(), warm,
                keep ? plan.cacheKey() : null, plan.env(), labels, m.port(), profile.resources().memoryBytes(),
                profile.resources().nanoCpus());
        listener.step("creating " + containerName + " from "
                + (warm ? "initialised data " + plan.cacheImage() : plan.image()));
        // A server that makes a TLS certificate at every start gets one to keep with its data (the start
        // script does), made while the container is created.
        FutureTask<ServerCertificate> certificate = null;
        if (!warm && ServerCertificate.madeAtEveryStart(profile.flavor(), ServerVersion.ofTag(profile.version()))) {
            certificate = new FutureTask<>(() -> ServerCertificate.generate(
                    "devdb " + profile.flavor().displayName() + " Server", java.time.Instant.now()));
            Thread maker = new Thread(certificate, "devdb-certificate");
            maker.setDaemon(true);
            maker.start();
        }
        String id = create(spec, m.name());
        if (warm && keep && !cacheEntries.firstKeeper(id, plan.cacheKey())) {
            // another start created its keeper a moment earlier: it makes the clean copy
            engine.remove(id, Duration.ZERO);
            return launch(plan, m, true, false, listener);
        }
        if (warm) {
            copyConfiguration(id, Map.of(), keep);
        } else {
            String cnf = ServerOptions.render(plan.options(), "Written by devdb (profile " + profile.name() + ").");
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put(CONF_DIR.substring(ETC.length() + 1) + "/devdb.cnf", cnf.getBytes(StandardCharsets.UTF_8));
            files.put(StartScript.PATH.substring(ETC.length() + 1), StartScript.text());
            if (certificate != null) {
                ServerCertificate tls = result(certificate);
                files.put(ServerCertificate.DIRECTORY + "/" + ServerCertificate.CERTIFICATE_FILE,
                        tls.certificate().getBytes(StandardCharsets.US_ASCII));
                files.put(ServerCertificate.DIRECTORY + "/" + ServerCertificate.KEY_FILE,
                        tls.key().getBytes(StandardCharsets.US_ASCII));
            }
            // the configuration, the start script and the seeds in one archive
            Map<String, Map<String, byte[]>> written = new LinkedHashMap<>();
            written.put(ETC, files);
            if (plan.env().containsKey(Instances.CDC_PASSWORD_ENV)) {
                written.put(Seeds.DIRECTORY, Map.of("000-devdb-cdc-user.sh",
                        Binlog.cdcUserScript().getBytes(StandardCharsets.UTF_8)));
            }
            engine.putFiles(id, written, plan.seeds().isEmpty() ? Map.of()
                    : Map.of(Seeds.DIRECTORY, plan.seeds().copies()));
        }
        attachNetworks(id, labels);
        listener.step("starting " + containerName);
        try {
            engine.start(id);
        } catch (DevDbException e) {
            if (e.exitCode() == ExitCodes.IMAGE_UNFIT) {
                throw unfitImage(spec.image(), e.getMessage(), true, e);
            }
            throw e;
        }
        recordPort(id);
        return id;
    }

    /**
     * The one place a server's container is specified. Cold: the image, through devdb's start script,
     * which initialises the data. Warm: initialised data, the server started directly; when it keeps the
     * clean copy of its cache entry, through the start script, which makes that copy first.
     *
     * @param keeping the key of the cache entry this warm start keeps clean, or null
     * @param env the credentials and the profile's variables
     * @param labels the member's labels
     */
    static ContainerSpec spec(String containerName, String image, Flavor flavor, boolean warm, String keeping,
            Map<String, String> env, Map<String, String> labels, Integer port, Long memoryBytes, Long nanoCpus) {
        Map<String, String> allLabels = new LinkedHashMap<>(labels);
        // An image's labels pass to its containers, and a cache image has those of the container it was
        // made from: a warm start says explicitly that it waits for no file and which one keeps the entry.
        allLabels.put(Labels.READY_FILE, warm ? "" : StartScript.STATE_DIRECTORY + "/" + StartScript.READY_FILE);
        if (warm) {
            allLabels.put(Labels.KEEPING, keeping != null ? keeping : "");
        }
        boolean keep = warm && keeping != null;
        Map<String, String> allEnv = new LinkedHashMap<>(env);
        if (keep) {
            allEnv.put(StartScript.KEEP_ENV, "1");
        }
        List<String> command = new ArrayList<>();
        if (!warm || keep) {
            command.add(flavor.server());
        }
        command.addAll(warm ? warmCommand() : List.of("--datadir=" + DATADIR));
        command.addAll(memberArgs(allLabels));
        List<String> entrypoint = !warm ? StartScript.entrypoint() : keep ? keepEntrypoint() : warmEntrypoint(flavor);
        return new ContainerSpec(containerName, image, allEnv, entrypoint, command, allLabels, CONTAINER_PORT, port,
                memoryBytes, nanoCpus, PublishedPorts.bind(allLabels));
    }

    /** The error for an image that lacks what devdb needs ({@code what}: "the image has no bash on PATH"). */
    static DevDbException unfitImage(String image, String what, boolean removed, Throwable cause) {
        return new DevDbException(ExitCodes.IMAGE_UNFIT, "image " + image + " cannot run a devdb instance: " + what
                + "; see \"What devdb needs of an image\" in the README" + (removed ? "; the container was removed" : ""),
                cause);
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
            engine.connectNetwork(id, Scope.ofLabels(labels).containerName(labels.get(Labels.TOPOLOGY)),
                    List.of(labels.get(Labels.NAME)));
        }
        if (labels.get(Labels.NETWORK) != null) {
            String alias = labels.get(Labels.NETWORK_ALIAS);
            engine.connectNetwork(id, labels.get(Labels.NETWORK), alias == null ? List.of() : List.of(alias));
        }
    }

    /**
     * Replaces an instance's container by one started from {@code dataImage}, keeping everything else.
     *
     * @param dirty the labels of a cache entry copied from a running server, which this start keeps
     *     clean (see {@link CacheEntries#keepClean}); null otherwise
     */
    UpResult replace(ContainerInfo old, String dataImage, Duration timeout, UpListener listener, long started,
            String verb, Map<String, String> dirty) {
        String name = old.label(Labels.NAME);
        Flavor flavor = Flavor.parse(old.label(Labels.FLAVOR));
        Integer port = portOf(old);
        String token = Passwords.generate(16);
        Map<String, String> labels = new LinkedHashMap<>(old.labels());
        labels.put(Labels.UP_TOKEN, token);
        Scope.ofLabels(old.labels()).stamp(labels); // not the scope of the image it starts from
        Map<String, String> env = new LinkedHashMap<>();
        for (String key : List.of("MYSQL_ROOT_PASSWORD", "MYSQL_DATABASE", "MYSQL_USER", "MYSQL_PASSWORD",
                Instances.CDC_PASSWORD_ENV, Instances.REPLICATION_PASSWORD_ENV)) {
            if (old.env().get(key) != null && !old.env().get(key).isEmpty()) {
                env.put(key, old.env().get(key));
            }
        }
        boolean keep = dirty != null;
        listener.step(verb + " " + old.name());
        // The old container's configuration is read while it is renamed and the new one created.
        FutureTask<Map<String, byte[]>> config = new FutureTask<>(() -> {
            Map<String, byte[]> files = new LinkedHashMap<>();
            engine.readFiles(old.id(), CONF_DIR).forEach((file, bytes) -> {
                if (file.startsWith("devdb") && file.endsWith(".cnf")) {
                    files.put(file, bytes);
                }
            });
            return files;
        });
        Thread configReader = new Thread(config, "devdb-read-config");
        configReader.start();
        // and its pool of fresh databases, if it has one, which the new container takes over
        FutureTask<Map<String, byte[]>> pool = new FutureTask<>(() -> Pool.files(engine, old.id()));
        Thread poolReader = new Thread(pool, "devdb-read-pool");
        poolReader.start();
        // The old container is renamed at once, so the new one can take its name, and killed (which frees
        // the port) while the new one is created. It is removed (the slow part) once the new one has
        // started, while its server starts: until then a failure or a stop gives the old one back, after
        // that the new one is the instance. Either way the instance is never lost, and every way out waits
        // for that removal, a stopped process's clean-up included.
        java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
        // true once the new container has started (the old one goes), false when the old one stays
        java.util.concurrent.CompletableFuture<Boolean> handedOver = new java.util.concurrent.CompletableFuture<>();
        Thread removal = new Thread(() -> {
            try {
                engine.kill(old.id());
            } finally {
                killed.countDown();
            }
            joinQuietly(configReader); // the configuration and the pool are read from the old container
            joinQuietly(poolReader);
            if (handedOver.join()) {
                engine.remove(old.id(), Duration.ZERO);
            }
        }, "devdb-remove-old");
        // the rename and the removal's start happen under this lock, never once the undo has begun
        java.util.concurrent.atomic.AtomicBoolean undone = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean restored = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<String> created = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable undo = () -> {
            synchronized (undone) {
                undone.set(true);
            }
            if (!handedOver.complete(false) && handedOver.join()) {
                // the new container started: it is the instance now; one that waits for its data to be kept
                // is let go on without
                if (keep) {
                    try {
                        engine.writeFiles(created.get(), StartScript.STATE_DIRECTORY, Map.of(StartScript.GO_FILE,
                                new byte[0]));
                    } catch (RuntimeException e) {
                        // it goes on by itself after a while
                    }
                }
                joinQuietly(removal);
                return;
            }
            joinQuietly(removal);
            joinQuietly(configReader);
            joinQuietly(poolReader);
            // the undo may run twice at once (the stopped process's hook, the failing operation): once is done
            synchronized (restored) {
                if (!restored.get()) {
                    cleanup.removeByToken(token, null);
                    giveBack(old);
                    restored.set(true);
                }
            }
        };
        return cleanup.guard("reset", undo, () -> {
            try {
                synchronized (undone) {
                    if (undone.get()) {
                        throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
                    }
                    engine.rename(old.id(), old.name() + "-old-"
                            + token.substring(0, 6).toLowerCase(java.util.Locale.ROOT));
                    removal.start();
                }
                String id = create(spec(old.name(), dataImage, flavor, true, keep ? dirty.get(Labels.CACHE_KEY) : null,
                        env, labels, port, longLabel(old, Labels.MEMORY), longLabel(old, Labels.CPUS)), name);
                created.set(id);
                copyConfiguration(id, result(config), keep);
                Map<String, byte[]> poolFiles = result(pool);
                Pool.write(engine, id, poolFiles);
                attachNetworks(id, labels);
                awaitQuietly(killed);
                // a stop that came before this point gives the old container back, even if its clean-up
                // is still waiting for the create request to be answered
                cleanup.checkNotStopping();
                listener.step("starting " + old.name());
                engine.start(id);
                if (!handedOver.complete(true)) {
                    throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted"); // the old one is given back
                }
                recordPort(id);
                if (keep) {
                    cacheEntries.keepClean(id, name, timeout, listener, dataImage, dirty, false);
                }
                listener.step("waiting for " + name + " to accept connections");
                ContainerInfo ready = readiness.waitReady(id, name, timeout, listener, false, Seeds.NONE);
                if (!poolFiles.isEmpty()) {
                    listener.step("setting up the pool of fresh databases of " + name + " again");
                    String failed = Pool.resume(engine, id, flavor, env.get("MYSQL_ROOT_PASSWORD"));
                    if (failed != null) {
                        listener.step("the pool of " + name + " was not set up again (" + failed
                                + "); `devdb db pool " + name + "` sets it up");
                    }
                }
                awaitPortRecords(true);
                return new UpResult(Instance.of(ready, engine.endpoint()), false,
                        Duration.ofNanos(System.nanoTime() - started));
            } finally {
                awaitPortRecords(false);
                handedOver.complete(false); // not started: the old container stays, and the undo gives it back
                joinQuietly(removal);
            }
        });
    }

    /**
     * Gives an instance its old container back when its replacement did not start: the name again, and
     * its server started again if it ran. Best effort: what is left carries devdb's labels.
     */
    private void giveBack(ContainerInfo old) {
        try {
            engine.rename(old.id(), old.name());
        } catch (RuntimeException e) {
            // not renamed yet, or the name is taken: `devdb ps` shows it by its label all the same
        }
        if (old.running()) {
            try {
                engine.start(old.id());
            } catch (RuntimeException e) {
                // not killed yet, or it cannot start: `devdb reset` starts it anew
            }
        }
    }

    /**
     * The host port an instance's container has or, stopped, had: the one published, the one asked
     * for, or the one it recorded when it started.
     */
    private Integer portOf(ContainerInfo old) {
        if (old.hostPort() != null) {
            return old.hostPort();
        }
        if (old.label(Labels.FIXED_PORT) != null) {
            return Integer.parseInt(old.label(Labels.FIXED_PORT));
        }
        byte[] recorded = engine.readFiles(old.id(), ETC).get(PORT_FILE);
        String[] fields = recorded == null ? new String[0] : new String(recorded, StandardCharsets.UTF_8).trim()
                .split(" ");
        // the file of the container it was made from may have come with the image: it names that one
        if (fields.length == 2 && fields[0].equals(old.id()) && fields[1].matches("[0-9]{1,5}")) {
            return Integer.valueOf(fields[1]);
        }
        return null;
    }

    /**
     * Records the host port the engine published a started container on (see {@link #PORT_FILE}), in the
     * background: nobody needs the record before the server is ready, so it is written while the server
     * starts. {@link #awaitPortRecords} waits for it.
     */
    private void recordPort(String id) {
        Thread record = new Thread(() -> {
            try {
                Integer port = engine.inspect(id).map(ContainerInfo::hostPort).orElse(null);
                if (port != null) {
                    engine.copyFile(id, ETC, PORT_FILE, (id + " " + port + "\n").getBytes(StandardCharsets.UTF_8),
                            0644);
                }
            } catch (RuntimeException e) {
                synchronized (portRecords) {
                    portRecordFailures.add(e);
                }
            }
        }, "devdb-record-port");
        synchronized (portRecords) {
            portRecords.add(record);
        }
        record.start();
    }

    /**
     * Waits until every port record this launcher started is written.
     *
     * @throws RuntimeException the first record's failure, when {@code rethrow}
     */
    void awaitPortRecords(boolean rethrow) {
        List<Thread> threads;
        synchronized (portRecords) {
            threads = new ArrayList<>(portRecords);
            portRecords.clear();
        }
        threads.forEach(Launcher::joinQuietly);
        RuntimeException failure;
        synchronized (portRecords) {
            failure = portRecordFailures.isEmpty() ? null : portRecordFailures.get(0);
            portRecordFailures.clear();
        }
        if (failure != null && rethrow) {
            throw failure;
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a task run in another thread returned, or what it threw. */
    private static <T> T result(FutureTask<T> task) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
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

    /**
     * The server binary, started by bash, which first forgets the server UUID the initialised data
     * carries: every instance made from one cache entry then has its own (replication needs that). It
     * also drops socket lock files copied from a running server: they name that server's process id,
     * which here may be another process, and the server would refuse to start. It writes the init
     * file from the container's environment (see {@link #writeInitFile}), so nothing has to be copied
     * into the container before it starts. When the container has a pool of fresh databases (it was
     * restarted), the pool's refillers start again once the server answers.
     */
    private static List<String> warmEntrypoint(Flavor flavor) {
        return List.of("bash", "-c", "rm -f " + DATADIR + "/auto.cnf " + SOCKET_LOCKS + " && " + writeInitFile()
                + " && { " + PoolScripts.resumeInBackground(flavor) + "; exec \"$0\" \"$@\"; }", flavor.server());
    }

    /**
     * The start script, on initialised data it keeps clean (see {@link StartScript#KEEP_ENV}): the
     * container first writes its init file, as {@link #warmEntrypoint} does.
     */
    private static List<String> keepEntrypoint() {
        return StartScript.entrypoint(writeInitFile());
    }

    /**
     * Bash that writes the init file (see {@link InitFile}) from the container's environment at each
     * start, on the tmpfs every container has at {@code /dev}: it is in no image committed from the
     * container. It first removes the file a devdb before this one kept in the container's layer
     * ({@link #FORMER_INIT_FILE}), which holds the passwords of the instance the image was made from.
     */
    private static String writeInitFile() {
        return "rm -f " + INIT_FILE + " " + FORMER_INIT_FILE + " && " + InitFile.writer(INIT_FILE,
                Instances.CDC_PASSWORD_ENV);
    }

    /** Where the images keep their sockets' lock files. */
    private static final String SOCKET_LOCKS = "/var/run/mysqld/*.lock /run/mysqld/*.lock";

    /** Server arguments for a start from initialised data: the image's entrypoint is not needed. */
    private static List<String> warmCommand() {
        return List.of("--datadir=" + DATADIR, "--user=mysql", "--init-file=" + INIT_FILE);
    }

    /**
     * Copies what a container started from initialised data needs beyond what it writes itself (see
     * {@link #warmEntrypoint}): the configuration of the container it replaces; and when the start
     * script keeps the clean copy of its cache entry, the script. Nothing, in one request at most.
     */
    void copyConfiguration(String id, Map<String, byte[]> config, boolean withScript) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        config.forEach((file, bytes) -> files.put(CONF_DIR.substring(ETC.length() + 1) + "/" + file, bytes));
        if (withScript) {
            files.put(StartScript.PATH.substring(ETC.length() + 1), StartScript.text());
        }
        if (!files.isEmpty()) {
            engine.writeFiles(id, ETC, files);
        }
    }

    String create(ContainerSpec spec, String name) {
        try {
            return cleanup.create(() -> engine.create(spec));
        } catch (DevDbException e) {
            if (e.exitCode() == ExitCodes.NAME_CONFLICT) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "instance " + name + " is being created by another"
                        + " `devdb up` at this moment; wait for it with `devdb wait " + name + "`, or pick another --name");
            }
            throw e;
        }
    }

    /** Makes sure the image is present, pulling it as the policy allows; returns its id. */
    String ensureImage(String image, UpRequest.PullPolicy policy, UpListener listener) {
        String id = policy == UpRequest.PullPolicy.ALWAYS ? null : engine.imageId(image);
        if (id != null) {
            return id;
        }
        if (policy == UpRequest.PullPolicy.NEVER) {
            throw new DevDbException(ExitCodes.IMAGE, "image " + image
                    + " is not available locally and --pull never was given; pull it or allow pulling");
        }
        listener.step("pulling " + image);
        engine.pull(image, listener::pull);
        return engine.imageId(image);
    }
}
