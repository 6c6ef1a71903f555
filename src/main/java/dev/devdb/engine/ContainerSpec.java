package dev.devdb.engine;

import java.util.List;
import java.util.Map;

/**
 * What to create.
 *
 * @param name container name
 * @param image image reference
 * @param env environment, as NAME=VALUE pairs
 * @param entrypoint the entrypoint, or null for the image's
 * @param command arguments after the entrypoint
 * @param labels labels
 * @param containerPort the port to publish on 127.0.0.1
 * @param hostPort the host port, or null for one the engine picks
 * @param memoryBytes memory limit or null
 * @param nanoCpus CPU limit or null
 */
public record ContainerSpec(
        String name,
        String image,
        Map<String, String> env,
        List<String> entrypoint,
        List<String> command,
        Map<String, String> labels,
        int containerPort,
        Integer hostPort,
        Long memoryBytes,
        Long nanoCpus) {}
