package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Endpoint;
import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.JdbcUrl;
import java.time.Instant;

/**
 * A devdb instance as found on the engine.
 *
 * @param name instance name
 * @param containerId container id
 * @param containerName container name
 * @param profile the profile it was created from
 * @param flavor server family
 * @param version image tag
 * @param image image reference
 * @param state the container's state (running, exited, ...)
 * @param host host address the port is published on
 * @param port published host port, or null when not running
 * @param database application database
 * @param user application user
 * @param password application user's password, or null when not read (listing)
 * @param rootPassword root's password, or null when not read
 * @param created creation time
 */
public record Instance(
        String name,
        String containerId,
        String containerName,
        String profile,
        Flavor flavor,
        String version,
        String image,
        String state,
        String host,
        Integer port,
        String database,
        String user,
        String password,
        String rootPassword,
        Instant created,
        String scope) {

    public static final String HOST = "127.0.0.1";

    /** An instance on an engine on this machine. */
    static Instance of(ContainerInfo c) {
        return of(c, null);
    }

    /**
     * An instance on the engine at the given endpoint: its host is the address a client on this machine
     * connects to (see {@link PublishedPorts#clientHost}).
     *
     * @param endpoint the engine's endpoint, or null for one on this machine
     */
    static Instance of(ContainerInfo c, Endpoint endpoint) {
        var env = c.env();
        return new Instance(
                c.label(Labels.NAME),
                c.id(),
                c.name(),
                c.label(Labels.PROFILE),
                Flavor.parse(c.label(Labels.FLAVOR)),
                c.label(Labels.VERSION),
                c.image(),
                c.state(),
                PublishedPorts.clientHost(endpoint, PublishedPorts.bind(c.labels())),
                c.hostPort(),
                c.label(Labels.DATABASE),
                c.label(Labels.USER),
                env.get("MYSQL_PASSWORD"),
                env.get("MYSQL_ROOT_PASSWORD"),
                c.created(),
                Scope.ofLabels(c.labels()).name());
    }

    /** The same instance, with {@code database} as the one to connect to. */
    public Instance withDatabase(String database) {
        return new Instance(name, containerId, containerName, profile, flavor, version, image, state, host, port,
                database, user, password, rootPassword, created, scope);
    }

    public boolean running() {
        return "running".equals(state);
    }

    /** {@code mysql://user:password@127.0.0.1:port/database}. */
    public String url() {
        return "mysql://" + enc(user) + ":" + enc(password) + "@" + address() + "/" + database;
    }

    /** {@code host:port}, an IPv6 host in brackets ({@code [2001:db8::5]:3306}), as URLs and people write it. */
    public String address() {
        return JdbcUrl.hostPort(host, port);
    }

    /** A JDBC URL for the flavour's own driver, credentials included (see {@link JdbcUrl}). */
    public String jdbcUrl() {
        return JdbcUrl.of(flavor, host, port, database, user, password);
    }

    private static String enc(String s) {
        return JdbcUrl.encode(s);
    }
}
