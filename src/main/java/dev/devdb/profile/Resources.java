package dev.devdb.profile;

/**
 * Resource limits for an instance's container.
 *
 * @param memoryBytes memory limit in bytes, or null for none
 * @param nanoCpus CPU limit in billionths of a CPU, or null for none
 */
public record Resources(Long memoryBytes, Long nanoCpus) {
    public static final Resources NONE = new Resources(null, null);
}
