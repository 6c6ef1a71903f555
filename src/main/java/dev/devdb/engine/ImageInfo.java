package dev.devdb.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An image as the engine lists it.
 *
 * @param id image id
 * @param tags its repository:tag references
 * @param labels its labels
 * @param size its size in bytes, layers shared with other images included
 * @param created creation time
 * @param containers how many containers use it, or -1 when the engine does not say
 */
public record ImageInfo(String id, List<String> tags, Map<String, String> labels, long size, Instant created,
        int containers) {

    public String label(String key) {
        return labels.get(key);
    }
}
