package dev.devdb.core;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.engine.Engine;
import dev.devdb.engine.ImageInfo;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The cache of initialised data that warm starts and reset use: one image per key. */
public final class Cache {
    private final Engine engine;

    public Cache(Engine engine) {
        this.engine = engine;
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
     * @param usedBy instances that start from it
     */
    public record Entry(String key, String image, String baseImage, String profile, long size, Instant created,
            boolean clean, List<String> usedBy) {}

    public List<Entry> list() {
        List<ContainerInfo> instances = engine.list(Map.of(Labels.MANAGED, "true"));
        List<Entry> entries = new ArrayList<>();
        for (ImageInfo i : engine.images(Map.of(Labels.CACHE, "true"))) {
            String key = i.label(Labels.CACHE_KEY);
            if (!i.tags().contains(Labels.CACHE_REPOSITORY + ":" + key)) {
                continue; // pruned while an instance ran on it; removed once nothing uses it
            }
            List<String> users = instances.stream()
                    .filter(c -> key != null && key.equals(c.label(Labels.CACHE_KEY)))
                    .map(c -> c.label(Labels.NAME))
                    .sorted()
                    .toList();
            entries.add(new Entry(key, Labels.CACHE_REPOSITORY + ":" + key, i.label(Labels.BASE_IMAGE),
                    i.label(Labels.PROFILE), i.size(), i.created(), "true".equals(i.label(Labels.CLEAN)), users));
        }
        entries.sort(Comparator.comparing(Entry::created, Comparator.nullsLast(Comparator.naturalOrder())));
        return entries;
    }

    /**
     * Removes cache entries.
     *
     * @param all also the entries instances use (their reset then needs `up --recreate`)
     * @return the entries removed
     */
    public List<Entry> prune(boolean all) {
        List<Entry> removed = new ArrayList<>();
        for (Entry e : list()) {
            if (!all && !e.usedBy().isEmpty()) {
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
     * Cache entries and snapshots removed while an instance still ran on them lose their tag but
     * stay until nothing uses them; the ones nothing uses any more go now.
     */
    private void removeLeftovers() {
        for (String label : List.of(Labels.CACHE, Labels.SNAPSHOT)) {
            for (ImageInfo i : engine.images(Map.of(label, ""))) {
                boolean tagged = i.tags().stream().anyMatch(t -> !t.equals("<none>:<none>"));
                if (!tagged) {
                    engine.removeImage(i.id(), false);
                }
            }
        }
    }
}
