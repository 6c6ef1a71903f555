package dev.devdb.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The scope every devdb of this test run works in, so that the tests never see or touch instances they
 * did not create: the developer's own, or those of another test run on the same engine. Unique per run:
 * {@code it-HOST-PID-RANDOM}, HOST the first 6 hex digits of the SHA-256 of the host name (as
 * {@code /proc/sys/kernel/hostname} gives it) and PID this JVM's process id, by which {@code .ci/run}
 * tells the leftovers of a run that died from a run still going. When the JVM exits, everything the run
 * left in its scopes goes: instances, networks, snapshots and the cache entries it made that nothing uses.
 */
final class TestScope {
    /** The run's scope. */
    static final String NAME = "it-" + host() + "-" + ProcessHandle.current().pid() + "-" + random();
    /** A second scope of the run, for tests of what one scope does to another. */
    static final String OTHER = NAME + "-b";

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestScope::removeAll, "devdb-it-scope-cleanup"));
    }

    private TestScope() {}

    /** The container (and topology network) of instance {@code name} in the run's scope. */
    static String container(String name) {
        return container(NAME, name);
    }

    static String container(String scope, String name) {
        return "devdb." + scope + "." + name;
    }

    /** A name unique to this run, for what tests create outside devdb (containers, networks) or in the default scope. */
    static String unique(String base) {
        return base + "-" + NAME;
    }

    /** The environment of a devdb process of this run: these variables, in the run's scope. */
    static Map<String, String> env(Map<String, String> env) {
        env.put("DEVDB_SCOPE", NAME);
        return env;
    }

    /** Removes what the run left in its scopes. */
    static void removeAll() {
        Path dir;
        try {
            dir = Files.createTempDirectory("devdb-it-cleanup");
        } catch (IOException e) {
            return;
        }
        for (String scope : List.of(NAME, OTHER)) {
            Cli cli = new Cli(dir, Map.of("DEVDB_SCOPE", scope));
            cli.run("down", "--all", "-q");
            Cli.Result snapshots = cli.run("snapshot", "ls", "--json");
            if (snapshots.exitCode() == 0) {
                snapshots.json().forEach(s -> cli.run("snapshot", "rm", s.get("tag").asText()));
            }
            cli.run("cache", "prune");
        }
    }

    private static String host() {
        try {
            String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, 6);
        } catch (IOException | NoSuchAlgorithmException e) {
            return "nohost";
        }
    }

    private static String random() {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
