package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ImageInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The cache of initialised data that warm starts and reset use: one image per key. Entries are keyed by
 * content, so every scope starts from them; each belongs to the scope whose {@code up} made it, and only
 * that scope prunes it, once no instance of any scope uses it.
 */
public final class Cache {
    private final Engine engine;
    private final Scope scope;

    /** The cache as the default scope sees it. */
    public Cache(Engine engine) {
        this(engine, Scope.DEFAULT);
    }

    public Cache(Engine engine, Scope scope) {
        this.engine = engine;
        this.scope = scope;
    }

    /**
     * One cache entry.
     *
     * @param key the cache key: base image, configuration and seeds
     * @param image the image holding the data
     * @param baseImage the image it was initialised by
     * @param profile the profile of the instance that made it
     * @param size its size in bytes, base image layers included
     * @param created when it was made
     * @param clean whether the data was shut down cleanly (false: copied from a running server, until
     *     its first reuse keeps a clean copy)
     * @param usedBy instances of this scope that start from it
     * @param scope the scope whose {@code up} made it, null for the default scope
     * @param usedElsewhere how many instances of other scopes start from it
     */
    public record Entry(String key, String image, String baseImage, String profile, long size, Instant created,
            boolean clean, List<String> usedBy, String scope, int usedElsewhere) {}

    /** The entries this scope made or its instances use, oldest first. */
    public List<Entry> list() {
        List<ContainerInfo> instances = engine.list(Map.of(Labels.MANAGED, "true"));
        List<Entry> entries = new ArrayList<>();
        for (ImageInfo i : engine.images(Map.of(Labels.CACHE, "true"))) {
            String key = i.label(Labels.CACHE_KEY);
            if (key == null || !i.tags().contains(Labels.CACHE_REPOSITORY + ":" + key)) {
                continue; // pruned while an instance ran on it; removed once nothing uses it
            }
            List<ContainerInfo> users = instances.stream().filter(c -> key.equals(c.label(Labels.CACHE_KEY))).toList();
            List<String> ours = users.stream().filter(c -> scope.contains(c.labels()))
                    .map(c -> c.label(Labels.NAME))
                    .sorted()
                    .toList();
            boolean made = scope.contains(i.labels());
            if (!made && ours.isEmpty()) {
                continue;
            }
            entries.add(new Entry(key, Labels.CACHE_REPOSITORY + ":" + key, i.label(Labels.BASE_IMAGE),
                    i.label(Labels.PROFILE), i.size(), i.created(), "true".equals(i.label(Labels.CLEAN)), ours,
                    Scope.ofLabels(i.labels()).name(), users.size() - ours.size()));
        }
        entries.sort(Comparator.comparing(Entry::created, Comparator.nullsLast(Comparator.naturalOrder())));
        return entries;
    }

    /**
     * Removes the cache entries this scope made that no instance uses.
     *
     * @param all also the entries this scope's instances use (their reset then needs `up --recreate`);
     *     an entry an instance of another scope uses always stays
     * @return the entries removed
     */
    public List<Entry> prune(boolean all) {
        List<Entry> removed = new ArrayList<>();
        for (Entry e : list()) {
            if (!java.util.Objects.equals(scope.name(), e.scope()) || e.usedElsewhere() > 0
                    || !all && !e.usedBy().isEmpty()) {
                continue;
            }
            if (engine.removeImage(e.image(), all)) {
                removed.add(e);
            }
        }
        removeLeftovers();
        return removed;
    }

    /**
     * Cache entries and snapshots of this scope removed while an instance still ran on them lose their tag
     * but stay until nothing uses them; the ones nothing uses any more go now.
     */
    private void removeLeftovers() {
        for (String label : List.of(Labels.CACHE, Labels.SNAPSHOT)) {
            for (ImageInfo i : engine.images(Map.of(label, ""))) {
                boolean tagged = i.tags().stream().anyMatch(t -> !t.equals("<none>:<none>"));
                if (!tagged && scope.contains(i.labels())) {
                    engine.removeImage(i.id(), false);
                }
            }
        }
    }
}
