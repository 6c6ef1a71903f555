package dev.devdb.core;

import dev.devdb.engine.FileCopy;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Seed scripts: .sql, .sql.gz and .sh files (or directories of them, in name order) that run
 * once after the server is initialised, in the image's /docker-entrypoint-initdb.d.
 *
 * @param files the scripts, in the order they run
 */
public record Seeds(List<Seed> files) {
    public static final Seeds NONE = new Seeds(List.of());
    static final String DIRECTORY = "/docker-entrypoint-initdb.d";
    /** What the start script logs once every seed has run. */
    static final String ALL_RAN = "all seed scripts have run";

    /**
     * One script.
     *
     * @param source the file on this machine
     * @param target its name in the container: a sequence number keeps the order
     */
    public record Seed(Path source, String target) {
        /** A digest of the script's contents. */
        public String sha256() {
            try (InputStream in = Files.newInputStream(source)) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    digest.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(digest.digest());
            } catch (IOException e) {
                throw new DevDbException(ExitCodes.USAGE, "cannot read seed " + source + ": " + e.getMessage());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** Expands files and directories into the scripts to run; fails on anything else. */
    public static Seeds collect(List<Path> paths) {
        List<Path> files = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> scripts;
                try (Stream<Path> children = Files.list(p)) {
                    scripts = children.filter(Files::isRegularFile).filter(Seeds::isScript).sorted().toList();
                } catch (IOException e) {
                    throw new DevDbException(ExitCodes.USAGE, "cannot read seed directory " + p + ": " + e.getMessage());
                }
                if (scripts.isEmpty()) {
                    throw new DevDbException(ExitCodes.USAGE, "seed directory " + p + " has no .sql, .sql.gz or .sh"
                            + " file; add the scripts or leave the directory out");
                }
                files.addAll(scripts);
            } else if (Files.isRegularFile(p)) {
                if (!isScript(p)) {
                    throw new DevDbException(ExitCodes.USAGE, "seed " + p
                            + " is not a .sql, .sql.gz or .sh file; rename it or leave it out");
                }
                files.add(p);
            } else {
                throw new DevDbException(ExitCodes.USAGE, "seed " + p + " does not exist; check the profile's init:"
                        + " (relative to the profile file) or --init and --seed (relative to the current directory)");
            }
        }
        List<Seed> seeds = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            seeds.add(new Seed(f, String.format("%03d-%s", i + 1, f.getFileName())));
        }
        return new Seeds(List.copyOf(seeds));
    }

    private static boolean isScript(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".sql") || n.endsWith(".sql.gz") || n.endsWith(".sh");
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    /** A digest of the scripts' names, order and contents: any change gives a new cache key. */
    public String digest() {
        try {
            MessageDigest all = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Seed s : files) {
                all.update(s.target().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                all.update((byte) 0);
                all.update((byte) (Files.isExecutable(s.source()) ? 1 : 0));
                try (InputStream in = Files.newInputStream(s.source())) {
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        all.update(buffer, 0, n);
                    }
                }
                all.update((byte) 0);
            }
            return HexFormat.of().formatHex(all.digest());
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot read seed: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    List<FileCopy> copies() {
        return files.stream()
                .map(s -> new FileCopy(s.target(), s.source(),
                        s.target().endsWith(".sh") && Files.isExecutable(s.source()) ? 0755 : 0644))
                .toList();
    }

    /**
     * A seed that stopped the set-up.
     *
     * @param seed the file on this machine
     * @param output what the container logged from the seed's start on
     */
    record Failure(String seed, List<String> output) {}

    /**
     * The seed the set-up stopped in, from the container's log: the last one the start script
     * started, unless it then said that all had run; null when no seed was running.
     */
    Failure failure(List<String> logs) {
        Seed found = null;
        int from = 0;
        for (int i = 0; i < logs.size(); i++) {
            String line = logs.get(i);
            if (line.contains(ALL_RAN)) {
                found = null;
            }
            for (Seed s : files) {
                String path = DIRECTORY + "/" + s.target();
                if (line.endsWith("running " + path) || line.endsWith("sourcing " + path)) {
                    found = s;
                    from = i + 1;
                }
            }
        }
        return found == null ? null : new Failure(found.source().toString(), logs.subList(from, logs.size()));
    }
}
