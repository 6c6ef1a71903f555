package dev.devdb.engine;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The Docker engine as devdb needs it. The real one talks to Docker through docker-java; tests
 * of commands use a fake. Failures surface as {@link dev.devdb.error.DevDbException} with the
 * matching exit code.
 */
public interface Engine extends AutoCloseable {

    /**
     * The endpoint this engine talks to and how it was chosen; its {@code toString} names both, for messages
     * ({@code unix:///var/run/docker.sock (the default socket)}).
     */
    Endpoint endpoint();

    /** The engine's version line, e.g. {@code Docker 26.1.5 (API 1.45)}; checks reachability. */
    String version();

    boolean imageExists(String reference);

    /** Pulls an image, reporting progress as it goes. */
    void pull(String reference, Consumer<PullProgress> progress);

    /** Creates (does not start) a container; returns its id. */
    String create(ContainerSpec spec);

    /** Copies one file into a created or running container. */
    void copyFile(String containerId, String directory, String fileName, byte[] content, int mode);

    /** Starts a created or stopped container; one already running is left as it is. */
    void start(String containerId);

    /** Containers (running or not) carrying all the given labels. */
    List<ContainerInfo> list(Map<String, String> labels);

    /** A container by exact name or id. */
    Optional<ContainerInfo> inspect(String nameOrId);

    /** Stops (with the given grace period) and removes a container together with its anonymous volumes. */
    void remove(String containerId, Duration grace);

    /** The last lines of the container's output (stdout and stderr, merged); none when there is no such container. */
    List<String> logs(String containerId, int tail);

    /**
     * Runs a command inside a running container without a terminal and waits for it. Any command
     * in a container that is not running (or not there) is refused with exit code 10.
     */
    ExecResult exec(String containerId, List<String> command, Map<String, String> env);

    @Override
    void close();

    /** The id of an image present locally, or null. */
    String imageId(String reference);

    /** The labels of an image present locally (empty when it has none), or null when it is absent. */
    Map<String, String> imageLabels(String reference);

    /** Copies files into a created or running container, streamed from disk (never held in memory). */
    void copyFiles(String containerId, String directory, List<FileCopy> files);

    /**
     * Commits a container's filesystem as an image. The container is paused meanwhile, so the
     * image holds a crash-consistent copy of what a running server wrote. What lies under a volume
     * the image declares is not in the container's filesystem, and not in the new image.
     *
     * @param env the image's environment ({@code KEY=VALUE}); the engine adds every variable of the
     *     container that it does not name, with the container's value
     * @return the new image's id
     */
    String commit(String containerId, String repository, String tag, Map<String, String> labels, List<String> env);

    /** Images carrying all the given labels; an empty value matches any value of that label. */
    List<ImageInfo> images(Map<String, String> labels);

    /**
     * Removes an image by reference or id. Without force, an image a container uses is kept and
     * false returned; with force it is untagged and its layers go when the last container does.
     */
    boolean removeImage(String reference, boolean force);

    /**
     * The regular files directly inside a container's directory, by name; empty when there is no
     * such directory or container.
     */
    Map<String, byte[]> readFiles(String containerId, String directory);


    /** Kills a running container at once (SIGKILL), leaving it in place. */
    void kill(String containerId);

    /** Renames a container; a name another container has is a name conflict (exit code 7). */
    void rename(String containerId, String newName);

    /** Writes small files (paths relative to {@code directory}, mode 0644) into a container in one request. */
    void writeFiles(String containerId, String directory, Map<String, byte[]> files);

    /**
     * Writes small files and copies files from disk into a container, in one request where the engine
     * takes one archive for several directories.
     *
     * @param written small files (mode 0644) by absolute directory, each with paths relative to it
     * @param copied files streamed from disk, by absolute directory
     */
    default void putFiles(String containerId, Map<String, Map<String, byte[]>> written,
            Map<String, List<FileCopy>> copied) {
        written.forEach((directory, files) -> writeFiles(containerId, directory, files));
        copied.forEach((directory, files) -> copyFiles(containerId, directory, files));
    }

    /**
     * Starts a command inside a running container with its streams attached and returns without
     * waiting for it.
     *
     * @param tty give the command a terminal: its output then arrives raw on stdout, stderr merged
     * @param stdin what the command reads, or null for nothing; without a terminal the command
     *     never sees this stream end (the transport does not half-close it), so pass null there and
     *     copy input in with {@link #copyStream} instead
     */
    AttachedExec execAttached(String containerId, List<String> command, Map<String, String> env, boolean tty,
            InputStream stdin, OutputStream stdout, OutputStream stderr);

    /**
     * Copies a stream of unknown length into a new directory of a container, as files {@code
     * 00000000}, {@code 00000001}, ... of at most {@code chunkBytes} each, holding one chunk in
     * memory at a time. There is always at least one file.
     *
     * @param directory an absolute path whose parent exists in the container
     * @return the number of bytes copied
     */
    long copyStream(String containerId, String directory, InputStream content, int chunkBytes);

    /** What the engine says about itself (version and info); checks reachability. */
    EngineInfo info();

    /** Creates a bridge network with these labels. */
    void createNetwork(String name, Map<String, String> labels);

    /** True when a network of that name or id exists. */
    boolean networkExists(String name);

    /** Attaches a created or running container to a network, reachable there under the given host names. */
    void connectNetwork(String containerId, String network, List<String> aliases);

    /** Removes a network; one that is already gone is no error. */
    void removeNetwork(String name);

    /** The names of the networks carrying all the given labels; an empty value matches any value of that label. */
    List<String> networks(Map<String, String> labels);

    /**
     * Streams the container's output (stdout and stderr merged) to the sink as it arrives.
     *
     * @param tail only the last this many lines, or null for all
     * @param since only what was written from then on, or null
     * @param follow keep streaming new output until the container stops or the stream is closed
     *     (a container that is not there has written nothing: the stream ends at once)
     */
    Streaming streamLogs(String containerId, Integer tail, Instant since, boolean follow,
            Consumer<byte[]> sink);

    /**
     * Starts a command inside a running container without a terminal and returns at once; its output
     * goes to the sinks as it arrives, until it exits or the returned stream is closed. Its stdin
     * stays open and silent, and reaches end-of-file when the stream is closed or this process
     * dies, however it dies: a command that watches stdin can end with its reader.
     */
    Streaming startExec(String containerId, List<String> command, Map<String, String> env,
            Consumer<byte[]> stdout, Consumer<byte[]> stderr);
}
