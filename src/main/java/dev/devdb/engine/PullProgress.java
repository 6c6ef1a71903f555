package dev.devdb.engine;

/**
 * One step of an image pull.
 *
 * @param layer the layer id, or null for messages about the whole image
 * @param status the engine's status text ("Downloading", "Pull complete", ...)
 * @param current bytes done for this layer, or 0
 * @param total bytes in this layer, or 0 when unknown
 */
public record PullProgress(String layer, String status, long current, long total) {}
