package dev.devdb.engine;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The Docker engine devdb talks to, and how it was chosen, as {@link Endpoints#resolve} finds it.
 *
 * @param uri the endpoint as the docker command writes it ({@code unix:///var/run/docker.sock},
 *     {@code tcp://build.example.com:2376})
 * @param origin what chose it
 * @param context the Docker context that named it (for {@link Origin#DOCKER_CONTEXT} and
 *     {@link Origin#CURRENT_CONTEXT}), else null
 * @param tls the TLS material to speak to a tcp endpoint with, or null for none
 */
public record Endpoint(String uri, Origin origin, String context, Tls tls) {
    /** The endpoint when nothing names another. */
    public static final String DEFAULT_SOCKET = "unix:///var/run/docker.sock";

    /** What chose an endpoint, in the docker command's order of precedence. */
    public enum Origin {
        /** The variable DOCKER_HOST. */
        DOCKER_HOST("DOCKER_HOST"),
        /** The context the variable DOCKER_CONTEXT names. */
        DOCKER_CONTEXT("DOCKER_CONTEXT"),
        /** The current context of the docker command's configuration ({@code docker context use}). */
        CURRENT_CONTEXT("context"),
        /** Nothing: the default socket. */
        DEFAULT("default");

        private final String id;

        Origin(String id) {
            this.id = id;
        }

        /** The name scripts see ({@code ps --json}, {@code doctor --json}): DOCKER_HOST, DOCKER_CONTEXT, context, default. */
        public String id() {
            return id;
        }
    }

    /**
     * TLS for a tcp endpoint: PEM files, each of which may be missing (then null).
     *
     * @param ca the certificate authority that signed the engine's certificate ({@code ca.pem}); without it the
     *     system's trusted authorities
     * @param cert this client's certificate ({@code cert.pem})
     * @param key this client's private key ({@code key.pem}): PKCS#8, or PKCS#1 RSA, or SEC1 EC
     * @param verify whether the engine's certificate is checked (a context's SkipTLSVerify turns this off)
     * @param from where the files were found, for messages ({@code DOCKER_CERT_PATH}, {@code context build})
     */
    public record Tls(Path ca, Path cert, Path key, boolean verify, String from) {}

    /** The scheme: unix, tcp, npipe, ssh. */
    public String scheme() {
        int colon = uri.indexOf(':');
        return colon < 0 ? "" : uri.substring(0, colon).toLowerCase(Locale.ROOT);
    }

    /** The engine's host for a network endpoint (tcp, ssh), without brackets around an IPv6 address; else null. */
    public String host() {
        if (scheme().equals("unix") || scheme().equals("npipe")) {
            return null;
        }
        try {
            String h = URI.create(uri).getHost();
            return h == null ? null : h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * How the {@code ssh} command reaches the engine's host: {@code -p 2222 deploy@build.example.com} for an
     * ssh endpoint (its port and user, when it names them), the host for a tcp one; null for a socket.
     */
    public String sshDestination() {
        String h = host();
        if (h == null || !scheme().equals("ssh")) {
            return h;
        }
        URI u = URI.create(uri);
        return (u.getPort() > 0 ? "-p " + u.getPort() + " " : "") + (u.getUserInfo() != null ? u.getUserInfo() + "@" : "")
                + h;
    }

    /**
     * Whether the engine runs on this machine, so that its host's 127.0.0.1 is this machine's: a socket, or a
     * network endpoint on a loopback address.
     */
    public boolean onThisMachine() {
        String h = host();
        return h == null || isLoopback(h);
    }

    /**
     * How the endpoint was chosen, for people: {@code DOCKER_HOST}, {@code DOCKER_CONTEXT=build}, {@code
     * context build} (the current one, as {@code docker context use} set it), {@code the default socket}.
     */
    public String chosenBy() {
        return switch (origin) {
            case DOCKER_HOST -> "DOCKER_HOST";
            case DOCKER_CONTEXT -> "DOCKER_CONTEXT=" + context;
            case CURRENT_CONTEXT -> "context " + context;
            case DEFAULT -> "the default socket";
        };
    }

    /** The endpoint and how it was chosen: {@code tcp://10.0.0.5:2376 (DOCKER_CONTEXT=build)}. */
    @Override
    public String toString() {
        return uri + " (" + chosenBy() + ")";
    }

    /** Whether an address (a name or a literal, IPv6 without brackets) is this machine's loopback. */
    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.startsWith("127.") || h.equals("::1")
                || h.equals("0:0:0:0:0:0:0:1");
    }
}
