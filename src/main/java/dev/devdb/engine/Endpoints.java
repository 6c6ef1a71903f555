package dev.devdb.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * Chooses the Docker engine as the docker command does: DOCKER_HOST; else the context DOCKER_CONTEXT
 * names; else the current context of {@code $DOCKER_CONFIG/config.json} (default {@code ~/.docker});
 * else the default socket. A context's endpoint is in {@code contexts/meta/<sha256 of its
 * name>/meta.json} under that directory, its TLS files in {@code contexts/tls/<sha256>/docker/}. A tcp
 * endpoint from DOCKER_HOST speaks TLS when DOCKER_TLS_VERIFY is set, with the files in
 * DOCKER_CERT_PATH (default {@code ~/.docker}). Reads files only; connects to nothing.
 */
public final class Endpoints {
    private static final String CONTEXTS_HELP = "`docker context ls` lists the contexts";

    private Endpoints() {}

    /**
     * The endpoint the environment chooses.
     *
     * @param env the environment: DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH, DOCKER_CONTEXT,
     *     DOCKER_CONFIG, HOME
     * @throws DevDbException (exit 2) when what names the endpoint cannot be used: a malformed DOCKER_HOST, a
     *     context that does not exist, an unreadable configuration or meta.json
     */
    public static Endpoint resolve(Map<String, String> env) {
        String host = env.get("DOCKER_HOST");
        if (host != null && !host.isBlank()) {
            boolean tls = tlsVerify(env.get("DOCKER_TLS_VERIFY"));
            String uri = DockerHost.parse("DOCKER_HOST", host, tls);
            Endpoint.Tls material = null;
            if (tls && uri.startsWith("tcp:")) {
                String certPath = env.get("DOCKER_CERT_PATH");
                boolean given = certPath != null && !certPath.isBlank();
                Path dir = given ? Path.of(certPath.trim()) : home(env).resolve(".docker");
                material = tlsFiles(dir, true, given ? "DOCKER_CERT_PATH " + dir : "DOCKER_TLS_VERIFY, files in " + dir);
            }
            return new Endpoint(uri, Endpoint.Origin.DOCKER_HOST, null, material);
        }
        String named = env.get("DOCKER_CONTEXT");
        if (named != null && !named.isBlank()) {
            return context(env, named.trim(), Endpoint.Origin.DOCKER_CONTEXT);
        }
        String current = currentContext(env);
        if (current != null) {
            return context(env, current, Endpoint.Origin.CURRENT_CONTEXT);
        }
        return new Endpoint(Endpoint.DEFAULT_SOCKET, Endpoint.Origin.DEFAULT, null, null);
    }

    /** The docker command's configuration directory: DOCKER_CONFIG, else {@code ~/.docker}. */
    public static Path configDirectory(Map<String, String> env) {
        String dir = env.get("DOCKER_CONFIG");
        return dir != null && !dir.isBlank() ? Path.of(dir.trim()) : home(env).resolve(".docker");
    }

    /** Whether DOCKER_TLS_VERIFY asks for TLS: set, and neither empty, {@code 0} nor {@code false}. */
    static boolean tlsVerify(String value) {
        return value != null && !value.isBlank() && !value.trim().equals("0") && !value.trim().equalsIgnoreCase("false");
    }

    private static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"));
    }

    /** The current context of config.json, or null when there is none, or it is {@code default}. */
    private static String currentContext(Map<String, String> env) {
        Path config = configDirectory(env).resolve("config.json");
        String text;
        try {
            text = Files.readString(config, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot read " + config + " (the docker command's configuration,"
                    + " which may name the current context): " + reason(e) + "; fix its permissions, or set DOCKER_HOST"
                    + " or DOCKER_CONTEXT", e);
        }
        JsonNode current;
        try {
            JsonNode root = new ObjectMapper().readTree(text);
            current = root == null ? null : root.get("currentContext");
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.USAGE, config + " is not valid JSON (" + firstLine(e.getMessage())
                    + "): correct it, or set DOCKER_HOST or DOCKER_CONTEXT", e);
        }
        if (current == null || current.isNull()) {
            return null;
        }
        if (!current.isTextual()) {
            throw new DevDbException(ExitCodes.USAGE, config + ": currentContext is not a name: correct it with"
                    + " `docker context use NAME`");
        }
        String name = current.asText().trim();
        return name.isEmpty() || name.equals("default") ? null : name;
    }

    private static Endpoint context(Map<String, String> env, String name, Endpoint.Origin origin) {
        if (name.equals("default")) {
            return new Endpoint(Endpoint.DEFAULT_SOCKET, Endpoint.Origin.DEFAULT, null, null);
        }
        String by = "context " + name + " (" + (origin == Endpoint.Origin.DOCKER_CONTEXT ? "DOCKER_CONTEXT"
                : "current in " + configDirectory(env).resolve("config.json")) + ")";
        String id = sha256(name);
        Path contexts = configDirectory(env).resolve("contexts");
        Path meta = contexts.resolve("meta").resolve(id).resolve("meta.json");
        String text;
        try {
            text = Files.readString(meta, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new DevDbException(ExitCodes.USAGE, "the Docker " + by + " does not exist (no " + meta + "): "
                    + CONTEXTS_HELP + ", `docker context use NAME` picks one", e);
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot read " + meta + " of the Docker " + by + ": " + reason(e)
                    + "; fix its permissions, or choose another context", e);
        }
        JsonNode docker;
        try {
            JsonNode root = new ObjectMapper().readTree(text);
            docker = root == null ? null : root.path("Endpoints").get("docker");
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.USAGE, meta + " of the Docker " + by + " is not valid JSON ("
                    + firstLine(e.getMessage()) + "): recreate the context (docker context rm, docker context create)",
                    e);
        }
        JsonNode host = docker == null ? null : docker.get("Host");
        if (host == null || !host.isTextual() || host.asText().isBlank()) {
            throw new DevDbException(ExitCodes.USAGE, "the Docker " + by + " names no engine (no Endpoints.docker.Host"
                    + " in " + meta + "): recreate it with `docker context create " + name + " --docker host=...`");
        }
        Path tlsDir = contexts.resolve("tls").resolve(id).resolve("docker");
        boolean tls = Files.isDirectory(tlsDir);
        String uri = DockerHost.parse("the endpoint of the Docker " + by, host.asText(), tls);
        Endpoint.Tls material = null;
        if (tls && uri.startsWith("tcp:")) {
            boolean skip = docker.path("SkipTLSVerify").asBoolean(false);
            material = tlsFiles(tlsDir, !skip, "context " + name + ", files in " + tlsDir);
        }
        return new Endpoint(uri, origin, name, material);
    }

    /** The PEM files a directory holds (the docker command skips those missing, as this does). */
    private static Endpoint.Tls tlsFiles(Path dir, boolean verify, String from) {
        return new Endpoint.Tls(present(dir.resolve("ca.pem")), present(dir.resolve("cert.pem")),
                present(dir.resolve("key.pem")), verify, from);
    }

    private static Path present(Path file) {
        return Files.exists(file) ? file : null;
    }

    /** The hex SHA-256 of a context's name: the name of its directories under {@code contexts/}. */
    static String sha256(String name) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(name.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String reason(IOException e) {
        return e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
