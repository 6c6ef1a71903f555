package dev.devdb.mysql;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The script devdb starts an instance's server with, in place of the image's entrypoint: on an
 * empty data directory it initialises one under the official images' contract, starting the server
 * once instead of twice, and creates {@link #READY_FILE} when the set-up and the seed scripts are
 * done. Until then the server may already greet over TCP, but the instance is not ready.
 */
public final class StartScript {
    /** Where the script lives in the container: beside the configuration devdb writes there. */
    public static final String PATH = "/etc/mysql/devdb-start.sh";
    /** The directory of {@link #READY_FILE}, small enough to read in one request. */
    public static final String STATE_DIRECTORY = "/var/lib/devdb/state";
    /** Exists once the server is set up and the seed scripts have run. */
    public static final String READY_FILE = "initialised";
    /**
     * Set in the environment of a container started on data copied from a running server, it asks
     * the script to recover the data with networking off, stop the server cleanly, create {@link
     * #PREPARED_FILE} and wait for {@link #GO_FILE} before starting it again: meanwhile devdb keeps
     * the clean data, which later starts then use without crash recovery.
     */
    public static final String KEEP_ENV = "DEVDB_KEEP";
    /** Exists while the recovered data lies still for devdb to keep. */
    public static final String PREPARED_FILE = "prepared";
    /** devdb creates it when it has kept the data; the script then starts the server again. */
    public static final String GO_FILE = "go";

    /** The script's exit code when the image lacks something it needs (see {@link #unfitImage}). */
    public static final int UNFIT_EXIT = 78;
    private static final String UNFIT_MARK = "unfit image: ";

    /**
     * Set in the environment of a container that initialises data: the script first lets the server
     * judge its configuration ({@code mysqld --validate-config}; MariaDB: {@code mariadbd --help
     * --verbose}, which reads every option and reports the ones it refuses) and stops with {@link
     * #CONFIG_REFUSED_EXIT} if it refuses it, before anything is initialised.
     */
    public static final String CHECK_CONFIG_ENV = "DEVDB_CHECK_CONFIG";
    /** The script's exit code when the server refused its configuration before initialising. */
    public static final int CONFIG_REFUSED_EXIT = 79;

    private static final byte[] TEXT = load();

    /**
     * Whether the server can judge its configuration without starting: MariaDB always; MySQL since
     * 8.0.16, which added {@code --validate-config}.
     */
    public static boolean checksConfig(Flavor flavor, ServerVersion version) {
        return flavor == Flavor.MARIADB || version.atLeast(8, 0, 16);
    }

    private StartScript() {}

    /** The script's text. */
    public static byte[] text() {
        return TEXT.clone();
    }

    /** A digest of the script: initialised data made by another version of it is another cache entry. */
    public static String digest() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TEXT));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the image lacks, as the script said before stopping with {@link #UNFIT_EXIT} (e.g. "the
     * image has no mariadbd on PATH, no mysql user"); empty when the logs do not say so.
     */
    public static Optional<String> unfitImage(Integer exitCode, List<String> logs) {
        if (exitCode == null || exitCode != UNFIT_EXIT) {
            return Optional.empty();
        }
        for (int i = logs.size() - 1; i >= 0; i--) {
            int at = logs.get(i).indexOf(UNFIT_MARK);
            if (at >= 0) {
                return Optional.of(logs.get(i).substring(at + UNFIT_MARK.length()).strip());
            }
        }
        return Optional.empty();
    }

    /** The container's entrypoint; the command is then the server binary and its options. */
    public static List<String> entrypoint() {
        return List.of("bash", PATH);
    }

    /**
     * The container's entrypoint that first runs {@code before} (bash, as the container's user) and,
     * when it succeeds, the script; the command is then the server binary and its options.
     */
    public static List<String> entrypoint(String before) {
        return List.of("bash", "-c", before + " && exec bash " + PATH + " \"$@\"", "devdb-start");
    }

    private static byte[] load() {
        try (InputStream in = StartScript.class.getResourceAsStream("devdb-start.sh")) {
            if (in == null) {
                throw new IllegalStateException("devdb-start.sh is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
