package dev.devdb.engine;

/**
 * What a Docker engine says about itself.
 *
 * @param product {@code Docker}, or {@code Podman} for Podman's Docker-compatible service
 * @param version engine version, e.g. {@code 26.1.5}
 * @param apiVersion the API version it speaks, e.g. {@code 1.45}
 * @param osType {@code linux} or {@code windows}
 * @param architecture e.g. {@code x86_64}
 * @param operatingSystem the host's system, e.g. {@code Debian GNU/Linux 12 (bookworm)} or {@code Docker Desktop}
 * @param storageDriver e.g. {@code overlay2}
 * @param rootDir where the engine keeps images and containers, e.g. {@code /var/lib/docker}
 * @param containers how many containers exist
 * @param images how many images exist
 */
public record EngineInfo(
        String product,
        String version,
        String apiVersion,
        String osType,
        String architecture,
        String operatingSystem,
        String storageDriver,
        String rootDir,
        Integer containers,
        Integer images) {}
