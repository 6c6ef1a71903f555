package dev.devdb.engine;

import java.time.Instant;
import java.util.Map;

/**
 * A container as the engine reports it.
 *
 * @param id full id
 * @param name name without the leading slash
 * @param image the image reference it was created from
 * @param labels its labels
 * @param state created, running, exited, ...
 * @param exitCode exit code when exited
 * @param created creation time
 * @param hostPort the host port published for 3306, or null
 * @param env its environment (only filled by inspect)
 */
public record ContainerInfo(
        String id,
        String name,
        String image,
        Map<String, String> labels,
        String state,
        Integer exitCode,
        Instant created,
        Integer hostPort,
        Map<String, String> env) {

    public boolean running() {
        return "running".equals(state);
    }

    public String label(String key) {
        return labels.get(key);
    }
}
