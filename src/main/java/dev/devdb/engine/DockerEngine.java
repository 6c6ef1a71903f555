package dev.devdb.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.Info;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Network;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.core.SSLConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
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
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** {@link Engine} on a real Docker engine through docker-java and its httpclient5 transport. */
public final class DockerEngine implements Engine {
    private static final Pattern EXITED = Pattern.compile("Exited \\((-?\\d+)\\)");
    private static final Pattern MISSING_EXECUTABLE = Pattern.compile(
            "exec: \\\\?\"([^\"\\\\]+)\\\\?\": (?:executable file not found|stat [^:]*: no such file or directory)");

    private final Endpoint endpoint;
    private final Supplier<DockerClientConfig> config;
    private final Supplier<DockerHttpClient> transport;
    private final UnixSocketHttp local;
    private final SshTunnel tunnel;
    private volatile String product;
    private DockerHttpClient http;
    private DockerClient client;

    private DockerEngine(Endpoint endpoint, Supplier<DockerClientConfig> config, Supplier<DockerHttpClient> transport,
            UnixSocketHttp local, SshTunnel tunnel) {
        this.endpoint = endpoint;
        this.config = config;
        this.transport = transport;
        this.local = local;
        this.tunnel = tunnel;
    }

    /** docker-java's transport, made on first use: devdb's own requests of a Unix socket go without it. */
    private synchronized DockerHttpClient http() {
        if (http == null) {
            http = transport.get();
        }
        return http;
    }

    /**
     * docker-java's client on the same transport, made on first use: its configuration reads the Docker
     * CLI's config file and sets up an object mapper, which the requests devdb sends itself never need.
     */
    private synchronized DockerClient client() {
        if (client == null) {
            client = DockerClientImpl.getInstance(config.get(), http());
        }
        return client;
    }

    /** An engine for the endpoint the environment chooses ({@link Endpoints#resolve}). */
    public static DockerEngine connect(Map<String, String> env) {
        return connect(Endpoints.resolve(env), env.get("DEVDB_SSH_COMMAND"));
    }

    /** {@link #connect(Endpoint, String)} with the ssh command DEVDB_SSH_COMMAND names. */
    public static DockerEngine connect(Endpoint endpoint) {
        return connect(endpoint, System.getenv("DEVDB_SSH_COMMAND"));
    }

    /**
     * An engine for the given endpoint. Each scheme is opened here: unix, npipe and tcp are docker-java's
     * own; TLS for tcp comes from the endpoint's PEM files ({@link PemTls}); ssh goes through the system's
     * ssh ({@link SshTunnel}). Connects lazily: an engine that does not answer fails the first request with
     * exit code 4.
     *
     * @param sshCommand for ssh endpoints, the ssh command and options to run (split at spaces), or null for
     *     {@code ssh}
     * @throws DevDbException (exit 2) when the endpoint's TLS files cannot be read or used
     */
    public static DockerEngine connect(Endpoint endpoint, String sshCommand) {
        SshTunnel tunnel = null;
        String uri = endpoint.uri();
        if (endpoint.scheme().equals("ssh")) {
            try {
                tunnel = SshTunnel.open(uri, sshCommand);
            } catch (IOException e) {
                throw new DevDbException(ExitCodes.ENGINE_UNREACHABLE, "cannot reach the Docker engine at " + endpoint
                        + ": no private directory for its local socket: " + e.getMessage(), e);
            }
            uri = tunnel.socketUri();
        }
        SSLConfig ssl = null;
        if (endpoint.tls() != null) {
            SSLContext context = PemTls.context(endpoint.tls());
            ssl = () -> context;
        }
        String host = uri;
        SSLConfig clientSsl = ssl;
        Supplier<DockerClientConfig> config = () -> DefaultDockerClientConfig.createDefaultConfigBuilder()
                .withDockerHost(host)
                .withDockerTlsVerify(false)
                .withCustomSslConfig(clientSsl)
                .build();
        // Without TLS the transport would still set up the JDK's default TLS context, reading and parsing
        // every certificate of the trust store: a tenth of a second at every start. This one is never used,
        // and has nothing behind it (even the JDK's TLS context, uninitialised, loads its cipher suites).
        // A tcp endpoint with any TLS context speaks https, so plain tcp gets none.
        SSLConfig transportSsl = ssl != null || endpoint.scheme().equals("tcp") ? ssl : NoTls::new;
        java.net.URI transportUri = java.net.URI.create(uri);
        Supplier<DockerHttpClient> transport = () -> new ApacheDockerHttpClient.Builder()
                .dockerHost(transportUri)
                .sslConfig(transportSsl)
                .connectionTimeout(Duration.ofSeconds(5))
                .maxConnections(32)
                .build();
        UnixSocketHttp local = transportUri.getScheme().equals("unix")
                ? new UnixSocketHttp(java.nio.file.Path.of(transportUri.getPath())) : null;
        return new DockerEngine(endpoint, config, transport, local, tunnel);
    }

    /** The TLS context the transport is given for an endpoint without TLS: it keeps it, and never uses it. */
    private static final class NoTls extends SSLContext {
        NoTls() {
            super(new Spi(), null, "TLS");
        }

        private static final class Spi extends SSLContextSpi {
            private static UnsupportedOperationException unused() {
                return new UnsupportedOperationException("this Docker endpoint does not use TLS");
            }

            @Override
            protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
                throw unused();
            }

            @Override
            protected SSLSocketFactory engineGetSocketFactory() {
                throw unused();
            }

            @Override
            protected SSLServerSocketFactory engineGetServerSocketFactory() {
                throw unused();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine() {
                throw unused();
            }

            @Override
            protected SSLEngine engineCreateSSLEngine(String host, int port) {
                throw unused();
            }

            @Override
            protected SSLSessionContext engineGetServerSessionContext() {
                throw unused();
            }

            @Override
            protected SSLSessionContext engineGetClientSessionContext() {
                throw unused();
            }
        }
    }

    @Override
    public Endpoint endpoint() {
        return endpoint;
    }

    @Override
    public String version() {
        Version v = call("report its version", () -> client().versionCmd().exec());
        return product(v) + " " + v.getVersion() + " (API " + v.getApiVersion() + ")";
    }

    /** {@code Podman} when the engine is Podman's Docker-compatible service, otherwise {@code Docker}. */
    private String product(Version v) {
        String name = "Docker";
        if (v.getComponents() != null) {
            for (var c : v.getComponents()) {
                if (c.getName() != null && c.getName().startsWith("Podman")) {
                    name = "Podman";
                }
            }
        }
        product = name;
        return name;
    }

    private boolean podman() {
        String known = product;
        if (known == null) {
            known = product(call("report its version", () -> client().versionCmd().exec()));
        }
        return known.equals("Podman");
    }

    /**
     * An image reference as Docker shows it. Podman names every image in full: one committed as
     * {@code devdb-cache:KEY} is {@code docker.io/library/devdb-cache:KEY}, one loaded from a file
     * or built here is {@code localhost/NAME:TAG}; Docker shows both by the short name they were
     * given, and devdb compares references in that form.
     */
    private String familiar(String reference) {
        return familiar(reference, this::podman);
    }

    /** {@link #familiar(String)}, asking {@code podman} only about a {@code localhost/} reference. */
    static String familiar(String reference, java.util.function.BooleanSupplier podman) {
        if (reference == null) {
            return null;
        }
        if (reference.startsWith("docker.io/library/")) {
            return reference.substring("docker.io/library/".length());
        }
        if (reference.startsWith("docker.io/")) {
            return reference.substring("docker.io/".length());
        }
        if (reference.startsWith("localhost/") && podman.getAsBoolean()) {
            return reference.substring("localhost/".length());
        }
        return reference;
    }

    @Override
    public boolean imageExists(String reference) {
        return find("inspect image " + reference, () -> client().inspectImageCmd(reference).exec()) != null;
    }

    @Override
    public void pull(String reference, Consumer<PullProgress> progress) {
        String[] parts = splitReference(reference);
        String[] error = new String[1];
        try {
            call("pull image " + reference, () -> client().pullImageCmd(parts[0]).withTag(parts[1])
                    .exec(new Quiet<PullResponseItem>() {
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
                    }).finish());
        } catch (Refusal e) {
            throw new DevDbException(ExitCodes.IMAGE, "cannot pull image " + reference + ": " + e.reason()
                    + "; check the profile's image and version, or set DEVDB_REGISTRY to a mirror", e);
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
        String port = spec.containerPort() + "/tcp";
        String bind = spec.bindAddress() == null ? ContainerSpec.LOOPBACK : spec.bindAddress();
        String body = jsonObject(g -> {
            g.writeStringField("Image", spec.image());
            writeStrings(g, "Env", pairs(spec.env()));
            g.writeObjectFieldStart("Labels");
            for (Map.Entry<String, String> l : spec.labels().entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("ExposedPorts");
            g.writeObjectFieldStart(port);
            g.writeEndObject();
            g.writeEndObject();
            if (spec.entrypoint() != null) {
                writeStrings(g, "Entrypoint", spec.entrypoint());
            }
            if (!spec.command().isEmpty()) {
                writeStrings(g, "Cmd", spec.command());
            }
            g.writeObjectFieldStart("HostConfig");
            g.writeObjectFieldStart("PortBindings");
            g.writeArrayFieldStart(port);
            g.writeStartObject();
            g.writeStringField("HostIp", bind);
            g.writeStringField("HostPort", spec.hostPort() == null ? "" : spec.hostPort().toString());
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            if (spec.memoryBytes() != null) {
                g.writeNumberField("Memory", spec.memoryBytes());
                g.writeNumberField("MemorySwap", spec.memoryBytes());
            }
            if (spec.nanoCpus() != null) {
                g.writeNumberField("NanoCpus", spec.nanoCpus());
            }
            g.writeEndObject();
        });
        try {
            JsonNode created = json("create container " + spec.name(), DockerHttpClient.Request.Method.POST,
                    "/containers/create?name=" + encode(spec.name()), body);
            return text(created, "Id");
        } catch (Refusal e) {
            if (e.conflict()) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + spec.name()
                        + " already exists; choose another name with --name", e);
            }
            if (e.notFound()) {
                throw new DevDbException(ExitCodes.IMAGE, "image " + spec.image() + " is not available locally", e);
            }
            throw e;
        }
    }

    /** Writes the fields of one JSON object. */
    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    /** A JSON object (a request's body, a parameter), with the fields {@code fields} writes. */
    private static String jsonObject(Fields fields) {
        java.io.StringWriter out = new java.io.StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code KEY=VALUE} of each entry, in the map's order: an environment, a label filter. */
    private static List<String> pairs(Map<String, String> map) {
        List<String> pairs = new ArrayList<>(map.size());
        for (Map.Entry<String, String> e : map.entrySet()) {
            pairs.add(e.getKey() + "=" + e.getValue());
        }
        return pairs;
    }

    private static void writeStrings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    @Override
    public void copyFile(String containerId, String directory, String fileName, byte[] content, int mode) {
        writeTar(containerId, directory, Map.of(fileName, content), mode);
    }

    @Override
    public void writeFiles(String containerId, String directory, Map<String, byte[]> files) {
        writeTar(containerId, directory, files, 0644);
    }

    /**
     * One archive extracted at the container's root, streamed: the small files and those copied from
     * disk, each under its directory. One request instead of one per directory, and no docker-java.
     */
    @Override
    public void putFiles(String containerId, Map<String, Map<String, byte[]>> written,
            Map<String, List<FileCopy>> copied) {
        if (podman()) {
            Engine.super.putFiles(containerId, written, copied);
            return;
        }
        String action = "copy files into container " + shortId(containerId);
        String path = "/containers/" + pathPart(containerId) + "/archive?path=%2F";
        if (local != null) {
            call(action, () -> {
                UnixSocketHttp.Answer answer;
                try {
                    answer = local.stream("PUT", path, "application/x-tar", out -> writeArchive(out, written, copied));
                } catch (java.nio.channels.ClosedByInterruptException e) {
                    throw new InterruptedException("interrupted");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                refuseUnlessDone(action, answer.status(), answer.body());
                return null;
            });
            return;
        }
        streamArchive(action, out -> writeArchive(out, written, copied), in -> {
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.PUT)
                    .path(path)
                    .putHeader("Content-Type", "application/x-tar")
                    .body(in)
                    .build();
            try (DockerHttpClient.Response response = http().execute(request)) {
                refuseUnlessDone(action, response.getStatusCode(), response.getBody().readAllBytes());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** What writes an archive to a stream. */
    private interface ArchiveWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Sends the archive {@code archive} writes, as {@code send} sends a stream, while a thread of its own
     * writes it. A writer the engine stopped reading from fails on the closed pipe and ends (the engine's
     * answer says why); any other failure of the writer (a {@link DevDbException} for a file it cannot
     * read) is thrown once the request is over.
     */
    private void streamArchive(String action, ArchiveWriter archive, java.util.function.Consumer<InputStream> send) {
        PipedInputStream in = new PipedInputStream(1 << 16);
        RuntimeException[] failure = new RuntimeException[1];
        Thread writer;
        try {
            PipedOutputStream pipe = new PipedOutputStream(in);
            writer = new Thread(() -> {
                try (pipe) {
                    archive.write(pipe);
                } catch (IOException e) {
                    // the engine stopped reading: its answer says why
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            }, "devdb-tar");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        writer.start();
        try {
            call(action, () -> {
                send.accept(in);
                writer.join();
                return null;
            });
        } finally {
            try {
                in.close();
            } catch (IOException e) {
                // closing only
            }
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    /**
     * The archive of {@link #putFiles} and {@link #copyFiles}: the small files and those read from disk,
     * each under its directory. A file that cannot be read is a {@link DevDbException}, not a failure of the engine.
     */
    private static void writeArchive(OutputStream out, Map<String, Map<String, byte[]>> written,
            Map<String, List<FileCopy>> copied) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        long now = System.currentTimeMillis();
        for (Map.Entry<String, Map<String, byte[]>> d : written.entrySet()) {
            for (Map.Entry<String, byte[]> f : d.getValue().entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(underRoot(d.getKey(), f.getKey()));
                entry.setSize(f.getValue().length);
                entry.setMode(0644);
                entry.setModTime(now);
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        }
        for (Map.Entry<String, List<FileCopy>> d : copied.entrySet()) {
            for (FileCopy f : d.getValue()) {
                long size;
                InputStream source;
                try {
                    size = Files.size(f.source());
                    source = Files.newInputStream(f.source());
                } catch (IOException e) {
                    throw new DevDbException(ExitCodes.FAILURE, "cannot copy into the container: " + e.getMessage(), e);
                }
                try (source) {
                    TarArchiveEntry entry = new TarArchiveEntry(underRoot(d.getKey(), f.name()));
                    entry.setSize(size);
                    entry.setMode(f.mode());
                    entry.setModTime(now);
                    tar.putArchiveEntry(entry);
                    source.transferTo(tar);
                    tar.closeArchiveEntry();
                }
            }
        }
        tar.finish();
        tar.flush();
    }

    /** Throws the engine's refusal unless its answer is a success. */
    private void refuseUnlessDone(String action, int status, byte[] answer) {
        if (status / 100 == 2) {
            return;
        }
        String reason = new String(answer, StandardCharsets.UTF_8).strip();
        try {
            JsonNode error = tree(answer);
            if (error != null && error.hasNonNull("message")) {
                reason = error.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: the body as it is
        }
        reason = reason.lines().findFirst().orElse(reason).trim();
        throw new Refusal(exitCode(status, reason), "the Docker engine at " + endpoint + " could not "
                + action + ": " + reason, status, reason, null);
    }

    /** A path in an archive extracted at the root: the directory's, without its leading slash. */
    private static String underRoot(String directory, String name) {
        String dir = directory.replaceAll("^/+", "").replaceAll("/+$", "");
        return dir.isEmpty() ? name : dir + "/" + name;
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
        send("copy files into container " + shortId(containerId), DockerHttpClient.Request.Method.PUT,
                "/containers/" + pathPart(containerId) + "/archive?path=" + encode(directory), "application/x-tar",
                tar.toByteArray());
    }

    @Override
    public void start(String containerId) {
        try {
            send("start container " + shortId(containerId), DockerHttpClient.Request.Method.POST,
                    "/containers/" + pathPart(containerId) + "/start", null, null);
        } catch (Refusal e) {
            if (e.status() == 304) {
                return; // already running
            }
            if (e.exitCode() == ExitCodes.PORT_IN_USE) {
                throw new DevDbException(ExitCodes.PORT_IN_USE,
                        "the host port is already in use: " + e.reason() + "; choose another with --port, "
                                + "or leave --port out for a free one", e);
            }
            String missing = missingExecutable(e.reason());
            if (missing != null) {
                throw new DevDbException(ExitCodes.IMAGE_UNFIT, "the image has no " + missing
                        + (missing.startsWith("/") ? "" : " on PATH"), e);
            }
            throw e;
        }
    }

    /** The entrypoint program a container could not start because its image has none, or null. */
    static String missingExecutable(String reason) {
        Matcher m = MISSING_EXECUTABLE.matcher(reason);
        return m.find() ? m.group(1) : null;
    }

    @Override
    public List<ContainerInfo> list(Map<String, String> labels) {
        JsonNode containers = json("list containers", "/containers/json?all=1&filters=" + encode(labelFilter(labels)));
        List<ContainerInfo> result = new ArrayList<>();
        for (JsonNode c : containers) {
            JsonNode names = c.path("Names");
            String name = names.size() > 0 ? names.get(0).asText() : c.path("Id").asText();
            Integer port = null;
            for (JsonNode p : c.path("Ports")) {
                if (p.path("PrivatePort").asInt() == 3306 && p.hasNonNull("PublicPort")) {
                    port = p.get("PublicPort").asInt();
                }
            }
            Integer exit = null;
            Matcher m = EXITED.matcher(c.path("Status").asText(""));
            if (m.find()) {
                exit = Integer.parseInt(m.group(1));
            }
            result.add(new ContainerInfo(c.path("Id").asText(), stripSlash(name), familiar(text(c, "Image")),
                    strings(c.path("Labels")), text(c, "State"), exit,
                    c.hasNonNull("Created") ? Instant.ofEpochSecond(c.get("Created").asLong()) : null, port, Map.of()));
        }
        return result;
    }

    @Override
    public Optional<ContainerInfo> inspect(String nameOrId) {
        JsonNode r = jsonOrNull("inspect container " + nameOrId, "/containers/" + pathPart(nameOrId) + "/json");
        if (r == null) {
            return Optional.empty();
        }
        Integer port = null;
        for (JsonNode b : r.path("NetworkSettings").path("Ports").path("3306/tcp")) {
            String spec = b.path("HostPort").asText("");
            if (!spec.isEmpty()) {
                port = Integer.parseInt(spec);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode config = r.path("Config");
        for (JsonNode e : config.path("Env")) {
            String kv = e.asText();
            int eq = kv.indexOf('=');
            if (eq > 0) {
                env.put(kv.substring(0, eq), kv.substring(eq + 1));
            }
        }
        JsonNode state = r.path("State");
        return Optional.of(new ContainerInfo(text(r, "Id"), stripSlash(text(r, "Name")), familiar(text(config, "Image")),
                strings(config.path("Labels")), text(state, "Status"),
                state.hasNonNull("ExitCode") ? state.get("ExitCode").asInt() : null,
                r.hasNonNull("Created") ? Instant.parse(r.get("Created").asText()) : null, port, env));
    }

    @Override
    public void remove(String containerId, Duration grace) {
        String id = shortId(containerId);
        try {
            if (!grace.isZero()) {
                try {
                    send("stop container " + id, DockerHttpClient.Request.Method.POST,
                            "/containers/" + pathPart(containerId) + "/stop?t=" + grace.toSeconds(), null, null);
                } catch (Refusal e) {
                    if (e.status() != 304) {
                        throw e;
                    }
                    // already stopped
                }
            }
            send("remove container " + id, DockerHttpClient.Request.Method.DELETE,
                    "/containers/" + pathPart(containerId) + "?force=1&v=1", null, null);
        } catch (Refusal e) {
            // gone already, or being removed by someone else
            if (!e.notFound() && !(e.conflict() && e.reason().contains("already in progress"))) {
                throw e;
            }
        }
    }

    @Override
    public List<String> logs(String containerId, int tail) {
        StringBuilder text = new StringBuilder();
        try {
            call("read the logs of container " + shortId(containerId), () -> client().logContainerCmd(containerId)
                    .withStdOut(true)
                    .withStdErr(true)
                    .withTail(tail)
                    .exec(new Quiet<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            text.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                        }
                    }).finish());
        } catch (Refusal e) {
            if (e.notFound()) {
                return List.of();
            }
            throw e;
        }
        return text.toString().lines().toList();
    }

    @Override
    public ExecResult exec(String containerId, List<String> command, Map<String, String> env) {
        String action = "run " + command.get(0) + " in container " + shortId(containerId);
        String body = jsonObject(g -> {
            g.writeBooleanField("AttachStdout", true);
            g.writeBooleanField("AttachStderr", true);
            writeStrings(g, "Cmd", command);
            writeStrings(g, "Env", pairs(env));
        });
        String execId = text(json(action, DockerHttpClient.Request.Method.POST,
                "/containers/" + pathPart(containerId) + "/exec", body), "Id");
        if (execId == null) {
            throw new DevDbException(ExitCodes.FAILURE, "the Docker engine at " + endpoint + " answered " + action
                    + " without naming the exec it created");
        }
        // without a terminal the answer is the process's output in frames, until it ends
        byte[] frames = sendForBytes(action, DockerHttpClient.Request.Method.POST, "/exec/" + pathPart(execId) + "/start",
                "application/json", "{\"Detach\":false,\"Tty\":false}".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        demultiplex(frames, stdout, stderr);
        JsonNode exit = json(action, "/exec/" + pathPart(execId) + "/json").get("ExitCode");
        return new ExecResult(exit == null || exit.isNull() ? -1 : exit.asInt(), stdout.toString(StandardCharsets.UTF_8),
                stderr.toString(StandardCharsets.UTF_8));
    }

    /**
     * Splits an attached process's output, as the engine sends it without a terminal, into its two
     * streams: frames of an 8-byte header (the stream: 1 standard output, 2 standard error; three
     * zero bytes; the payload's length, big-endian) and the payload. Output cut short keeps what came
     * whole, and what came of the last frame.
     */
    static void demultiplex(byte[] frames, OutputStream stdout, OutputStream stderr) {
        int at = 0;
        while (at + 8 <= frames.length) {
            int stream = frames[at];
            int length = ((frames[at + 4] & 0xff) << 24) | ((frames[at + 5] & 0xff) << 16)
                    | ((frames[at + 6] & 0xff) << 8) | (frames[at + 7] & 0xff);
            at += 8;
            int n = Math.min(Math.max(length, 0), frames.length - at);
            try {
                (stream == 2 ? stderr : stdout).write(frames, at, n);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            at += n;
        }
    }

    @Override
    public String imageId(String reference) {
        JsonNode image = jsonOrNull("inspect image " + reference, "/images/" + pathPart(reference) + "/json");
        return image == null ? null : text(image, "Id");
    }

    @Override
    public Map<String, String> imageLabels(String reference) {
        JsonNode image = jsonOrNull("inspect image " + reference, "/images/" + pathPart(reference) + "/json");
        return image == null ? null : strings(image.path("Config").path("Labels"));
    }

    @Override
    public void copyFiles(String containerId, String directory, List<FileCopy> files) {
        streamArchive("copy files into container " + shortId(containerId),
                out -> writeArchive(out, Map.of(), Map.of("", files)),
                in -> client().copyArchiveToContainerCmd(containerId).withRemotePath(directory).withTarInputStream(in)
                        .exec());
    }

    @Override
    public String commit(String containerId, String repository, String tag, Map<String, String> labels,
            List<String> env) {
        if (podman()) {
            return podmanCommit(containerId, repository, tag, labels, env);
        }
        String body = jsonObject(g -> {
            writeStrings(g, "Env", env);
            g.writeObjectFieldStart("Labels");
            for (Map.Entry<String, String> l : labels.entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeEndObject();
        });
        // the container is paused while its files are copied: a running server's data is copied as of one moment
        JsonNode answer = send("commit container " + shortId(containerId), DockerHttpClient.Request.Method.POST,
                "/commit?container=" + encode(containerId) + "&repo=" + encode(repository) + "&tag=" + encode(tag)
                        + "&pause=true", "application/json", body.getBytes(StandardCharsets.UTF_8));
        if (answer == null || !answer.hasNonNull("Id")) {
            throw new DevDbException(ExitCodes.FAILURE, "the Docker engine at " + endpoint + " committed container "
                    + shortId(containerId) + " but named no image");
        }
        return answer.get("Id").asText();
    }

    /**
     * Podman's commit takes no labels from the request's body, only Dockerfile instructions from
     * its {@code changes} parameters, which docker-java does not send. Like Docker it keeps the
     * container's environment; a variable given empty is emptied by an ENV instruction.
     */
    /** A variable given empty ({@code NAME=}), with a name an ENV instruction takes as it is. */
    private static final Pattern EMPTIED = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=");

    private String podmanCommit(String containerId, String repository, String tag, Map<String, String> labels,
            List<String> env) {
        String action = "commit container " + shortId(containerId);
        StringBuilder path = new StringBuilder("/commit?container=").append(encode(containerId))
                .append("&repo=").append(encode(repository)).append("&tag=").append(encode(tag))
                .append("&pause=true");
        for (Map.Entry<String, String> l : labels.entrySet()) {
            path.append("&changes=").append(encode(labelInstruction(l.getKey(), l.getValue())));
        }
        for (String variable : env) {
            if (EMPTIED.matcher(variable).matches()) {
                path.append("&changes=").append(encode("ENV " + variable));
            }
        }
        DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                .method(DockerHttpClient.Request.Method.POST)
                .path(path.toString())
                .putHeader("Content-Type", "application/json")
                .body(new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8)))
                .build();
        return call(action, () -> {
            try (DockerHttpClient.Response response = http().execute(request)) {
                byte[] body = response.getBody().readAllBytes();
                var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
                if (response.getStatusCode() / 100 != 2 || !json.hasNonNull("Id")) {
                    String reason = json.hasNonNull("message") ? json.get("message").asText()
                            : new String(body, StandardCharsets.UTF_8).strip();
                    throw new DevDbException(exitCode(response.getStatusCode(), reason), "the Docker engine at "
                            + endpoint + " could not " + action + ": " + reason);
                }
                String id = json.get("Id").asText();
                return id.startsWith("sha256:") ? id : "sha256:" + id;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** A Dockerfile LABEL instruction as Podman reads one: it takes quotes away but no backslashes. */
    static String labelInstruction(String key, String value) {
        for (String part : List.of(key, value)) {
            if (part.contains("\"") || part.contains("\\") || part.chars().anyMatch(ch -> ch < 0x20)) {
                throw new DevDbException(ExitCodes.FAILURE, "cannot label an image on Podman with " + key + "="
                        + value.replaceAll("\\p{Cntrl}", "?") + ": quotes, backslashes and control characters do"
                        + " not survive its commit");
            }
        }
        return "LABEL \"" + key + "\"=\"" + value + "\"";
    }

    /**
     * Jackson's parser only: the engine's answers on the hot paths are read as trees, without an object
     * mapper (costly to set up) or docker-java's model classes (costly to bind).
     */
    private static final JsonFactory JSON = new JsonFactory();

    /** A JSON document as a tree; a missing node when empty. */
    static JsonNode tree(byte[] body) throws IOException {
        try (JsonParser p = JSON.createParser(body)) {
            return p.nextToken() == null ? MissingNode.getInstance() : node(p);
        }
    }

    private static JsonNode node(JsonParser p) throws IOException {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        switch (p.currentToken()) {
            case START_OBJECT: {
                ObjectNode o = nodes.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    o.set(name, node(p));
                }
                return o;
            }
            case START_ARRAY: {
                ArrayNode a = nodes.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    a.add(node(p));
                }
                return a;
            }
            case VALUE_STRING:
                return nodes.textNode(p.getText());
            case VALUE_NUMBER_INT:
                return nodes.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT:
                return nodes.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return nodes.booleanNode(true);
            case VALUE_FALSE:
                return nodes.booleanNode(false);
            case VALUE_NULL:
                return nodes.nullNode();
            default:
                throw new IOException("unexpected JSON token " + p.currentToken());
        }
    }

    /** The {@code filters} parameter of a container list: all of these labels. */
    static String labelFilter(Map<String, String> labels) {
        return jsonObject(g -> writeStrings(g, "label", pairs(labels)));
    }

    /**
     * A GET of the engine's API, its JSON answer as a tree. Reading the few fields devdb needs from the
     * tree costs a fraction of what building docker-java's model classes for the whole answer does.
     */
    private JsonNode json(String action, String path) {
        return json(action, DockerHttpClient.Request.Method.GET, path, null);
    }

    /** A request of the engine's API with a JSON body (or none, when null), its JSON answer as a tree. */
    private JsonNode json(String action, DockerHttpClient.Request.Method method, String path, String body) {
        return send(action, method, path, "application/json", body == null ? null : body.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A request of the engine's API, its answer as a tree (a missing node when it has none).
     *
     * @param body what to send, or null for nothing
     * @throws Refusal when the engine answers with an error
     */
    private JsonNode send(String action, DockerHttpClient.Request.Method method, String path, String contentType,
            byte[] body) {
        byte[] answer = sendForBytes(action, method, path, contentType, body);
        try {
            return tree(answer);
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.FAILURE, "the Docker engine at " + endpoint + " answered " + action
                    + " with something other than JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A request of the engine's API, its answer's body as it came (an archive, say).
     *
     * @throws Refusal when the engine answers with an error
     */
    private byte[] sendForBytes(String action, DockerHttpClient.Request.Method method, String path, String contentType,
            byte[] body) {
        return call(action, () -> {
            UnixSocketHttp.Answer exchanged;
            try {
                exchanged = local != null ? local.exchange(method.name(), path, contentType, body)
                        : transportExchange(method, path, contentType, body);
            } catch (java.nio.channels.ClosedByInterruptException e) {
                throw new InterruptedException("interrupted");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            refuseUnlessDone(action, exchanged.status(), exchanged.body());
            return exchanged.body();
        });
    }

    /** One request through docker-java's transport (endpoints other than a Unix socket), its whole answer. */
    private UnixSocketHttp.Answer transportExchange(DockerHttpClient.Request.Method method, String path,
            String contentType, byte[] body) throws IOException {
        DockerHttpClient.Request.Builder builder = DockerHttpClient.Request.builder().method(method).path(path);
        if (body != null) {
            builder.putHeader("Content-Type", contentType).body(new ByteArrayInputStream(body));
        }
        try (DockerHttpClient.Response response = http().execute(builder.build())) {
            return new UnixSocketHttp.Answer(response.getStatusCode(), response.getBody().readAllBytes());
        }
    }

    /** {@link #json} of something that may not exist: null when the engine has no such thing. */
    private JsonNode jsonOrNull(String action, String path) {
        try {
            return json(action, path);
        } catch (Refusal e) {
            if (e.notFound()) {
                return null;
            }
            throw e;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A JSON object of strings (labels), in its order; empty when absent or null. */
    private static Map<String, String> strings(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }

    /** A name or reference as one part of a request's path: encoded, but for the slashes and colons of a reference. */
    private static String pathPart(String value) {
        return encode(value).replace("%2F", "/").replace("%3A", ":").replace("%40", "@");
    }

    private static String encode(String value) {
        return java.net.URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public List<ImageInfo> images(Map<String, String> labels) {
        List<ImageInfo> result = new ArrayList<>();
        String[] filters = labels.entrySet().stream()
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
                .toArray(String[]::new);
        for (Image i : call("list images", () -> client().listImagesCmd().withLabelFilter(filters).exec())) {
            List<String> tags = new ArrayList<>();
            if (i.getRepoTags() != null) {
                for (String t : i.getRepoTags()) {
                    tags.add(familiar(t));
                }
            }
            result.add(new ImageInfo(i.getId(), List.copyOf(tags),
                    i.getLabels() == null ? Map.of() : i.getLabels(), i.getSize() == null ? 0 : i.getSize(),
                    i.getCreated() == null ? null : Instant.ofEpochSecond(i.getCreated()),
                    i.getContainers() == null ? -1 : i.getContainers()));
        }
        return result;
    }

    @Override
    public boolean removeImage(String reference, boolean force) {
        // Podman's forced removal also removes the containers that use the image; Docker's untags it
        boolean forced = force && !podman();
        try {
            run("remove image " + reference, () -> client().removeImageCmd(reference).withForce(forced).exec());
            return true;
        } catch (Refusal e) {
            if (e.notFound()) {
                return true;
            }
            if (e.conflict()) {
                if (force && !forced) {
                    podmanUntag(reference);
                    return true;
                }
                return false;
            }
            throw e;
        }
    }

    /**
     * Takes a name off an image on Podman, leaving the image to the containers that use it, as Docker's
     * forced removal does. Podman's Docker-compatible API has no untag; its own API has.
     */
    private void podmanUntag(String reference) {
        InspectImageResponse image = find("inspect image " + reference, () -> client().inspectImageCmd(reference).exec());
        if (image == null || image.getRepoTags() == null) {
            return;
        }
        String wanted = familiar(reference);
        for (String full : image.getRepoTags()) {
            int colon = full.lastIndexOf(':');
            if (colon <= full.lastIndexOf('/') || !familiar(full).equals(wanted)) {
                continue;
            }
            String action = "untag image " + reference;
            DockerHttpClient.Request request = DockerHttpClient.Request.builder()
                    .method(DockerHttpClient.Request.Method.POST)
                    .path("/v4.0.0/libpod/images/" + encode(image.getId().replaceFirst("^sha256:", "")) + "/untag?repo="
                            + encode(full.substring(0, colon)) + "&tag=" + encode(full.substring(colon + 1)))
                    .build();
            run(action, () -> {
                try (DockerHttpClient.Response response = http().execute(request)) {
                    byte[] body = response.getBody().readAllBytes();
                    if (response.getStatusCode() / 100 != 2 && response.getStatusCode() != 404) {
                        String reason = new String(body, StandardCharsets.UTF_8).strip();
                        throw new DevDbException(exitCode(response.getStatusCode(), reason), "the Docker engine at "
                                + endpoint + " could not " + action + ": " + reason);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        }
    }


    @Override
    public Map<String, byte[]> readFiles(String containerId, String directory) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        String dir = directory.endsWith("/") ? directory : directory + "/";
        byte[] found;
        try {
            found = sendForBytes("read " + directory + " from container " + shortId(containerId),
                    DockerHttpClient.Request.Method.GET, "/containers/" + pathPart(containerId) + "/archive?path="
                            + encode(dir), null, null);
        } catch (Refusal e) {
            if (e.notFound()) {
                return Map.of();
            }
            throw e;
        }
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new ByteArrayInputStream(found))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                String name = e.getName();
                int slash = name.indexOf('/');
                String rest = slash < 0 ? name : name.substring(slash + 1);
                if (e.isFile() && !rest.isEmpty() && !rest.contains("/")) {
                    files.put(rest, tar.readAllBytes());
                }
            }
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.FAILURE, "cannot read " + directory + " from the container: "
                    + e.getMessage(), e);
        }
        return files;
    }

    @Override
    public void kill(String containerId) {
        try {
            send("kill container " + shortId(containerId), DockerHttpClient.Request.Method.POST,
                    "/containers/" + pathPart(containerId) + "/kill", null, null);
        } catch (Refusal e) {
            if (!e.notFound() && !e.conflict()) {
                throw e;
            }
            // not running, or already gone
        }
    }

    @Override
    public void rename(String containerId, String newName) {
        try {
            send("rename container " + shortId(containerId) + " to " + newName, DockerHttpClient.Request.Method.POST,
                    "/containers/" + pathPart(containerId) + "/rename?name=" + encode(newName), null, null);
        } catch (Refusal e) {
            if (e.exitCode() == ExitCodes.NAME_CONFLICT) {
                throw new DevDbException(ExitCodes.NAME_CONFLICT, "a container named " + newName
                        + " already exists; remove it or choose another name", e);
            }
            throw e;
        }
    }

    @Override
    public AttachedExec execAttached(String containerId, List<String> command, Map<String, String> env, boolean tty,
            InputStream stdin, OutputStream stdout, OutputStream stderr) {
        List<String> envList = pairs(env);
        String action = "run " + command.get(0) + " in container " + shortId(containerId);
        String execId = call(action, () -> client().execCreateCmd(containerId)
                .withCmd(command.toArray(String[]::new))
                .withEnv(envList)
                .withTty(tty)
                .withAttachStdin(stdin != null)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec().getId());
        Attached attached = new Attached(execId, stdout, stderr);
        call(action, () -> client().execStartCmd(execId).withTty(tty).withStdIn(stdin).exec(attached));
        return attached;
    }

    /** Writes an exec's output as it arrives and reports how it ended. */
    private final class Attached extends Quiet<Frame> implements AttachedExec {
        private final String execId;
        private final OutputStream stdout;
        private final OutputStream stderr;
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
        public void resize(int columns, int rows) {
            if (columns <= 0 || rows <= 0) {
                return;
            }
            // older engines refuse a resize until the process runs: try a few times
            for (int attempt = 0; attempt < 10; attempt++) {
                try {
                    run("resize a terminal", () -> client().resizeExecCmd(execId).withSize(rows, columns).exec());
                    return;
                } catch (Refusal e) {
                    if (e.notFound()) {
                        return; // the command has ended
                    }
                } catch (DevDbException e) {
                    // not yet
                }
                try {
                    Thread.sleep(10L * (attempt + 1));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        @Override
        public boolean outputClosed() {
            return outputClosed;
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
                var state = call("inspect a command's state", () -> client().inspectExecCmd(execId).exec());
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
        run("copy a stream into container " + shortId(containerId), () -> client().copyArchiveToContainerCmd(containerId)
                .withRemotePath(parent)
                .withTarInputStream(tar)
                .exec());
        return tar.sourceBytes();
    }

    @Override
    public EngineInfo info() {
        Version v = call("report its version", () -> client().versionCmd().exec());
        Info i = call("report about itself", () -> client().infoCmd().exec());
        return new EngineInfo(product(v), v.getVersion(), v.getApiVersion(), i.getOsType(), i.getArchitecture(),
                i.getOperatingSystem(), i.getDriver(), i.getDockerRootDir(), i.getContainers(), i.getImages());
    }

    @Override
    public void createNetwork(String name, Map<String, String> labels) {
        try {
            call("create network " + name,
                    // engines before API 1.44 create a second network of the same name unless asked not to
                    () -> client().createNetworkCmd().withName(name).withDriver("bridge").withLabels(labels)
                            .withCheckDuplicate(true).exec());
        } catch (Refusal e) {
            if (!e.conflict()) {
                throw e;
            }
            throw new DevDbException(ExitCodes.NAME_CONFLICT, "a network named " + name
                    + " already exists; remove it with `docker network rm " + name + "` or pick another --name", e);
        }
    }

    @Override
    public boolean networkExists(String name) {
        return find("inspect network " + name, () -> client().inspectNetworkCmd().withNetworkId(name).exec()) != null;
    }

    @Override
    public void connectNetwork(String containerId, String network, List<String> aliases) {
        run("connect container " + shortId(containerId) + " to network " + network,
                () -> client().connectToNetworkCmd().withContainerId(containerId).withNetworkId(network)
                        .withContainerNetwork(new ContainerNetwork().withAliases(aliases)).exec());
    }

    @Override
    public void removeNetwork(String name) {
        try {
            run("remove network " + name, () -> client().removeNetworkCmd(name).exec());
        } catch (Refusal e) {
            if (!e.notFound()) {
                throw e;
            }
            // already gone
        }
    }

    @Override
    public List<String> networks(Map<String, String> labels) {
        List<String> filters = labels.entrySet().stream()
                .map(e -> e.getValue().isEmpty() ? e.getKey() : e.getKey() + "=" + e.getValue())
                .toList();
        List<String> names = new ArrayList<>();
        for (Network n : call("list networks", () -> client().listNetworksCmd().withFilter("label", filters).exec())) {
            names.add(n.getName());
        }
        return names;
    }

    @Override
    public void close() {
        try {
            DockerClient made;
            DockerHttpClient transported;
            synchronized (this) {
                made = client;
                transported = http;
            }
            if (made != null) {
                made.close();
            } else if (transported != null) {
                transported.close();
            }
        } catch (IOException e) {
            // nothing useful to do while closing
        }
        if (tunnel != null) {
            tunnel.close();
        }
    }

    /** A request to the engine; it may wait (for a stream to end), and be interrupted meanwhile. */
    @FunctionalInterface
    private interface Request<T> {
        T send() throws InterruptedException;
    }

    /**
     * Sends a request. This is the one place docker-java's failures become devdb's: the engine's
     * refusals ({@link Refusal}, with the exit code their status means), a transport that reaches
     * nobody (exit code 4), an interrupted wait (130), anything else (1), each naming the endpoint
     * and what was tried.
     *
     * @param action what the request does, for the message ({@code start container 3f2a9c1b0d4e})
     */
    private <T> T call(String action, Request<T> request) {
        try {
            return request.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DevDbException(ExitCodes.INTERRUPTED, "interrupted while waiting for the Docker engine to "
                    + action, e);
        } catch (RuntimeException e) {
            throw translate(action, e);
        }
    }

    /** {@link #call} for a request without a result. */
    private void run(String action, Runnable request) {
        call(action, () -> {
            request.run();
            return null;
        });
    }

    /** {@link #call} for a request about something that may not exist: null when the engine has no such thing. */
    private <T> T find(String action, Request<T> request) {
        try {
            return call(action, request);
        } catch (Refusal e) {
            if (e.notFound()) {
                return null;
            }
            throw e;
        }
    }

    private DevDbException translate(String action, RuntimeException e) {
        if (e instanceof DevDbException d) {
            return d;
        }
        if (e instanceof DockerException d) {
            String reason = firstLine(d);
            return new Refusal(exitCode(d.getHttpStatus(), reason), "the Docker engine at " + endpoint
                    + " could not " + action + ": " + reason, d.getHttpStatus(), reason, e);
        }
        if (isConnectionFailure(e)) {
            return unreachable(e);
        }
        return new DevDbException(ExitCodes.FAILURE, "the Docker engine at " + endpoint + " could not " + action
                + ": " + e, e);
    }

    /** The exit code of an engine's refusal, by its HTTP status and words. */
    static int exitCode(int status, String reason) {
        String r = reason.toLowerCase(java.util.Locale.ROOT);
        if (status == 404 || status == 409 && (r.contains("is not running") || r.contains("is paused")
                || r.contains("is restarting"))) {
            return ExitCodes.NO_INSTANCE;
        }
        if (status == 409) {
            return ExitCodes.NAME_CONFLICT;
        }
        if (r.contains("port is already allocated") || r.contains("address already in use")) {
            return ExitCodes.PORT_IN_USE;
        }
        return ExitCodes.FAILURE;
    }

    private static String shortId(String containerId) {
        return containerId.matches("[0-9a-f]{64}") ? containerId.substring(0, 12) : containerId;
    }

    private DevDbException unreachable(Throwable e) {
        SshTunnel.Failure ssh = tunnel == null ? null : tunnel.failure();
        if (ssh != null) {
            return new DevDbException(ExitCodes.ENGINE_UNREACHABLE, "cannot reach the Docker engine at " + endpoint
                    + ": " + ssh.reason() + "; " + ssh.fix(), e);
        }
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return new DevDbException(ExitCodes.ENGINE_UNREACHABLE, "cannot reach the Docker engine at " + endpoint
                + ": " + root.getMessage() + "; " + unreachableFix(), e);
    }

    private String unreachableFix() {
        return switch (endpoint.origin()) {
            case DEFAULT -> "start Docker, or point DOCKER_HOST or a Docker context at a running engine";
            case DOCKER_HOST -> "start the engine DOCKER_HOST names, or correct DOCKER_HOST";
            case DOCKER_CONTEXT, CURRENT_CONTEXT -> "start the engine context " + endpoint.context()
                    + " names, or choose another (`docker context ls`)";
        };
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
            int end = idx + 11;
            while (end < m.length() && m.charAt(end) != '"') {
                end += m.charAt(end) == '\\' ? 2 : 1; // \" inside the message does not end it
            }
            m = m.substring(idx + 11, Math.min(end, m.length())).replace("\\\"", "\"");
        }
        return m.lines().findFirst().orElse(m).trim();
    }

    private static String stripSlash(String name) {
        return name != null && name.startsWith("/") ? name.substring(1) : name;
    }

    @Override
    public Streaming streamLogs(String containerId, Integer tail, Instant since, boolean follow,
            Consumer<byte[]> sink) {
        var cmd = client().logContainerCmd(containerId).withStdOut(true).withStdErr(true).withFollowStream(follow);
        if (tail != null) {
            cmd.withTail(tail);
        }
        if (since != null) {
            cmd.withSince((int) Math.max(0, since.getEpochSecond()));
        }
        String action = "read the logs of container " + shortId(containerId);
        FrameStream callback = call(action, () -> cmd.exec(new FrameStream() {
            @Override
            public void onNext(Frame frame) {
                sink.accept(frame.getPayload());
            }
        }));
        // as logs(): a container that is not there has written nothing
        return new CallbackStreaming(action, callback, true, () -> 0);
    }

    @Override
    public Streaming startExec(String containerId, List<String> command, Map<String, String> env,
            Consumer<byte[]> stdout, Consumer<byte[]> stderr) {
        List<String> envList = pairs(env);
        String action = "run " + command.get(0) + " in container " + shortId(containerId);
        String execId = call(action, () -> client().execCreateCmd(containerId)
                .withCmd(command.toArray(String[]::new))
                .withEnv(envList)
                .withAttachStdin(true)
                .withAttachStdout(true)
                .withAttachStderr(true)
                .exec().getId());
        HeldInput stdin = new HeldInput();
        FrameStream callback = call(action, () -> client().execStartCmd(execId)
                .withStdIn(stdin)
                .exec(new FrameStream() {
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
        return new CallbackStreaming(action, callback, false, () -> {
            Long exit = call(action, () -> client().inspectExecCmd(execId).exec().getExitCodeLong());
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

    /** Frames as they arrive; knows whether the engine ever answered. */
    private abstract static class FrameStream extends Quiet<Frame> {}

    /**
     * A callback that keeps a failure for whoever waits on it instead of logging it (docker-java's
     * own logs it, and the user would see a stack trace besides devdb's message); it knows whether
     * the engine ever answered.
     */
    private abstract static class Quiet<T> extends ResultCallback.Adapter<T> {
        volatile boolean started;
        volatile Throwable failure;

        @Override
        public void onStart(java.io.Closeable stream) {
            started = true;
            super.onStart(stream);
        }

        /** Waits for the end; a failure is thrown, for {@link DockerEngine#call} to translate. */
        Void finish() throws InterruptedException {
            awaitCompletion();
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            }
            if (t != null) {
                throw new IllegalStateException(t);
            }
            return null;
        }

        @Override
        public void onError(Throwable throwable) {
            // recorded here and reported by whoever waits (finish, an attached exec's waitFor), never logged
            if (failure == null) {
                failure = throwable;
            }
            try {
                close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /** A docker-java callback seen as a {@link Streaming}. */
    private final class CallbackStreaming implements Streaming {
        private final String action;
        private final FrameStream callback;
        private final boolean missingIsEmpty;
        private final Supplier<Integer> exitCode;

        CallbackStreaming(String action, FrameStream callback, boolean missingIsEmpty,
                Supplier<Integer> exitCode) {
            this.action = action;
            this.callback = callback;
            this.missingIsEmpty = missingIsEmpty;
            this.exitCode = exitCode;
        }

        @Override
        public int await() throws InterruptedException {
            try {
                callback.awaitCompletion();
            } catch (InterruptedException e) {
                close();
                throw e;
            }
            Throwable broken = callback.failure;
            if (broken != null) {
                RuntimeException e = broken instanceof RuntimeException r ? r : new IllegalStateException(broken);
                if (!isConnectionFailure(e)) {
                    DevDbException failure = translate(action, e);
                    if (missingIsEmpty && failure instanceof Refusal r && r.notFound()) {
                        return 0;
                    }
                    throw failure;
                }
                if (!callback.started) {
                    throw unreachable(e);
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
