package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.mysql.StartScript;
import dev.devdb.profile.Profile;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeping initialised data in the cache: the first copy, taken from a running server, and the clean
 * copy the first warm start from it makes; which start keeps that, when several start at once.
 */
final class CacheEntries {
    private final Engine engine;
    private final Scope scope;
    private final Readiness readiness;

    CacheEntries(Engine engine, Scope scope, Readiness readiness) {
        this.engine = engine;
        this.scope = scope;
        this.readiness = readiness;
    }

    /**
     * Keeps the initialised data of a new server in the cache, as the server wrote it so far: a copy
     * of a running server, which needs crash recovery when started (the first warm start then makes
     * a clean copy, see {@link #keepClean}). The container is paused meanwhile.
     */
    void commitCache(String id, String cacheImage, String baseImage, Profile profile, String key) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(Labels.CACHE, "true");
        labels.put(Labels.CACHE_KEY, key);
        labels.put(Labels.BASE_IMAGE, baseImage);
        labels.put(Labels.PROFILE, profile.name());
        labels.put(Labels.FLAVOR, profile.flavor().id());
        labels.put(Labels.VERSION, profile.version());
        labels.put(Labels.CLEAN, "false");
        scope.stamp(labels);
        String tag = cacheImage.substring(cacheImage.indexOf(':') + 1);
        engine.commit(id, Labels.CACHE_REPOSITORY, tag, labels, imageEnv(id));
    }

    /**
     * Replaces a cache entry copied from a running server by a clean one, from a container started on
     * it with {@code keep}: waits until the start script has recovered the data and stopped the server
     * cleanly, commits it under the entry's tag, and lets the script start the server again. Later
     * starts from the entry then skip crash recovery.
     *
     * @param entry the labels of the entry being replaced
     */
    void keepClean(String id, String name, Duration timeout, UpListener listener, String cacheImage,
            Map<String, String> entry, boolean removeOnFailure) {
        listener.step("keeping a cleanly shut down copy of " + cacheImage + " (once per cache entry)");
        readiness.awaitFile(id, name, timeout, listener, StartScript.PREPARED_FILE, removeOnFailure);
        Map<String, String> labels = new LinkedHashMap<>();
        for (String key : List.of(Labels.CACHE, Labels.CACHE_KEY, Labels.BASE_IMAGE, Labels.PROFILE, Labels.FLAVOR,
                Labels.VERSION, Labels.SCOPE)) {
            if (entry.get(key) != null) {
                labels.put(key, entry.get(key));
            }
        }
        labels.put(Labels.CLEAN, "true");
        // the entry stays its creator's, whichever scope's start keeps the clean copy
        labels.putIfAbsent(Labels.SCOPE, "");
        String tag = cacheImage.substring(cacheImage.indexOf(':') + 1);
        engine.commit(id, Labels.CACHE_REPOSITORY, tag, labels, imageEnv(id));
        engine.writeFiles(id, StartScript.STATE_DIRECTORY, Map.of(StartScript.GO_FILE, new byte[0]));
    }

    /** Whether the container was started to keep a clean copy of its cache entry. */
    boolean keeps(String id) {
        return engine.inspect(id).map(c -> !c.env().getOrDefault(StartScript.KEEP_ENV, "").isEmpty()).orElse(false);
    }

    /** Whether this container is the first of those created to keep the entry's clean copy. */
    boolean firstKeeper(String id, String key) {
        return keepers(key).stream()
                .min(java.util.Comparator.comparing(ContainerInfo::created).thenComparing(ContainerInfo::id))
                .map(c -> c.id().equals(id))
                .orElse(true);
    }

    /** The containers created or running to keep the clean copy of the entry with this key. */
    private List<ContainerInfo> keepers(String key) {
        return engine.list(Map.of(Labels.MANAGED, "true", Labels.KEEPING, key)).stream()
                .filter(c -> c.running() || "created".equals(c.state()))
                .toList();
    }

    /**
     * The labels of a cache entry copied from a running server, which a warm start should replace by
     * its clean copy; null when it is clean, or when another start is making that copy right now.
     *
     * @param labels the entry's labels, as its image inspect returned them (null: not in the cache)
     */
    Map<String, String> dirtyEntry(String cacheImage, Map<String, String> labels) {
        if (labels == null || !"false".equals(labels.get(Labels.CLEAN))) {
            return null; // a clean entry: nothing more to ask the engine
        }
        return keepers(cacheImage.substring(cacheImage.indexOf(':') + 1)).isEmpty() ? labels : null;
    }

    /**
     * The environment of an image made from the container: the container's, with every password and
     * the mark of a keeping start emptied. A commit merges into the image every variable of the
     * container that the request leaves out, so those are sent, empty: a start from the image sets
     * its own values.
     */
    List<String> imageEnv(String id) {
        List<String> env = new ArrayList<>();
        engine.inspect(id).orElseThrow().env().forEach((k, v) -> env.add(k + "=" + (hidden(k) ? "" : v)));
        return env;
    }

    /** Whether an image made from a container must not carry the value of this variable. */
    static boolean hidden(String variable) {
        return variable.contains("PASSWORD") || variable.equals(StartScript.KEEP_ENV);
    }
}
