package dev.devdb.core;

/** The labels on every container devdb creates; they are how devdb recognises its own. */
public final class Labels {
    private Labels() {}

    public static final String MANAGED = "devdb.managed";
    public static final String NAME = "devdb.name";
    public static final String PROFILE = "devdb.profile";
    public static final String FLAVOR = "devdb.flavor";
    public static final String VERSION = "devdb.version";
    public static final String IMAGE = "devdb.image";
    public static final String CONFIG_HASH = "devdb.config-hash";
    public static final String DATABASE = "devdb.database";
    public static final String USER = "devdb.user";
    public static final String FIXED_PORT = "devdb.fixed-port";
    /** A random token per `up` call, so an interrupted `up` can find what it created. */
    public static final String UP_TOKEN = "devdb.up-token";

    /** Container names are this prefix and the instance name. */
    public static final String CONTAINER_PREFIX = "devdb-";
}
