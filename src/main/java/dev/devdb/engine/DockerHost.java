package dev.devdb.engine;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Reads a Docker endpoint as DOCKER_HOST gives it, before the Docker client sees it: the client
 * fails on a malformed one with a NullPointerException or an IllegalArgumentException.
 */
final class DockerHost {
    private static final String VALID = "use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]";

    private DockerHost() {}

    /**
     * The endpoint to connect to.
     *
     * @param variable the variable the value came from, for messages
     * @param value its value
     * @param tls whether DOCKER_TLS_VERIFY asks for TLS: a tcp:// endpoint without a port then gets 2376, as
     *     with the docker command, otherwise 2375
     * @throws DevDbException (exit 2) when the value is no endpoint devdb can use
     */
    static String parse(String variable, String value, boolean tls) {
        String text = value.trim();
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw malformed(variable, text);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        switch (scheme) {
            case "unix", "npipe" -> {
                if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
                    throw malformed(variable, text);
                }
                return text;
            }
            case "tcp" -> {
                if (uri.getHost() == null || uri.getPort() > 65535 || uri.getPort() == 0
                        || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
                    throw malformed(variable, text);
                }
                return uri.getPort() > 0 ? text : "tcp://" + uri.getHost() + ":" + (tls ? 2376 : 2375);
            }
            case "ssh" -> {
                String user = uri.getRawUserInfo();
                if (uri.getHost() == null || uri.getPort() > 65535 || uri.getPort() == 0 || uri.getHost().startsWith("-")
                        || user != null && (user.isEmpty() || user.startsWith("-") || !user.matches("[A-Za-z0-9._-]+"))
                        || uri.getRawQuery() != null || uri.getRawFragment() != null
                        || !(uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/"))) {
                    throw new DevDbException(ExitCodes.USAGE, variable + " '" + text + "' is not an ssh endpoint: use"
                            + " ssh://[USER@]HOST[:PORT] (no password: ssh's keys and agent authenticate)");
                }
                return "ssh://" + uri.getRawAuthority();
            }
            case "http", "https" -> throw new DevDbException(ExitCodes.USAGE, variable + " '" + text + "' uses "
                    + scheme + "://, which is not a Docker endpoint scheme: "
                    + (uri.getHost() != null ? "write tcp://" + uri.getHost() + ":"
                            + (uri.getPort() > 0 ? uri.getPort() : scheme.equals("https") ? 2376 : 2375)
                            + " (TLS comes from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH)" : VALID));
            case "" -> throw malformed(variable, text);
            default -> throw new DevDbException(ExitCodes.USAGE, variable + " '" + text + "' uses " + scheme
                    + "://, which devdb does not support: " + VALID);
        }
    }

    private static DevDbException malformed(String variable, String text) {
        return new DevDbException(ExitCodes.USAGE, variable + " '" + text + "' is not a Docker endpoint: " + VALID);
    }
}
