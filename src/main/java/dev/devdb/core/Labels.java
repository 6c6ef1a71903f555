package dev.devdb.core;

/** The labels on every container devdb creates; they are how devdb recognises its own. */
public final class Labels {
    private Labels() {}

    public static final String MANAGED = "devdb.managed";
    public static final String NAME = "devdb.name";
    /**
     * The scope (see {@link Scope}) of a container, network, cache entry or snapshot; absent in the
     * default scope.
     */
    public static final String SCOPE = "devdb.scope";
    public static final String PROFILE = "devdb.profile";
    public static final String FLAVOR = "devdb.flavor";
    public static final String VERSION = "devdb.version";
    public static final String IMAGE = "devdb.image";
    public static final String CONFIG_HASH = "devdb.config-hash";
    /** What the instance was made from, as JSON (see {@link Recipe}): what a repeated up or ps compares. */
    public static final String RECIPE = "devdb.recipe";
    public static final String DATABASE = "devdb.database";
    public static final String USER = "devdb.user";
    public static final String FIXED_PORT = "devdb.fixed-port";
    /** The address of the engine's host the port is published on ({@code up --bind}); absent means 127.0.0.1. */
    public static final String BIND = "devdb.bind";
    /** Memory limit in bytes, when the profile sets one. */
    public static final String MEMORY = "devdb.memory";
    /** CPU limit in billionths of a CPU, when the profile sets one. */
    public static final String CPUS = "devdb.cpus";
    /** The id of the image the instance's data was initialised by; snapshots restore only onto the same. */
    public static final String BASE_IMAGE_ID = "devdb.base-image-id";
    /** The key of the initialised data in the cache; reset starts from it. */
    public static final String CACHE_KEY = "devdb.cache-key";
    /** Set on cache images. */
    public static final String CACHE = "devdb.cache";
    /**
     * On cache images: true when the data was shut down cleanly, false when it was copied from a
     * running server (the first warm start then keeps a clean copy).
     */
    public static final String CLEAN = "devdb.clean";
    /**
     * On the container whose start replaces a cache entry by its clean copy: the entry's key. While
     * one runs, other starts from the entry leave the work to it. Empty on other warm starts.
     */
    public static final String KEEPING = "devdb.keeping";
    /** On cache and snapshot images: the image reference they were made from. */
    public static final String BASE_IMAGE = "devdb.base-image";
    /** Set on snapshot images: the snapshot's tag. */
    public static final String SNAPSHOT = "devdb.snapshot";
    /** On snapshot images: the instance they were saved from. */
    public static final String SNAPSHOT_OF = "devdb.snapshot-of";
    /** A random token per `up` call, so an interrupted `up` can find what it created. */
    public static final String UP_TOKEN = "devdb.up-token";
    /** When the instance may be removed by {@code devdb prune}, in epoch seconds (set by {@code up --ttl}). */
    public static final String EXPIRES = "devdb.expires";

    /** Set on instances configured for change data capture. */
    public static final String CDC = "devdb.cdc";
    /** The server id an instance runs with, when it writes a binary log. */
    public static final String SERVER_ID = "devdb.server-id";
    /** On members of a replication topology: primary or replica. */
    public static final String ROLE = "devdb.role";
    /** On members of a replication topology and on its network: the primary's instance name. */
    public static final String TOPOLOGY = "devdb.topology";
    /** On a primary: how many replicas its topology has. */
    public static final String REPLICAS = "devdb.replicas";
    /** A Docker network the instance was attached to with {@code --network}. */
    public static final String NETWORK = "devdb.network";
    /** The instance's host name on that network. */
    public static final String NETWORK_ALIAS = "devdb.network-alias";

    /**
     * On instances started from an image by devdb's start script: the file that exists once it is set up.
     * Such a server greets over TCP before its seed scripts have run; it is ready only with this file.
     * Empty on starts from initialised data, which are ready once they greet.
     */
    public static final String READY_FILE = "devdb.ready-file";

    /** Container names are this prefix and the instance name (in the default scope, see {@link Scope}). */
    public static final String CONTAINER_PREFIX = "devdb-";
    /** Repository of the cache of initialised data: devdb-cache:KEY. */
    public static final String CACHE_REPOSITORY = "devdb-cache";
    /** Repository of snapshots: devdb-snapshot:TAG (in the default scope, see {@link Scope}). */
    public static final String SNAPSHOT_REPOSITORY = "devdb-snapshot";
}
