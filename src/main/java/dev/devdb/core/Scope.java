package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A set of instances that commands stay within, as compose's projects: {@code up} stamps the scope on
 * what it creates, and listing, lookup by name and removal see only the scope's own. The default scope
 * (no name) holds everything without a {@link Labels#SCOPE} label, so instances made before scopes
 * existed stay where they were.
 *
 * <p>Names do not collide between scopes: outside any scope a container is {@code devdb-NAME}, in scope
 * {@code S} it is {@code devdb.S.NAME}. Instance names start with a letter or digit and scope names have
 * no '.', so no name of one scope is a name of another.
 */
public final class Scope {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_-]{0,47}");
    /** Prefix of the names of containers and networks in a scope, before the scope's name. */
    static final String SCOPED_PREFIX = "devdb.";
    /** Repository of the snapshots taken in a scope: devdb.snapshot:SCOPE.TAG. */
    static final String SCOPED_SNAPSHOT_REPOSITORY = "devdb.snapshot";
    /** The longest tag an image reference takes. */
    private static final int MAX_TAG = 128;

    /** The scope of everything without a scope label. */
    public static final Scope DEFAULT = new Scope(null);

    private final String name;

    private Scope(String name) {
        this.name = name;
    }

    /**
     * The scope of this name, validated; null or empty is the default scope.
     *
     * @param source where the name came from, for the message ({@code --scope}, {@code DEVDB_SCOPE})
     */
    public static Scope of(String name, String source) {
        if (name == null || name.isEmpty()) {
            return DEFAULT;
        }
        if (!NAME.matcher(name).matches()) {
            throw new DevDbException(ExitCodes.USAGE, source + ": scope '" + name
                    + "' is not valid: use up to 48 letters, digits, '_' or '-', starting with a letter or digit");
        }
        return new Scope(name);
    }

    /** The scope's name, or null for the default scope. */
    public String name() {
        return name;
    }

    public boolean isDefault() {
        return name == null;
    }

    /** Whether an object with these labels belongs to this scope. */
    public boolean contains(Map<String, String> labels) {
        String s = labels.get(Labels.SCOPE);
        return name == null ? s == null || s.isEmpty() : name.equals(s);
    }

    /** The scope of an object with these labels. */
    static Scope ofLabels(Map<String, String> labels) {
        String s = labels.get(Labels.SCOPE);
        return s == null || s.isEmpty() ? DEFAULT : new Scope(s);
    }

    /**
     * Puts the scope's label on the labels of a container or image being created. In the default scope
     * it is empty, not absent: a container inherits the labels of its image, and a cache entry made in
     * another scope must not pass that scope on.
     */
    void stamp(Map<String, String> labels) {
        labels.put(Labels.SCOPE, name == null ? "" : name);
    }

    /** The name of the container (or topology network) of an instance of this scope. */
    public String containerName(String instance) {
        return name == null ? Labels.CONTAINER_PREFIX + instance : SCOPED_PREFIX + name + "." + instance;
    }

    /** The image reference of a snapshot of this scope. */
    String snapshotImage(String tag) {
        return name == null ? Labels.SNAPSHOT_REPOSITORY + ":" + tag
                : SCOPED_SNAPSHOT_REPOSITORY + ":" + snapshotImageTag(tag);
    }

    /** The repository of this scope's snapshots. */
    String snapshotRepository() {
        return name == null ? Labels.SNAPSHOT_REPOSITORY : SCOPED_SNAPSHOT_REPOSITORY;
    }

    /** The tag of a snapshot's image in this scope; fails when the scope leaves the tag too little room. */
    String snapshotImageTag(String tag) {
        String full = name == null ? tag : name + "." + tag;
        if (full.length() > MAX_TAG) {
            throw new DevDbException(ExitCodes.USAGE, "snapshot tag '" + tag + "' is too long for scope " + name
                    + ": the scope's name and the tag together take at most " + (MAX_TAG - 1) + " characters");
        }
        return full;
    }

    /** The devdb containers of this scope carrying all the given labels. */
    List<ContainerInfo> containers(Engine engine, Map<String, String> labels) {
        Map<String, String> filter = new LinkedHashMap<>(labels);
        filter.put(Labels.MANAGED, "true");
        if (name != null) {
            filter.put(Labels.SCOPE, name);
        }
        return engine.list(filter).stream().filter(c -> contains(c.labels())).toList();
    }

    /** The devdb containers of this scope. */
    List<ContainerInfo> containers(Engine engine) {
        return containers(engine, Map.of());
    }

    /** Labels a network of this scope carries: networks inherit nothing, so the default scope has none. */
    void stampNetwork(Map<String, String> labels) {
        if (name != null) {
            labels.put(Labels.SCOPE, name);
        }
    }

    /** The names of devdb's networks in this scope. */
    List<String> networks(Engine engine) {
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put(Labels.MANAGED, "true");
        if (name != null) {
            filter.put(Labels.SCOPE, name);
            return engine.networks(filter);
        }
        List<String> scoped = engine.networks(Map.of(Labels.MANAGED, "true", Labels.SCOPE, ""));
        return engine.networks(filter).stream().filter(n -> !scoped.contains(n)).toList();
    }

    /** For messages: "in scope S", or nothing for the default scope. */
    public String describe() {
        return name == null ? "" : " in scope " + name;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scope s && java.util.Objects.equals(name, s.name);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hashCode(name);
    }

    @Override
    public String toString() {
        return name == null ? "(default scope)" : name;
    }
}
