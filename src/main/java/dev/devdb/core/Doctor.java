package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.ContainerSpec;
import dev.devdb.engine.Endpoint;
import dev.devdb.engine.Engine;
import dev.devdb.engine.EngineInfo;
import dev.devdb.engine.ExecResult;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.profile.ImageRef;
import dev.devdb.profile.ProfileCatalog;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Checks that devdb can work here: the Docker engine answers, has disk space, and a port it
 * publishes on 127.0.0.1 reaches a container. Never pulls: the port check runs a throw-away
 * container from an image already present.
 */
public final class Doctor {
    /** Free space on the engine's disk below which doctor fails. */
    static final long FAIL_BELOW_BYTES = 1L << 30;
    /** Free space below which doctor warns. */
    static final long WARN_BELOW_BYTES = 5L << 30;
    private static final String MARKER = "devdb-doctor";
    private static final int PROBE_PORT = 3306;
    private static final Duration PROBE_WAIT = Duration.ofSeconds(15);

    /** How a check came out. */
    public enum Status {
        OK,
        WARN,
        FAIL,
        SKIP;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One check's outcome.
     *
     * @param name engine, images, disk, ports or instances
     * @param status its outcome
     * @param detail what was found
     * @param fix what to do about it, or null
     */
    public record Check(String name, Status status, String detail, String fix) {}

    private final Engine engine;
    private final ProfileCatalog catalog;
    private final Map<String, String> env;
    private final Clock clock;
    private final Scope scope;

    /**
     * @param engine the engine to check
     * @param catalog the profiles visible here (their images are candidates for the port check)
     * @param env the environment (DOCKER_HOST, DOCKER_CONFIG, HOME, DEVDB_REGISTRY)
     * @param clock the time (the probe container's expiry, which instances prune would remove)
     * @param scope the scope the probe container is made in, so that prune and down --all of that scope see it
     */
    public Doctor(Engine engine, ProfileCatalog catalog, Map<String, String> env, Clock clock, Scope scope) {
        this.engine = engine;
        this.scope = scope;
        this.catalog = catalog;
        this.env = env;
        this.clock = clock;
    }

    /** Runs every check, reporting each as it completes; returns them all. */
    public List<Check> run(Consumer<Check> listener) {
        List<Check> checks = new ArrayList<>();
        Consumer<Check> report = c -> {
            checks.add(c);
            listener.accept(c);
        };
        EngineInfo info;
        try {
            info = engine.info();
        } catch (RuntimeException e) {
            boolean unreachable = e instanceof DevDbException d && d.exitCode() == ExitCodes.ENGINE_UNREACHABLE;
            report.accept(new Check("engine", Status.FAIL, (unreachable ? "nothing answers at "
                    : "the engine at ") + endpointDescription() + (unreachable ? ": " : " answered with an error: ")
                    + rootMessage(e), engineFix(e)));
            return checks;
        }
        report.accept(new Check("engine", Status.OK, endpointDescription() + ": " + info.product() + " " + info.version() + " (API "
                + info.apiVersion() + "), " + info.osType() + "/" + info.architecture() + ", "
                + info.operatingSystem() + ", " + info.containers() + " containers, " + info.images() + " images",
                null));

        List<String> present = new ArrayList<>();
        Set<String> candidates = candidateImages();
        for (String image : candidates) {
            if (engine.imageExists(image)) {
                present.add(image);
            }
        }
        report.accept(new Check("images", Status.OK, present.isEmpty()
                ? "no image of the visible profiles is present yet; the first `devdb up` pulls one"
                : present.size() + " of " + candidates.size() + " profile images present: " + String.join(", ", present),
                null));

        if (present.isEmpty()) {
            String why = "not checked: needs an image already present, and doctor never pulls";
            report.accept(new Check("disk", Status.SKIP, why, "run `devdb up` once, then `devdb doctor` again"));
            report.accept(new Check("ports", Status.SKIP, why, "run `devdb up` once, then `devdb doctor` again"));
        } else {
            probe(present.get(0), info, report);
        }
        report.accept(instances());
        return checks;
    }

    /** Starts a tiny container that listens inside; checks disk space from it and the published port through it. */
    private void probe(String image, EngineInfo info, Consumer<Check> report) {
        String token = Passwords.generate(8).toLowerCase(Locale.ROOT);
        String name = scope.containerName("doctor-" + token);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.MANAGED, "true");
        scope.stamp(labels);
        labels.put(Labels.UP_TOKEN, token);
        labels.put(Labels.EXPIRES, Long.toString(clock.instant().plus(Duration.ofMinutes(5)).getEpochSecond()));
        Cleanup cleanup = new Cleanup(engine, Cleanup.RUNTIME);
        cleanup.guard("doctor", () -> cleanup.removeByToken(token, null), () -> {
            boolean diskChecked = false;
            try {
                String id = cleanup.create(() -> engine.create(new ContainerSpec(name, image, Map.of(),
                        List.of("/bin/sh", "-c", listenerScript()), List.of(), labels, PROBE_PORT, null, 64L << 20,
                        null)));
                engine.start(id);
                ContainerInfo c = engine.inspect(id).orElseThrow(() -> new DevDbException(ExitCodes.FAILURE,
                        "the doctor's container " + name + " disappeared"));
                report.accept(disk(id, info));
                diskChecked = true;
                report.accept(ports(id, c.hostPort(), image));
            } catch (RuntimeException e) {
                if (!diskChecked) {
                    report.accept(new Check("disk", Status.SKIP, "not checked: no container could run", null));
                }
                report.accept(new Check("ports", Status.FAIL, "cannot run a container from " + image + ": "
                        + rootMessage(e), "check the engine's log; `docker run --rm -p 127.0.0.1::" + PROBE_PORT
                        + " " + image + "` shows the same failure"));
            } finally {
                cleanup.removeByToken(token, null);
            }
            return null;
        });
    }

    /**
     * Serves a marker line on the probe port with whatever the image has: perl (every Debian and
     * Ubuntu based image) or python3; without either the container just sleeps.
     */
    static String listenerScript() {
        String perl = "use IO::Socket::INET; my $s = IO::Socket::INET->new(LocalAddr => \"0.0.0.0\", LocalPort => "
                + PROBE_PORT + ", Listen => 5, ReuseAddr => 1) or die \"listen: $!\"; "
                + "while (my $c = $s->accept) { print $c \"" + MARKER + "\\n\"; close $c }";
        String python = "import socket\ns = socket.socket()\ns.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)\n"
                + "s.bind((\"0.0.0.0\", " + PROBE_PORT + "))\ns.listen(5)\nwhile True:\n    c, _ = s.accept()\n"
                + "    c.sendall(b\"" + MARKER + "\\n\")\n    c.close()\n";
        return "if command -v perl >/dev/null 2>&1; then exec perl -e '" + perl + "'; "
                + "elif command -v python3 >/dev/null 2>&1; then exec python3 -c '" + python + "'; "
                + "else echo 'devdb-doctor: no listener' >&2; exec sleep 300; fi";
    }

    private Check disk(String id, EngineInfo info) {
        String where = (info.rootDir() == null ? "the engine's storage" : info.rootDir())
                + (info.storageDriver() == null ? "" : ", " + info.storageDriver());
        ExecResult df = engine.exec(id, List.of("df", "-Pk", "/"), Map.of());
        Long free = df.exitCode() == 0 ? availableKilobytes(df.stdout()) : null;
        if (free == null) {
            return new Check("disk", Status.WARN, "could not read the free space in " + where + " (df: "
                    + (df.stderr().isBlank() ? "exit " + df.exitCode() : df.stderr().strip()) + ")", null);
        }
        long bytes = free * 1024;
        String detail = gigabytes(bytes) + " free where the engine keeps containers (" + where + ")";
        String fix = "free space on that disk: `devdb prune`, `docker system prune`, or remove unused images";
        if (bytes < FAIL_BELOW_BYTES) {
            return new Check("disk", Status.FAIL, detail + "; a server needs about 1 GB", fix);
        }
        if (bytes < WARN_BELOW_BYTES) {
            return new Check("disk", Status.WARN, detail + "; a few instances and an image pull may fill it", fix);
        }
        return new Check("disk", Status.OK, detail, null);
    }

    /** The Available column of {@code df -Pk} output, in kilobytes, or null. */
    static Long availableKilobytes(String dfOutput) {
        List<String> lines = dfOutput.lines().filter(l -> !l.isBlank()).toList();
        if (lines.size() < 2) {
            return null;
        }
        String[] cols = lines.get(lines.size() - 1).trim().split("\\s+");
        if (cols.length < 6) {
            return null;
        }
        try {
            return Long.parseLong(cols[cols.length - 3]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Check ports(String id, Integer port, String image) {
        if (port == null) {
            return new Check("ports", Status.FAIL, "the engine started a container but published no port for it",
                    "check the engine's port publishing (docker-proxy, iptables)");
        }
        if (remoteEndpoint()) {
            String host = engine.endpoint().host();
            return new Check("ports", Status.SKIP, "not checked from here: the engine published the throw-away"
                    + " container's port on the loopback of " + host + ", where it runs, which this machine reaches"
                    + " only through a forward", "to connect from this machine, forward an instance's port first:"
                    + " ssh -NL PORT:127.0.0.1:PORT " + engine.endpoint().sshDestination() + " (`devdb url` prints"
                    + " the one to run)");
        }
        String address = Instance.HOST + ":" + port;
        long deadline = System.nanoTime() + PROBE_WAIT.toNanos();
        String last = null;
        boolean connected = false;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(Instance.HOST, port), 1000);
                connected = true;
                s.setSoTimeout(1000);
                String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine();
                if (MARKER.equals(line)) {
                    return new Check("ports", Status.OK, address + " reaches a container (" + image + ")", null);
                }
                last = line == null ? "the connection was closed without data" : "unexpected data";
            } catch (IOException e) {
                last = e.getMessage();
            }
            if (engine.logs(id, 5).stream().anyMatch(l -> l.contains("no listener"))) {
                return connected
                        ? new Check("ports", Status.WARN, address + " accepts connections, but " + image
                                + " has neither perl nor python3 to answer through it, so the way to a container"
                                + " was not checked", null)
                        : new Check("ports", Status.FAIL, address + " refuses connections: " + last, portFix());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while checking ports");
            }
        }
        return new Check("ports", Status.FAIL, "nothing came back through " + address + " within "
                + Durations.format(PROBE_WAIT) + " (" + last + ")", portFix());
    }

    private String portFix() {
        return "check the engine's port publishing (docker-proxy, iptables, a firewall on 127.0.0.1);"
                + " `docker run -p 127.0.0.1::80` with any server image shows the same problem";
    }

    private Check instances() {
        List<ContainerInfo> all = engine.list(Map.of(Labels.MANAGED, "true"));
        Instant now = clock.instant();
        long running = all.stream().filter(ContainerInfo::running).count();
        long prunable = all.stream().filter(c -> Instances.pruneCandidate(c, now) != null).count();
        String detail = all.size() + " devdb container" + (all.size() == 1 ? "" : "s") + ", " + running + " running";
        if (prunable > 0) {
            return new Check("instances", Status.WARN, detail + ", " + prunable + " expired, exited or never started",
                    "run `devdb prune` (or `devdb prune --dry-run` to see which)");
        }
        return new Check("instances", Status.OK, detail + ", none to prune", null);
    }

    private Set<String> candidateImages() {
        Set<String> images = new LinkedHashSet<>();
        for (ContainerInfo c : engine.list(Map.of(Labels.MANAGED, "true"))) {
            String image = c.label(Labels.IMAGE);
            if (image != null) {
                images.add(image);
            }
        }
        String registry = env.get("DEVDB_REGISTRY");
        for (String name : catalog.names()) {
            try {
                images.add(ImageRef.of(catalog.resolve(name), registry));
            } catch (DevDbException e) {
                // an invalid profile is `devdb profiles`' business, not the doctor's
            }
        }
        return images;
    }

    private String endpointDescription() {
        return engine.endpoint().toString();
    }

    private boolean remoteEndpoint() {
        return !engine.endpoint().onThisMachine();
    }

    private String engineFix(RuntimeException e) {
        String message = rootMessage(e).toLowerCase(Locale.ROOT);
        if (message.contains("permission denied")) {
            return "your user may not use the Docker socket: add it to the docker group"
                    + " (`sudo usermod -aG docker $USER`, then log in again), or use rootless Docker";
        }
        Endpoint endpoint = engine.endpoint();
        switch (endpoint.origin()) {
            case DOCKER_HOST -> {
                return "start the engine DOCKER_HOST names, or correct DOCKER_HOST";
            }
            case DOCKER_CONTEXT, CURRENT_CONTEXT -> {
                return "start the engine of Docker context " + endpoint.context() + ", or choose another context"
                        + " (`docker context ls`, `docker context use NAME`, DOCKER_CONTEXT)";
            }
            default -> { }
        }
        return "start Docker (e.g. `sudo systemctl start docker`, or open Docker Desktop), or point DOCKER_HOST"
                + " at a running engine";
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        String m = root.getMessage();
        return m == null ? root.toString() : m;
    }

    static String gigabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
