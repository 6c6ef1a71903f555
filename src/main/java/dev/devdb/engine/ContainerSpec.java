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
 * @param containerPort the port to publish
 * @param hostPort the host port, or null for one the engine picks
 * @param memoryBytes memory limit or null
 * @param nanoCpus CPU limit or null
 * @param bindAddress the address of the engine's host the port is published on ({@code 127.0.0.1}, {@code 0.0.0.0})
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
        Long nanoCpus,
        String bindAddress) {

    /** Where devdb publishes a port unless asked otherwise: the engine host's loopback. */
    public static final String LOOPBACK = "127.0.0.1";

    /** A spec publishing its port on the engine host's 127.0.0.1. */
    public ContainerSpec(String name, String image, Map<String, String> env, List<String> entrypoint,
            List<String> command, Map<String, String> labels, int containerPort, Integer hostPort, Long memoryBytes,
            Long nanoCpus) {
        this(name, image, env, entrypoint, command, labels, containerPort, hostPort, memoryBytes, nanoCpus, LOOPBACK);
    }
}
