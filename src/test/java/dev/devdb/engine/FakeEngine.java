package dev.devdb.engine;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.FakeMysqlServer;
import dev.devdb.mysql.InitFile;
import dev.devdb.mysql.StartScript;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An {@link Engine} held in memory, for command tests. Containers keep their labels, environment,
 * state, published port and files; images keep their labels and, when committed, the files of the
 * container they were made from. Every call is recorded. A started container listens on a real
 * 127.0.0.1 port and greets like a MySQL server, so devdb's readiness probe passes, unless the test
 * made it exit with {@link #exitOnNextStart}.
 */
public final class FakeEngine implements Engine {
    public static final String ENDPOINT = "unix:///fake/docker.sock";
    private Endpoint endpoint = new Endpoint(ENDPOINT, Endpoint.Origin.DEFAULT, null, null);

    private final Map<String, Box> containers = new LinkedHashMap<>();
    private final Map<String, Picture> images = new LinkedHashMap<>();
    private final Set<String> unpullable = new LinkedHashSet<>();
    private final Map<String, Map<String, String>> networks = new LinkedHashMap<>();
    private java.util.function.Function<List<String>, ExecResult> execResponder = command -> new ExecResult(0, "", "");
    private final List<String> calls = new ArrayList<>();
    private DevDbException failure;
    private DevDbException nextStartFailure;
    private Integer nextExitCode;
    private List<String> nextExitLogs;
    private int nextId = 1;
    private Instant lastContainer = Instant.EPOCH;
    private Instant lastImage = Instant.EPOCH;
    private boolean closed;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private boolean neverInitialised;
    private Runnable duringNextCreate;
    private Runnable duringNextRemove;
    private Runnable duringNextCommit;
    private int execExitCode;
    private String execStdout = "";
    private String execStderr = "";
    private Map<String, String> lastExecEnv = Map.of();
    private java.util.function.BiFunction<List<String>, Map<String, String>, ExecResult> execScript;

    /** A container. */
    private static final class Box {
        final String id;
        final String image;
        final ContainerSpec spec;
        final Map<String, String> labels;
        final Map<String, String> env;
        final Integer fixedPort;
        final Instant created;
        final Map<String, byte[]> files = new LinkedHashMap<>();
        /** Files under /dev: a tmpfs mounted at each start, no part of the container's layer. */
        final Map<String, byte[]> devFiles = new LinkedHashMap<>();
        final List<Line> logs = new ArrayList<>();
        final List<Follower> followers = new ArrayList<>();
        String name;
        /** The image it was made from, or null for one a test added. */
        Picture picture;
        String state = "created";
        Integer exitCode;
        FakeMysqlServer server;

        Box(String id, String name, String image, ContainerSpec spec, Map<String, String> labels,
                Map<String, String> env, Integer fixedPort, Instant created) {
            this.id = id;
            this.name = name;
            this.image = image;
            this.spec = spec;
            this.labels = Map.copyOf(labels);
            this.env = Map.copyOf(env);
            this.fixedPort = fixedPort;
            this.created = created;
        }

        ContainerInfo info(boolean withEnv) {
            return new ContainerInfo(id, name, image, labels, state, exitCode, created,
                    server == null ? null : server.port(), withEnv ? env : Map.of());
        }

        void stopServer() {
            if (server != null) {
                server.close();
                server = null;
            }
            followers.forEach(Follower::end);
            followers.clear();
        }

        /** The container's main process writes a line. */
        void print(String text, Instant at) {
            Line line = new Line(at, text);
            logs.add(line);
            followers.forEach(f -> f.offer(line));
        }

        List<String> texts() {
            return logs.stream().map(Line::text).toList();
        }
    }

    /** A line of a container's output and when it was written. */
    private record Line(Instant at, String text) {}

    /** A followed log stream: it ends when the container stops or its reader closes it. */
    private static final class Follower implements Streaming {
        final Instant since;
        final Consumer<byte[]> sink;
        final java.util.concurrent.CountDownLatch ended = new java.util.concurrent.CountDownLatch(1);

        Follower(Instant since, Consumer<byte[]> sink) {
            this.since = since;
            this.sink = sink;
        }

        void offer(Line line) {
            if (ended.getCount() > 0 && (since == null || !line.at().isBefore(since))) {
                sink.accept((line.text() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }

        void end() {
            ended.countDown();
        }

        @Override
        public int await() throws InterruptedException {
            ended.await();
            return 0;
        }

        @Override
        public void close() {
            end();
        }
    }

    /**
     * An image (one id, possibly several references). What lies under its volumes in a container
     * made from it is in the volume, not in the container's layer: a commit leaves it out.
     */
    private record Picture(String id, Map<String, String> labels, Map<String, byte[]> files, Set<String> volumes,
            Map<String, String> env, Instant created) {
        boolean inVolume(String path) {
            return volumes.stream().anyMatch(v -> path.startsWith(v + "/"));
        }
    }

    /** Where the engine mounts a tmpfs in every started container. */
    private static final String DEV = "/dev/";
    /** The variable of the CDC connector's password, which the init file sets when it is there. */
    private static final String CDC_PASSWORD = "MYSQL_CDC_PASSWORD";

    /** The volume both flavours' images declare. */
    private static final Set<String> IMAGE_VOLUMES = Set.of("/var/lib/mysql");

    // ---- set-up by tests ----

    /**
     * Servers started by devdb's start script from now on greet but never finish their set-up, as
     * when a seed script hangs.
     */
    public synchronized FakeEngine neverInitialised() {
        neverInitialised = true;
        return this;
    }

    /** Reads the time (creation times, when output was written) from this clock from now on. */
    public synchronized FakeEngine withClock(java.time.Clock clock) {
        this.clock = clock;
        return this;
    }

    /** Makes an image present locally. */
    public synchronized FakeEngine withImage(String reference) {
        images.put(reference, new Picture(imageHash(), Map.of(), Map.of(), IMAGE_VOLUMES, Map.of(), imageStamp()));
        return this;
    }

    /** Makes pulling this image fail as a registry without it would. */
    public synchronized FakeEngine unpullable(String reference) {
        unpullable.add(reference);
        return this;
    }

    /** Makes every call fail with this exception, as an engine nobody answers for. */
    public synchronized FakeEngine failing(DevDbException e) {
        failure = e;
        return this;
    }

    /** The next container started exits at once with this code, having printed these lines. */
    public synchronized FakeEngine exitOnNextStart(int exitCode, List<String> logLines) {
        nextExitCode = exitCode;
        nextExitLogs = List.copyOf(logLines);
        return this;
    }

    /**
     * The next start fails with this exception and leaves the container created, as Docker's does
     * when the image lacks the entrypoint's program.
     */
    public synchronized FakeEngine failOnNextStart(DevDbException e) {
        nextStartFailure = e;
        return this;
    }

    /** Adds a container as something other than devdb (or an earlier devdb) would have left it. */
    public synchronized String addContainer(String name, String image, Map<String, String> labels, String state) {
        String id = containerHash();
        Box box = new Box(id, name, image, null, labels, Map.of(), null, stamp());
        box.state = state;
        if (!"running".equals(state)) {
            box.exitCode = 0;
        }
        containers.put(id, box);
        return id;
    }

    /** Answers plain execs from now on (the default answers every one with exit code 0 and no output). */
    public synchronized FakeEngine execResponder(java.util.function.Function<List<String>, ExecResult> responder) {
        execResponder = responder;
        return this;
    }

    /** What attached execs print and exit with from now on. */
    public synchronized FakeEngine execAnswers(int exitCode, String stdout, String stderr) {
        execExitCode = exitCode;
        execStdout = stdout;
        execStderr = stderr;
        return this;
    }

    /**
     * How plain and streaming execs ({@link #exec}, {@link #startExec}) answer from now on: by the
     * command and environment they were given; a null answer leaves a plain exec to
     * {@link #execResponder} and a streaming one to exit 0 with no output.
     */
    public synchronized FakeEngine execScript(
            java.util.function.BiFunction<List<String>, Map<String, String>, ExecResult> script) {
        execScript = script;
        return this;
    }

    /** Adds lines to a container's output (its logs), as its main process would write them. */
    public synchronized FakeEngine output(String containerNameOrId, String... lines) {
        Box box = existing(containerNameOrId);
        for (String line : lines) {
            box.print(line, clock.instant());
        }
        return this;
    }

    // ---- inspection by tests (not recorded as calls) ----

    /** The environment the last attached exec was given. */
    public synchronized Map<String, String> lastExecEnv() {
        return lastExecEnv;
    }

    /** Every call made, like {@code create devdb-mysql9} or {@code remove devdb-mysql9}. */
    public synchronized List<String> calls() {
        return List.copyOf(calls);
    }

    /** The calls of one kind: {@code calls("create")}. */
    public synchronized List<String> calls(String kind) {
        return calls.stream().filter(c -> c.equals(kind) || c.startsWith(kind + " ")).toList();
    }

    public synchronized List<String> containerNames() {
        return containers.values().stream().map(b -> b.name).toList();
    }

    /** A container by name, environment included. */
    public synchronized Optional<ContainerInfo> container(String name) {
        return box(name).map(b -> b.info(true));
    }

    /** What a container was created with, or null for one a test added. */
    public synchronized ContainerSpec spec(String containerName) {
        return box(containerName).map(b -> b.spec).orElse(null);
    }

    /** A file in a container, by absolute path, as text, or null. */
    public synchronized String file(String containerName, String path) {
        return box(containerName)
                .map(b -> path.startsWith(DEV) ? b.devFiles.get(path) : b.files.get(path))
                .map(bytes -> new String(bytes, StandardCharsets.UTF_8))
                .orElse(null);
    }

    /** The references of the images present. */
    public synchronized Set<String> imageReferences() {
        return Set.copyOf(images.keySet());
    }

    /** Answers as the engine at this endpoint would (a remote one's published ports are on its host). */
    public synchronized FakeEngine at(Endpoint e) {
        this.endpoint = e;
        return this;
    }

    public synchronized boolean closed() {
        return closed;
    }

    // ---- Engine ----

    @Override
    public synchronized Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public synchronized String version() {
        note("version");
        return "Fake 1.0 (API 1.45)";
    }

    @Override
    public synchronized EngineInfo info() {
        note("info");
        return new EngineInfo("Docker", "1.0", "1.45", "linux", "x86_64", "Fake OS", "overlay2", "/var/lib/fake",
                containers.size(), images.size());
    }

    @Override
    public synchronized boolean imageExists(String reference) {
        note("imageExists " + reference);
        return picture(reference) != null;
    }

    @Override
    public synchronized String imageId(String reference) {
        note("imageId " + reference);
        Picture p = picture(reference);
        return p == null ? null : p.id();
    }

    /** The files of a committed image (its container's layer, and what lay in its volumes), by path. */
    public synchronized Map<String, byte[]> imageFiles(String reference) {
        Picture p = picture(reference);
        return p == null ? Map.of() : p.files();
    }

    /** The environment an image gives its containers, or null when there is no such image. */
    public synchronized Map<String, String> imageEnv(String reference) {
        Picture p = images.get(reference);
        return p == null ? null : p.env();
    }

    @Override
    public synchronized Map<String, String> imageLabels(String reference) {
        note("imageLabels " + reference);
        Picture p = picture(reference);
        return p == null ? null : Map.copyOf(p.labels());
    }

    @Override
    public synchronized void pull(String reference, Consumer<PullProgress> progress) {
        note("pull " + reference);
        if (unpullable.contains(reference)) {
            throw new DevDbException(ExitCodes.IMAGE, "cannot pull image " + reference + ": manifest unknown");
        }
        progress.accept(new PullProgress("layer1", "Pull complete", 0, 0));
        progress.accept(new PullProgress(null, "Status: Downloaded newer image for " + reference, 0, 0));
        images.put(reference, new Picture(imageHash(), Map.of(), Map.of(), IMAGE_VOLUMES, Map.of(), imageStamp()));
    }

    /**
     * Runs this once, when the next create request has reached the engine and before the engine has
     * made the container (outside the fake's lock: other threads may call it meanwhile).
     */
    public synchronized FakeEngine duringNextCreate(Runnable action) {
        duringNextCreate = action;
        return this;
    }

    @Override
    public String create(ContainerSpec spec) {
        Runnable during;
        synchronized (this) {
            note("create " + spec.name());
            during = duringNextCreate;
            duringNextCreate = null;
        }
        if (during != null) {
            during.run();
        }
        return make(spec);
    }

    private synchronized String make(ContainerSpec spec) {
        if (find(spec.name()) != null) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + spec.name() + " already exists");
        }
        Picture picture = picture(spec.image());
        if (picture == null) {
            throw new DevDbException(ExitCodes.IMAGE, "image " + spec.image() + " is not available locally");
        }
        String id = containerHash();
        // as Docker does: the container has its image's labels, under the ones it was created with
        Map<String, String> labels = new LinkedHashMap<>(picture.labels());
        labels.putAll(spec.labels());
        // and its image's environment, under the one it was created with
        Map<String, String> env = new LinkedHashMap<>(picture.env());
        env.putAll(spec.env());
        Box box = new Box(id, spec.name(), spec.image(), spec, labels, env, spec.hostPort(), stamp());
        box.files.putAll(picture.files());
        box.picture = picture;
        containers.put(id, box);
        return id;
    }

    @Override
    public synchronized void copyFile(String containerId, String directory, String fileName, byte[] content,
            int mode) {
        Box box = existing(containerId);
        note("copyFile " + box.name + " " + directory + "/" + fileName + " " + Integer.toOctalString(mode));
        box.files.put(directory + "/" + fileName, content.clone());
    }

    @Override
    public synchronized void copyFiles(String containerId, String directory, List<FileCopy> files) {
        Box box = existing(containerId);
        for (FileCopy f : files) {
            note("copyFile " + box.name + " " + directory + "/" + f.name() + " " + Integer.toOctalString(f.mode()));
            try {
                box.files.put(directory + "/" + f.name(), Files.readAllBytes(f.source()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    @Override
    public synchronized void writeFiles(String containerId, String directory, Map<String, byte[]> files) {
        Box box = existing(containerId);
        files.forEach((path, content) -> {
            note("writeFile " + box.name + " " + directory + "/" + path);
            box.files.put(directory + "/" + path, content.clone());
        });
    }

    @Override
    public synchronized Map<String, byte[]> readFiles(String containerId, String directory) {
        Box box = find(containerId);
        note("readFiles " + (box == null ? containerId : box.name) + " " + directory);
        if (box == null) {
            return Map.of(); // as Docker: nothing to read
        }
        String prefix = directory.endsWith("/") ? directory : directory + "/";
        Map<String, byte[]> found = new LinkedHashMap<>();
        (prefix.startsWith(DEV) ? box.devFiles : box.files).forEach((path, content) -> {
            String rest = path.startsWith(prefix) ? path.substring(prefix.length()) : "";
            if (!rest.isEmpty() && !rest.contains("/")) {
                found.put(rest, content.clone());
            }
        });
        return found;
    }

    @Override
    public synchronized void start(String containerId) {
        Box box = existing(containerId);
        note("start " + box.name);
        if ("running".equals(box.state)) {
            return; // as Docker: already started, nothing changes
        }
        if (nextStartFailure != null) {
            DevDbException e = nextStartFailure;
            nextStartFailure = null;
            throw e;
        }
        if (nextExitCode != null) {
            box.state = "exited";
            box.exitCode = nextExitCode;
            nextExitLogs.forEach(line -> box.print(line, clock.instant()));
            nextExitCode = null;
            nextExitLogs = null;
            return;
        }
        // what bash -c before the server does to files: a new tmpfs, files removed, the init file written
        box.devFiles.clear();
        String script = script(box.spec);
        if (script != null) {
            for (int rm = script.indexOf("rm -f "); rm >= 0; rm = script.indexOf("rm -f ", rm + 1)) {
                int end = script.indexOf(" && ", rm);
                for (String path : script.substring(rm + 6, end < 0 ? script.length() : end).split(" ")) {
                    box.files.remove(path);
                }
            }
            if (script.contains(InitFile.writer(InitFile.PATH, CDC_PASSWORD))) {
                box.devFiles.put(InitFile.PATH, InitFile.sql(box.env, CDC_PASSWORD).getBytes(StandardCharsets.UTF_8));
            }
        }
        // as the server: an init file it cannot open stops it
        for (String arg : box.spec == null ? List.<String>of() : box.spec.command()) {
            if (arg.startsWith("--init-file=")) {
                String file = arg.substring("--init-file=".length());
                if (!(file.startsWith(DEV) ? box.devFiles : box.files).containsKey(file)) {
                    box.state = "exited";
                    box.exitCode = 1;
                    box.print("[ERROR] [MY-010455] [Server] Failed to open the bootstrap file " + file, clock.instant());
                    return;
                }
            }
        }
        try {
            box.server = FakeMysqlServer.greeting(box.fixedPort == null ? 0 : box.fixedPort,
                    box.labels.getOrDefault("devdb.version", "8.4") + ".0");
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.PORT_IN_USE, "the host port is already in use: " + e.getMessage());
        }
        box.state = "running";
        box.exitCode = null;
        box.print("ready for connections", clock.instant());
        if (runsStartScript(box.spec) && !neverInitialised) {
            // what the start script does once the server is set up and the seed scripts have run:
            // asked to, it waits for devdb to keep the data first
            box.files.put(StartScript.STATE_DIRECTORY + "/" + StartScript.READY_FILE, new byte[0]);
            if (box.env.containsKey(StartScript.KEEP_ENV)) {
                box.files.put(StartScript.STATE_DIRECTORY + "/" + StartScript.PREPARED_FILE, new byte[0]);
            }
        }
    }

    /** The script of a container's {@code bash -c} entrypoint, or null. */
    private static String script(ContainerSpec spec) {
        List<String> entrypoint = spec == null ? List.of() : spec.entrypoint();
        return entrypoint.size() >= 3 && "bash".equals(entrypoint.get(0)) && "-c".equals(entrypoint.get(1))
                ? entrypoint.get(2) : null;
    }

    /** Whether a container's entrypoint ends in devdb's start script, alone or after bash of its own. */
    private static boolean runsStartScript(ContainerSpec spec) {
        if (spec == null) {
            return false;
        }
        String script = script(spec);
        return StartScript.entrypoint().equals(spec.entrypoint())
                || script != null && script.endsWith(" && exec bash " + StartScript.PATH + " \"$@\"");
    }

    @Override
    public synchronized List<ContainerInfo> list(Map<String, String> labels) {
        note("list " + labels);
        return containers.values().stream()
                .filter(b -> b.labels.entrySet().containsAll(labels.entrySet()))
                .map(b -> b.info(false))
                .toList();
    }

    @Override
    public synchronized Optional<ContainerInfo> inspect(String nameOrId) {
        note("inspect " + nameOrId);
        return Optional.ofNullable(find(nameOrId)).map(b -> b.info(true));
    }

    /** Runs once, in the next remove call, before the engine looks at the container: a slow removal. */
    public synchronized FakeEngine duringNextRemove(Runnable action) {
        duringNextRemove = action;
        return this;
    }

    @Override
    public void remove(String containerId, Duration grace) {
        Runnable during;
        synchronized (this) {
            during = duringNextRemove;
            duringNextRemove = null;
        }
        if (during != null) {
            during.run();
        }
        removeNow(containerId);
    }

    private synchronized void removeNow(String containerId) {
        Box box = find(containerId);
        note("remove " + (box == null ? containerId : box.name));
        if (box != null) {
            box.stopServer();
            containers.remove(box.id);
        }
    }

    @Override
    public synchronized void kill(String containerId) {
        Box box = find(containerId);
        note("kill " + (box == null ? containerId : box.name));
        if (box != null && "running".equals(box.state)) {
            box.stopServer();
            box.state = "exited";
            box.exitCode = 137;
        }
    }

    @Override
    public synchronized void rename(String containerId, String newName) {
        Box box = existing(containerId);
        note("rename " + box.name + " " + newName);
        if (find(newName) != null) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + newName + " already exists");
        }
        box.name = newName;
    }

    @Override
    public synchronized List<String> logs(String containerId, int tail) {
        Box box = find(containerId);
        note("logs " + (box == null ? containerId : box.name));
        if (box == null) {
            return List.of(); // as Docker: a missing container has written nothing
        }
        List<String> lines = box.texts();
        return List.copyOf(lines.subList(Math.max(0, lines.size() - tail), lines.size()));
    }

    @Override
    public synchronized ExecResult exec(String containerId, List<String> command, Map<String, String> env) {
        Box box = running(containerId);
        note("exec " + box.name + " " + String.join(" ", command));
        ExecResult answer = execScript == null ? null : execScript.apply(command, env);
        return answer == null ? execResponder.apply(command) : answer;
    }


    /** Runs once, in the next commit call, before the engine makes the image: a commit on its way. */
    public synchronized FakeEngine duringNextCommit(Runnable action) {
        duringNextCommit = action;
        return this;
    }

    @Override
    public String commit(String containerId, String repository, String tag, Map<String, String> labels,
            List<String> env) {
        Runnable during;
        synchronized (this) {
            during = duringNextCommit;
            duringNextCommit = null;
        }
        if (during != null) {
            during.run();
        }
        return commitNow(containerId, repository, tag, labels, env);
    }

    private synchronized String commitNow(String containerId, String repository, String tag, Map<String, String> labels,
            List<String> env) {
        Box box = existing(containerId);
        note("commit " + box.name + " " + repository + ":" + tag);
        // as Docker does: the image has the container's labels, under the ones given
        Map<String, String> imageLabels = new LinkedHashMap<>(box.labels);
        imageLabels.putAll(labels);
        // as Docker does: what lies under the image's volumes is in a volume, not in the container's layer
        Picture base = box.picture;
        Set<String> volumes = base == null ? Set.of() : base.volumes();
        Map<String, byte[]> files = new LinkedHashMap<>();
        box.files.forEach((path, content) -> {
            if (base == null || !base.inVolume(path)) {
                files.put(path, content);
            }
        });
        if (base != null) {
            base.files().forEach((path, content) -> {
                if (base.inVolume(path)) {
                    files.put(path, content);
                }
            });
        }
        Map<String, String> imageEnv = new LinkedHashMap<>();
        for (String kv : env) {
            int eq = kv.indexOf('=');
            imageEnv.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        // as Docker does: the container's variables the request leaves out are merged in
        box.env.forEach(imageEnv::putIfAbsent);
        Picture p = new Picture(imageHash(), Map.copyOf(imageLabels), Map.copyOf(files), volumes, Map.copyOf(imageEnv),
                imageStamp());
        images.put(repository + ":" + tag, p);
        return p.id();
    }

    @Override
    public synchronized List<ImageInfo> images(Map<String, String> labels) {
        note("images " + labels);
        Map<String, ImageInfo> byId = new LinkedHashMap<>();
        images.forEach((ref, p) -> {
            boolean matches = labels.entrySet().stream().allMatch(l -> p.labels().containsKey(l.getKey())
                    && (l.getValue().isEmpty() || l.getValue().equals(p.labels().get(l.getKey()))));
            if (matches) {
                ImageInfo seen = byId.get(p.id());
                List<String> tags = new ArrayList<>(seen == null ? List.of() : seen.tags());
                tags.add(ref);
                byId.put(p.id(), new ImageInfo(p.id(), List.copyOf(tags), p.labels(), 1_000_000, p.created(),
                        (int) containers.values().stream().filter(b -> b.image.equals(ref)).count()));
            }
        });
        return List.copyOf(byId.values());
    }

    @Override
    public synchronized boolean removeImage(String reference, boolean force) {
        note("removeImage " + reference);
        Picture p = picture(reference);
        if (p == null) {
            return true;
        }
        List<String> refs = images.entrySet().stream().filter(e -> e.getValue().id().equals(p.id()))
                .map(Map.Entry::getKey).toList();
        boolean used = containers.values().stream().anyMatch(b -> refs.contains(b.image));
        if (used && !force) {
            return false;
        }
        if (images.containsKey(reference)) {
            images.remove(reference);
        } else {
            refs.forEach(images::remove);
        }
        return true;
    }

    @Override
    public synchronized AttachedExec execAttached(String containerId, List<String> command, Map<String, String> env,
            boolean tty, java.io.InputStream stdin, OutputStream stdout, OutputStream stderr) {
        Box box = running(containerId);
        note("execAttached " + box.name + (tty ? " tty " : " ") + String.join(" ", command));
        lastExecEnv = Map.copyOf(env);
        boolean closed = false;
        try {
            stdout.write(execStdout.getBytes(StandardCharsets.UTF_8));
            stdout.flush();
        } catch (IOException e) {
            // the reader went away: as DockerEngine does, the connection to the command is closed
            closed = true;
        }
        try {
            stderr.write(execStderr.getBytes(StandardCharsets.UTF_8));
            stderr.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        boolean outputClosed = closed;
        int exit = closed ? 141 : execExitCode;
        return new AttachedExec() {
            @Override
            public void resize(int columns, int rows) {
                synchronized (FakeEngine.this) {
                    calls.add("resize " + columns + "x" + rows);
                }
            }

            @Override
            public int waitFor() {
                return exit;
            }

            @Override
            public boolean outputClosed() {
                return outputClosed;
            }
        };
    }

    @Override
    public synchronized long copyStream(String containerId, String directory, java.io.InputStream content,
            int chunkBytes) {
        Box box = existing(containerId);
        byte[] bytes;
        try {
            bytes = content.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        note("copyStream " + box.name + " " + directory + " " + bytes.length);
        int chunk = 0;
        do {
            int from = chunk * chunkBytes;
            box.files.put(directory + "/" + String.format("%08d", chunk),
                    java.util.Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + chunkBytes)));
            chunk++;
        } while (chunk * (long) chunkBytes < bytes.length);
        return bytes.length;
    }

    @Override
    public synchronized void createNetwork(String name, Map<String, String> labels) {
        note("createNetwork " + name);
        if (networks.containsKey(name)) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "a network named " + name + " already exists");
        }
        networks.put(name, Map.copyOf(labels));
    }

    @Override
    public synchronized boolean networkExists(String name) {
        note("networkExists " + name);
        return networks.containsKey(name);
    }

    @Override
    public synchronized void connectNetwork(String containerId, String network, List<String> aliases) {
        Box box = existing(containerId);
        note("connectNetwork " + box.name + " " + network + " " + String.join(",", aliases));
        // as Docker does: a container not yet running only records the network, found or not
        if (!networks.containsKey(network) && "running".equals(box.state)) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "network " + network + " not found");
        }
    }

    @Override
    public synchronized void removeNetwork(String name) {
        note("removeNetwork " + name);
        networks.remove(name);
    }

    @Override
    public synchronized List<String> networks(Map<String, String> labels) {
        note("networks " + labels);
        return networks.entrySet().stream()
                .filter(e -> labels.entrySet().stream().allMatch(l -> e.getValue().containsKey(l.getKey())
                        && (l.getValue().isEmpty() || l.getValue().equals(e.getValue().get(l.getKey())))))
                .map(Map.Entry::getKey).toList();
    }

    /** Makes a network exist, as `docker network create` would. */
    public synchronized FakeEngine withNetwork(String name) {
        networks.put(name, Map.of());
        return this;
    }

    public synchronized Set<String> networkNames() {
        return Set.copyOf(networks.keySet());
    }

    @Override
    public synchronized void close() {
        closed = true;
        containers.values().forEach(Box::stopServer);
    }

    // ---- internals ----

    private void note(String call) {
        calls.add(call);
        if (failure != null) {
            throw failure;
        }
    }

    private String containerHash() {
        return String.format("%064x", nextId++);
    }

    private String imageHash() {
        return "sha256:" + String.format("%064x", nextId++);
    }

    /** Creation times of containers strictly in creation order, as an engine reports them. */
    private Instant stamp() {
        Instant now = clock.instant();
        lastContainer = now.isAfter(lastContainer) ? now : lastContainer.plusNanos(1000);
        return lastContainer;
    }

    /** Creation times of images, in their own order. */
    private Instant imageStamp() {
        Instant now = clock.instant();
        lastImage = now.isAfter(lastImage) ? now : lastImage.plusNanos(1000);
        return lastImage;
    }

    private Picture picture(String referenceOrId) {
        Picture p = images.get(referenceOrId);
        if (p != null) {
            return p;
        }
        return images.values().stream().filter(i -> i.id().equals(referenceOrId)).findFirst().orElse(null);
    }

    private Optional<Box> box(String name) {
        return containers.values().stream().filter(b -> b.name.equals(name)).findFirst();
    }

    private Box find(String nameOrId) {
        return containers.values().stream()
                .filter(b -> b.id.equals(nameOrId) || b.name.equals(nameOrId))
                .findFirst()
                .orElse(null);
    }

    private Box existing(String nameOrId) {
        Box box = find(nameOrId);
        if (box == null) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "no such container: " + nameOrId);
        }
        return box;
    }

    private Box running(String nameOrId) {
        Box box = existing(nameOrId);
        if (!"running".equals(box.state)) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "container " + box.name + " is not running");
        }
        return box;
    }

    @Override
    public synchronized Streaming streamLogs(String containerId, Integer tail, Instant since, boolean follow,
            Consumer<byte[]> sink) {
        Box box = find(containerId);
        note("streamLogs " + (box == null ? containerId : box.name) + (tail == null ? "" : " tail " + tail)
                + (follow ? " follow" : ""));
        if (box == null) {
            return done(0); // as Docker: a missing container has written nothing
        }
        List<Line> lines = box.logs.subList(tail == null ? 0 : Math.max(0, box.logs.size() - tail), box.logs.size())
                .stream().filter(l -> since == null || !l.at().isBefore(since)).toList();
        if (!lines.isEmpty()) {
            sink.accept((String.join("\n", lines.stream().map(Line::text).toList()) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        }
        if (!follow || !"running".equals(box.state)) {
            return done(0);
        }
        Follower follower = new Follower(since, sink);
        box.followers.add(follower);
        return follower;
    }

    @Override
    public synchronized Streaming startExec(String containerId, List<String> command, Map<String, String> env,
            Consumer<byte[]> stdout, Consumer<byte[]> stderr) {
        Box box = running(containerId);
        note("startExec " + box.name + " " + String.join(" ", command));
        ExecResult answer = execScript == null ? null : execScript.apply(command, env);
        if (answer == null) {
            answer = new ExecResult(0, "", "");
        }
        if (!answer.stdout().isEmpty()) {
            stdout.accept(answer.stdout().getBytes(StandardCharsets.UTF_8));
        }
        if (!answer.stderr().isEmpty()) {
            stderr.accept(answer.stderr().getBytes(StandardCharsets.UTF_8));
        }
        return done(answer.exitCode());
    }

    private static Streaming done(int exitCode) {
        return new Streaming() {
            @Override
            public int await() {
                return exitCode;
            }

            @Override
            public void close() {}
        };
    }
}
