package dev.devdb.engine;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.ContainerPort;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import dev.devdb.core.DevDbException;
import dev.devdb.core.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Files;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** {@link Engine} on a real Docker engine through docker-java and its httpclient5 transport. */
public final class DockerEngine implements Engine {
    private static final Pattern EXITED = Pattern.compile("Exited \\((-?\\d+)\\)");

    private final String endpoint;
    private final String endpointSource;
    private final DockerClient client;

    private DockerEngine(String endpoint, String endpointSource, DockerClient client) {
        this.endpoint = endpoint;
        this.endpointSource = endpointSource;
        this.client = client;
    }

    /** An engine for the endpoint the environment names (DOCKER_HOST), or the default socket. */
    public static DockerEngine connect(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        DefaultDockerClientConfig.Builder builder = DefaultDockerClientConfig.createDefaultConfigBuilder();
        String source;
        if (host != null && !host.isBlank()) {
            builder.withDockerHost(host.trim());
            source = "DOCKER_HOST";
        } else {
            builder.withDockerHost("unix:///var/run/docker.sock");
            source = "the default socket; set DOCKER_HOST to use another engine";
        }
        DockerClientConfig config = builder.build();
        ApacheDockerHttpClient http = new ApacheDockerHttpClient.Builder()
                .dockerHost(config.getDockerHost())
                .sslConfig(config.getSSLConfig())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(32)
                .build();
        return new DockerEngine(config.getDockerHost().toString(), source, DockerClientImpl.getInstance(config, http));
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public String version() {
        Version v = call(() -> client.versionCmd().exec());
        return "Docker " + v.getVersion() + " (API " + v.getApiVersion() + ")";
    }

    @Override
    public boolean imageExists(String reference) {
        try {
            call(() -> client.inspectImageCmd(reference).exec());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void pull(String reference, Consumer<PullProgress> progress) {
        String[] parts = splitReference(reference);
        String[] error = new String[1];
        try {
            await(() -> client.pullImageCmd(parts[0]).withTag(parts[1])
                    .exec(new ResultCallback.Adapter<PullResponseItem>() {
                        @Override
                        public void onNext(PullResponseItem item) {
                            if (item.getErrorDetail() != null) {
                                error[0] = item.getErrorDetail().getMessage();
                            } else if (item.getError() != null) {
                                error[0] = item.getError();
                            } else if (item.getStatus() != null) {
                                var detail = item.getProgressDetail();
                                long current = detail == null || detail.getCurrent() == null ? 0 : detail.getCurrent();
                                long total = detail == null || detail.getTotal() == null ? 0 : detail.getTotal();
                                progress.accept(new PullProgress(item.getId(), item.getStatus(), current, total));
                            }
                        }
                    }).awaitCompletion());
        } catch (DockerException e) {
            throw new DevDbException(ExitCodes.IMAGE, "cannot pull image " + reference + ": " + firstLine(e)
                    + "; check the profile's image and version, or set DEVDB_REGISTRY to a mirror", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while pulling " + reference);
        }
        if (error[0] != null) {
            throw new DevDbException(ExitCodes.IMAGE, "cannot pull image " + reference + ": " + error[0]
                    + "; check the profile's image and version, or set DEVDB_REGISTRY to a mirror");
        }
        if (!imageExists(reference)) {
            throw new DevDbException(ExitCodes.IMAGE, "pulling " + reference + " did not produce the image");
        }
    }

    @Override
    public String create(ContainerSpec spec) {
        ExposedPort exposed = ExposedPort.tcp(spec.containerPort());
        Ports.Binding binding = spec.hostPort() == null
                ? Ports.Binding.bindIp("127.0.0.1")
                : Ports.Binding.bindIpAndPort("127.0.0.1", spec.hostPort());
        HostConfig host = HostConfig.newHostConfig().withPortBindings(new PortBinding(binding, exposed));
        if (spec.memoryBytes() != null) {
            host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        }
        if (spec.nanoCpus() != null) {
            host.withNanoCPUs(spec.nanoCpus());
        }
        List<String> env = new ArrayList<>();
        spec.env().forEach((k, v) -> env.add(k + "=" + v));
        try (CreateContainerCmd cmd = client.createContainerCmd(spec.image())) {
            cmd.withName(spec.name())
                    .withEnv(env)
                    .withLabels(spec.labels())
                    .withExposedPorts(exposed)
                    .withHostConfig(host);
            if (spec.entrypoint() != null) {
                cmd.withEntrypoint(spec.entrypoint());
            }
            if (!spec.command().isEmpty()) {
                cmd.withCmd(spec.command());
            }
            return call(() -> cmd.exec().getId());
        } catch (ConflictException e) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + spec.name()
                    + " already exists; choose another name with --name", e);
        } catch (NotFoundException e) {
            throw new DevDbException(ExitCodes.IMAGE, "image " + spec.image() + " is not available locally", e);
        }
    }

    @Override
    public void copyFile(String containerId, String directory, String fileName, byte[] content, int mode) {
        writeTar(containerId, directory, Map.of(fileName, content), mode);
    }

    @Override
    public void writeFiles(String containerId, String directory, Map<String, byte[]> files) {
        writeTar(containerId, directory, files, 0644);
    }

    private void writeTar(String containerId, String directory, Map<String, byte[]> files, int mode) {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(tar)) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey());
                entry.setSize(f.getValue().length);
                entry.setMode(mode);
                entry.setModTime(System.currentTimeMillis());
                out.putArchiveEntry(entry);
                out.write(f.getValue());
                out.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        run(() -> client.copyArchiveToContainerCmd(containerId)
                .withRemotePath(directory)
                .withTarInputStream(new ByteArrayInputStream(tar.toByteArray()))
                .exec());
    }

    @Override
    public void start(String containerId) {
        try {
            run(() -> client.startContainerCmd(containerId).exec());
        } catch (NotModifiedException e) {
            // already running
        } catch (DockerException e) {
            String message = firstLine(e);
            if (message.contains("port is already allocated") || message.contains("address already in use")) {
                throw new DevDbException(ExitCodes.PORT_IN_USE,
                        "the host port is already in use: " + message + "; choose another with --port, "
                                + "or leave --port out for a free one", e);
            }
            throw e;
        }
    }

    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        List<Container> containers = call(() -> client.listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(labels)
                .exec());
        List<ContainerInfo> result = new ArrayList<>();
        for (Container c : containers) {
            String name = c.getNames() != null && c.getNames().length > 0 ? c.getNames()[0] : c.getId();
            Integer port = null;
            if (c.getPorts() != null) {
                for (ContainerPort p : c.getPorts()) {
                    if (p.getPrivatePort() != null && p.getPrivatePort() == 3306 && p.getPublicPort() != null) {
                        port = p.getPublicPort();
                    }
                }
            }
            Integer exit = null;
            if (c.getStatus() != null) {
                Matcher m = EXITED.matcher(c.getStatus());
                if (m.find()) {
                    exit = Integer.parseInt(m.group(1));
                }
            }
            result.add(new ContainerInfo(c.getId(), stripSlash(name), c.getImage(),
                    c.getLabels() == null ? Map.of() : c.getLabels(), c.getState(), exit,
                    c.getCreated() == null ? null : Instant.ofEpochSecond(c.getCreated()), port, Map.of()));
        }
        return result;
    }

    @Override
    public Optional<ContainerInfo> inspect(String nameOrId) {
        InspectContainerResponse r;
        try {
            r = call(() -> client.inspectContainerCmd(nameOrId).exec());
        } catch (NotFoundException e) {
            return Optional.empty();
        }
        Integer port = null;
        if (r.getNetworkSettings() != null && r.getNetworkSettings().getPorts() != null) {
            Ports.Binding[] bindings = r.getNetworkSettings().getPorts().getBindings().get(ExposedPort.tcp(3306));
            if (bindings != null) {
                for (Ports.Binding b : bindings) {
                    if (b.getHostPortSpec() != null && !b.getHostPortSpec().isEmpty()) {
                        port = Integer.parseInt(b.getHostPortSpec());
                    }
                }
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (r.getConfig() != null && r.getConfig().getEnv() != null) {
            for (String kv : r.getConfig().getEnv()) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    env.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
        }
        var state = r.getState();
        Long exit = state == null ? null : state.getExitCodeLong();
        Map<String, String> labels = r.getConfig() == null || r.getConfig().getLabels() == null
                ? Map.of() : r.getConfig().getLabels();
        return Optional.of(new ContainerInfo(r.getId(), stripSlash(r.getName()),
                r.getConfig() == null ? null : r.getConfig().getImage(), labels,
                state == null ? null : state.getStatus(), exit == null ? null : exit.intValue(),
                r.getCreated() == null ? null : Instant.parse(r.getCreated()), port, env));
    }

    @Override
    public void remove(String containerId, Duration grace) {
        try {
            if (!grace.isZero()) {
                try {
                    client.stopContainerCmd(containerId).withTimeout((int) grace.toSeconds()).exec();
                } catch (NotModifiedException e) {
                    // already stopped
                }
            }
            run(() -> client.removeContainerCmd(containerId).withForce(true).withRemoveVolumes(true).exec());
        } catch (NotFoundException e) {
            // already gone
        } catch (ConflictException e) {
            if (!firstLine(e).contains("already in progress")) {
                throw e;
            }
        }
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        StringBuilder text = new StringBuilder();
        try {
            await(() -> client.logContainerCmd(containerId)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withTail(tail)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).awaitCompletion());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (NotFoundException e) {
            return List.of();
        }
        return text.toString().lines().toList();
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Map<String, String> env) {
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String execId = call(() -> client.execCreateCmd(containerId)
                .withCmd(command.toArray(String[]::new))
                .withEnv(envList)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec().getId());
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        try {
            await(() -> client.execStartCmd(execId).exec(new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                    (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).writeBytes(frame.getPayload());
                }
            }).awaitCompletion());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted");
        }
        Long exit = call(() -> client.inspectExecCmd(execId).exec().getExitCodeLong());
        return new ExecResult(exit == null ? -1 : exit.intValue(), stdout.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8));
    }

    @Override
    public String imageId(String reference) {
        try {
            return call(() -> client.inspectImageCmd(reference).exec().getId());
        } catch (NotFoundException e) {
            return null;
        }
    }

    @Override
    public void copyFiles(String containerId, String directory, List<FileCopy> files) {
        PipedInputStream in = new PipedInputStream(1 << 16);
        IOException[] failure = new IOException[1];
        Thread writer;
        try {
            PipedOutputStream pipe = new PipedOutputStream(in);
            writer = new Thread(() -> {
                try (TarArchiveOutputStream tar = new TarArchiveOutputStream(pipe)) {
                    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                    for (FileCopy f : files) {
                        TarArchiveEntry entry = new TarArchiveEntry(f.name());
                        entry.setSize(Files.size(f.source()));
                        entry.setMode(f.mode());
                        entry.setModTime(System.currentTimeMillis());
                        tar.putArchiveEntry(entry);
                        Files.copy(f.source(), tar);
                        tar.closeArchiveEntry();
                    }
                } catch (IOException e) {
                    failure[0] = e;
                }
            }, "devdb-tar");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        writer.start();
        try {
            run(() -> client.copyArchiveToContainerCmd(containerId).withRemotePath(directory).withTarInputStream(in).exec());
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while copying files");
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                // closing only
            }
        }
        if (failure[0] != null) {
            throw new DevDbException(ExitCodes.FAILURE, "cannot copy into the container: " + failure[0].getMessage(),
                    failure[0]);
        }
    }

    @Override
    public String commit(String containerId, String repository, String tag, Map<String, String> labels,
            List<String> env) {
        return call(() -> client.commitCmd(containerId)
                .withRepository(repository)
                .withTag(tag)
                .withLabels(labels)
                .withEnv(env.toArray(String[]::new))
                .withPause(true)
                .exec());
    }

    @Override
    public List<ImageInfo> images(Map<String, String> labels) {
        List<ImageInfo> result = new ArrayList<>();
        String[] filters = labels.entrySet().stream()
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        for (Image i : call(() -> client.listImagesCmd().withLabelFilter(filters).exec())) {
            result.add(new ImageInfo(i.getId(), i.getRepoTags() == null ? List.of() : List.of(i.getRepoTags()),
                    i.getLabels() == null ? Map.of() : i.getLabels(), i.getSize() == null ? 0 : i.getSize(),
                    i.getCreated() == null ? null : Instant.ofEpochSecond(i.getCreated()),
                    i.getContainers() == null ? -1 : i.getContainers()));
        }
        return result;
    }

    @Override
    public boolean removeImage(String reference, boolean force) {
        try {
            run(() -> client.removeImageCmd(reference).withForce(force).exec());
            return true;
        } catch (NotFoundException e) {
            return true;
        } catch (ConflictException e) {
            return false;
        }
    }


    @Override
    public Map<String, byte[]> readFiles(String containerId, String directory) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String dir = directory.endsWith("/") ? directory : directory + "/";
        try (InputStream raw = call(() -> client.copyArchiveFromContainerCmd(containerId, dir).exec());
                TarArchiveInputStream tar = new TarArchiveInputStream(raw)) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName();
                int slash = name.indexOf('/');
                String rest = slash < 0 ? name : name.substring(slash + 1);
                if (e.isFile() && !rest.isEmpty() && !rest.contains("/")) {
                    files.put(rest, tar.readAllBytes());
                }
            }
        } catch (NotFoundException e) {
            return Map.of();
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.FAILURE, "cannot read " + directory + " from the container: "
                    + e.getMessage(), e);
        }
        return files;
    }

    @Override
    public void kill(String containerId) {
        try {
            run(() -> client.killContainerCmd(containerId).exec());
        } catch (ConflictException | NotFoundException e) {
            // not running, or already gone
        }
    }

    @Override
    public void rename(String containerId, String newName) {
        run(() -> client.renameContainerCmd(containerId).withName(newName).exec());
    }

    @Override
    public AttachedExec execAttached(String containerId, List<String> command, Map<String, String> env, boolean tty,
            InputStream stdin, OutputStream stdout, OutputStream stderr) {
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String execId;
        try {
            execId = call(() -> client.execCreateCmd(containerId)
                    .withCmd(command.toArray(String[]::new))
                    .withEnv(envList)
                    .withTty(tty)
                    .withAttachStdin(stdin != null)
                    .withAttachStdout(true)
                    .withAttachStderr(true)
                    .exec().getId());
        } catch (ConflictException e) {
            throw new DevDbException(ExitCodes.NO_INSTANCE, "the container " + containerId.substring(0,
                    Math.min(12, containerId.length())) + " is not running: " + firstLine(e), e);
        }
        Attached attached = new Attached(execId, stdout, stderr);
        call(() -> client.execStartCmd(execId).withTty(tty).withStdIn(stdin).exec(attached));
        return attached;
    }

    /** Writes an exec's output as it arrives and reports how it ended. */
    private final class Attached extends ResultCallback.Adapter<Frame> implements AttachedExec {
        private final String execId;
        private final OutputStream stdout;
        private final OutputStream stderr;
        private volatile Throwable failure;
        private volatile boolean outputClosed;

        Attached(String execId, OutputStream stdout, OutputStream stderr) {
            this.execId = execId;
            this.stdout = stdout;
            this.stderr = stderr;
        }

        @Override
        public void onNext(Frame frame) {
            if (outputClosed) {
                return;
            }
            try {
                OutputStream target = frame.getStreamType() == StreamType.STDERR ? stderr : stdout;
                target.write(frame.getPayload());
                target.flush();
            } catch (IOException e) {
                // the reader went away (`devdb shell -e ... | head`): stop like a client would on SIGPIPE
                outputClosed = true;
                try {
                    close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        @Override
        public void onError(Throwable throwable) {
            // recorded here and reported by waitFor, never logged
            if (failure == null) {
                failure = throwable;
            }
            try {
                close();
            } catch (IOException e) {
                // closing anyway
            }
        }

        @Override
        public void resize(int columns, int rows) {
            if (columns <= 0 || rows <= 0) {
                return;
            }
            // older engines refuse a resize until the process runs: try a few times
            for (int attempt = 0; attempt < 10; attempt++) {
                try {
                    client.resizeExecCmd(execId).withSize(rows, columns).exec();
                    return;
                } catch (NotFoundException e) {
                    return;
                } catch (RuntimeException e) {
                    try {
                        Thread.sleep(10L * (attempt + 1));
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }

        @Override
        public int waitFor() throws InterruptedException {
            try {
                awaitCompletion();
            } catch (RuntimeException e) {
                // the stream broke; the exec's state below tells whether the command ended
            }
            if (outputClosed) {
                return 141;
            }
            for (int round = 0; round < 50; round++) {
                var state = call(() -> client.inspectExecCmd(execId).exec());
                if (!Boolean.TRUE.equals(state.isRunning())) {
                    Long code = state.getExitCodeLong();
                    if (code != null) {
                        return code.intValue();
                    }
                    break;
                }
                Thread.sleep(20);
            }
            String why = failure == null ? "" : ": " + failure.getMessage();
            throw new DevDbException(ExitCodes.FAILURE, "the connection to the command ended before the command did"
                    + why + "; check that the instance still runs (`devdb ps`)");
        }
    }

    @Override
    public long copyStream(String containerId, String directory, InputStream content, int chunkBytes) {
        int slash = directory.lastIndexOf('/');
        if (slash < 0 || slash == directory.length() - 1) {
            throw new IllegalArgumentException("not an absolute path to a new directory: " + directory);
        }
        String parent = slash == 0 ? "/" : directory.substring(0, slash);
        ChunkedTarStream tar = new ChunkedTarStream(content, directory.substring(slash + 1), chunkBytes);
        run(() -> client.copyArchiveToContainerCmd(containerId)
                .withRemotePath(parent)
                .withTarInputStream(tar)
                .exec());
        return tar.sourceBytes();
    }

    @Override
    public EngineInfo info() {
        Version v = call(() -> client.versionCmd().exec());
        Info i = call(() -> client.infoCmd().exec());
        return new EngineInfo(v.getVersion(), v.getApiVersion(), i.getOsType(), i.getArchitecture(),
                i.getOperatingSystem(), i.getDriver(), i.getDockerRootDir(), i.getContainers(), i.getImages());
    }

    @Override
    public void createNetwork(String name, Map<String, String> labels) {
        try {
            call(() -> client.createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels).exec());
        } catch (ConflictException e) {
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "a network named " + name
                    + " already exists; remove it with `docker network rm " + name + "` or pick another --name", e);
        }
    }

    @Override
    public boolean networkExists(String name) {
        try {
            call(() -> client.inspectNetworkCmd().withNetworkId(name).exec());
            return true;
        } catch (NotFoundException e) {
            return false;
        }
    }

    @Override
    public void connectNetwork(String containerId, String network, List<String> aliases) {
        run(() -> client.connectToNetworkCmd().withContainerId(containerId).withNetworkId(network)
                .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec());
    }

    @Override
    public void removeNetwork(String name) {
        try {
            run(() -> client.removeNetworkCmd(name).exec());
        } catch (NotFoundException e) {
            // already gone
        }
    }

    @Override
    public List<String> networks(Map<String, String> labels) {
        List<String> filters = labels.entrySet().stream()
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
                .toList();
        List<String> names = new ArrayList<>();
        for (Network n : call(() -> client.listNetworksCmd().withFilter("label", filters).exec())) {
            names.add(n.getName());
        }
        return names;
    }

    /** The docker-java client, for the parts of devdb that stream (shell, logs). */
    public DockerClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (IOException e) {
            // nothing useful to do while closing
        }
    }

    /** Runs a call, turning "nobody answers at the endpoint" into the documented error. */
    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            if (isConnectionFailure(e)) {
                throw unreachable(e);
            }
            throw e;
        }
    }

    /** {@link #call} for a call with no result. */
    private void run(Runnable call) {
        call(() -> {
            call.run();
            return null;
        });
    }

    private interface Interruptible<T> {
        T get() throws InterruptedException;
    }

    private <T> T await(Interruptible<T> call) throws InterruptedException {
        try {
            return call.get();
        } catch (DockerException e) {
            throw e;
        } catch (RuntimeException e) {
            if (isConnectionFailure(e)) {
                throw unreachable(e);
            }
            throw e;
        }
    }

    private DevDbException unreachable(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new DevDbException(ExitCodes.ENGINE_UNREACHABLE, "cannot reach the Docker engine at " + endpoint
                + " (" + endpointSource + "): " + root.getMessage()
                + "; start Docker or point DOCKER_HOST at a running engine", e);
    }

    private static boolean isConnectionFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    private static String[] splitReference(String reference) {
        int at = reference.indexOf('@');
        if (at > 0) {
            return new String[] {reference.substring(0, at), reference.substring(at + 1)};
        }
        int colon = reference.lastIndexOf(':');
        int slash = reference.lastIndexOf('/');
        if (colon > slash) {
            return new String[] {reference.substring(0, colon), reference.substring(colon + 1)};
        }
        return new String[] {reference, "latest"};
    }

    static String firstLine(DockerException e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        // docker-java prefixes the HTTP status: "Status 500: {"message":"..."}"
        int idx = m.indexOf("\"message\":\"");
        if (idx >= 0) {
            int end = m.indexOf('"', idx + 11);
            m = m.substring(idx + 11, end > 0 ? end : m.length());
        }
        return m.lines().findFirst().orElse(m).trim();
    }

    private static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    @Override
    public Streaming streamLogs(String containerId, Integer tail, Instant since, boolean follow,
            Consumer<byte[]> sink) {
        var cmd = client.logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
        if (tail != null) {
            cmd.withTail(tail);
        }
        if (since != null) {
            cmd.withSince((int) Math.max(0, since.getEpochSecond()));
        }
        ResultCallback.Adapter<Frame> callback = call(() -> cmd.exec(new ResultCallback.Adapter<Frame>() {
            @Override
            public void onNext(Frame frame) {
                sink.accept(frame.getPayload());
            }
        }));
        return new CallbackStreaming(callback, () -> 0);
    }

    @Override
    public Streaming startExec(String containerId, List<String> command, Map<String, String> env,
            Consumer<byte[]> stdout, Consumer<byte[]> stderr) {
        List<String> envList = new ArrayList<>();
        env.forEach((k, v) -> envList.add(k + "=" + v));
        String execId = call(() -> client.execCreateCmd(containerId)
                .withCmd(command.toArray(String[]::new))
                .withEnv(envList)
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec().getId());
        HeldInput stdin = new HeldInput();
        ResultCallback.Adapter<Frame> callback = call(() -> client.execStartCmd(execId)
                .withStdIn(stdin)
                .exec(new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void close() throws IOException {
                        stdin.close();
                        super.close();
                    }

                    @Override
                    public void onNext(Frame frame) {
                        (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).accept(frame.getPayload());
                    }
                }));
        return new CallbackStreaming(callback, () -> {
            Long exit = call(() -> client.inspectExecCmd(execId).exec().getExitCodeLong());
            return exit == null ? -1 : exit.intValue();
        });
    }

    /** Stdin that sends nothing and ends only when closed: the command sees end-of-file when its reader goes. */
    private static final class HeldInput extends InputStream {
        private final java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);

        @Override
        public int read() throws IOException {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public void close() {
            closed.countDown();
        }
    }

    /** A docker-java callback seen as a {@link Streaming}. */
    private static final class CallbackStreaming implements Streaming {
        private final ResultCallback.Adapter<Frame> callback;
        private final Supplier<Integer> exitCode;

        CallbackStreaming(ResultCallback.Adapter<Frame> callback, Supplier<Integer> exitCode) {
            this.callback = callback;
            this.exitCode = exitCode;
        }

        @Override
        public int await() throws InterruptedException {
            try {
                callback.awaitCompletion();
            } catch (InterruptedException e) {
                close();
                throw e;
            } catch (RuntimeException e) {
                if (!isConnectionFailure(e)) {
                    throw e;
                }
                // the stream was cut (closed by us, or the container went away): it has ended
            }
            try {
                return exitCode.get();
            } catch (RuntimeException e) {
                return -1;
            }
        }

        @Override
        public void close() {
            try {
                callback.close();
            } catch (IOException | RuntimeException e) {
                // closing a stream that is already broken
            }
        }
    }
}
