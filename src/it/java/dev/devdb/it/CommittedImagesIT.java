package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.ExecResult;
import dev.devdb.engine.ImageInfo;
import dev.devdb.mysql.InitFile;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What devdb commits from an instance (the cold {@code up}'s cache entry, the clean copy its first reuse
 * keeps, a snapshot) holds none of the passwords of the instances it was made from, byte for byte in
 * every layer; and every start from such an image logs in with its own passwords, an image an earlier
 * devdb made with its init file in the layer included.
 */
class CommittedImagesIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final List<String> names = new ArrayList<>();
    static final List<String> images = new ArrayList<>();

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
        // A marker of this run makes the first up of each flavour a cold one, whatever earlier runs cached.
        Cli.seededProfiles(dir, "ci", "CREATE TABLE t (x VARCHAR(40));\nINSERT INTO t VALUES ('"
                + UUID.randomUUID() + "');\n", Versions.flavours().toList());
    }

    @AfterAll
    static void tearDown() {
        for (String n : names) {
            cli.run("down", n);
        }
        for (String image : images) {
            engine.removeImage(image, true);
        }
        cli.run("cache", "prune");
        engine.close();
    }

    private static Cli.Result run(String... args) {
        Cli.Result r = cli.run(args);
        assertEquals(0, r.exitCode(), r::toString);
        return r;
    }

    private static JsonNode up(String... args) {
        Cli.Result r = run(args);
        names.add(r.json().get("name").asText());
        return r.json();
    }

    /** The instance's passwords, named, as its container's environment holds them. */
    private static Map<String, String> passwords(JsonNode instance) {
        Map<String, String> env = engine.inspect(TestScope.container(instance.get("name").asText())).orElseThrow()
                .env();
        Map<String, String> named = new LinkedHashMap<>();
        named.put("root password of " + instance.get("name").asText(), env.get("MYSQL_ROOT_PASSWORD"));
        named.put("app password of " + instance.get("name").asText(), env.get("MYSQL_PASSWORD"));
        assertEquals(instance.get("password").asText(), env.get("MYSQL_PASSWORD"));
        return named;
    }

    /** Logs in as the application's user and as root with the instance's passwords, and reads the seed's row. */
    private static void logsIn(JsonNode instance, Map<String, String> passwords, String when) throws SQLException {
        String name = instance.get("name").asText();
        try (Connection c = Cli.connect(instance)) {
            assertEquals("1", Cli.scalar(c, "SELECT COUNT(*) FROM t"), when);
        }
        try (Connection c = Cli.connect(instance.get("flavor").asText(), instance.get("port").asInt(), "app", "root",
                passwords.get("root password of " + name))) {
            assertEquals("root", Cli.scalar(c, "SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1)"), when);
        }
        ExecResult file = engine.exec(engine.inspect(TestScope.container(name)).orElseThrow().id(), List.of("sh", "-c",
                "test -s " + InitFile.PATH + " && test ! -e /etc/mysql/devdb-init.sql"), Map.of());
        assertEquals(0, file.exitCode(), when + ": the init file is on the tmpfs only: " + file);
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#flavours")
    void committed_images_hold_no_password_and_every_start_from_them_logs_in_with_its_own(String base)
            throws Exception {
        String profile = "ci-" + base;
        JsonNode cold = up("up", profile, "--json");
        Map<String, String> secrets = new LinkedHashMap<>(passwords(cold));
        Cli.Result first = run("up", profile, "--name", profile + "-b", "--json");
        JsonNode b = first.json();
        names.add(b.get("name").asText());
        assertTrue(first.err().contains("keeping a cleanly shut down copy"), "the first reuse keeps the clean copy: "
                + first);
        secrets.putAll(passwords(b));
        logsIn(b, secrets, "warm up");
        run("reset", b.get("name").asText(), "--full");
        logsIn(b, secrets, "reset --full");

        String tag = "ci-" + base;
        run("snapshot", "save", b.get("name").asText(), tag);
        ImageInfo snapshot = engine.images(Map.of("devdb.snapshot", tag, "devdb.scope", TestScope.NAME)).get(0);
        images.add(snapshot.id());

        // The snapshot's layers are the base image's, the cold up's copy, the clean copy and its own: read
        // while the instance restarts below.
        java.util.concurrent.FutureTask<Map<String, String>> scan = new java.util.concurrent.FutureTask<>(() -> {
            Map<String, String> found = new LinkedHashMap<>();
            try (InputStream saved = Docker.client().saveImageCmd(snapshot.id()).exec()) {
                scanImage(saved, secrets, found);
            }
            return found;
        });
        new Thread(scan, "scan-" + base).start();
        Map<String, String> found;
        try {
            run("snapshot", "restore", b.get("name").asText(), tag);
            logsIn(b, secrets, "snapshot restore");
            if (base.equals("mariadb10")) {
                restoreAsAnEarlierDevdbSavedIt(b, snapshot, tag, secrets);
            }
        } finally {
            found = scan.get();
        }
        assertTrue(found.containsKey("layers"), "no layer read from docker save: " + found);
        found.remove("layers");
        assertEquals(Map.of(), found, "files of the snapshot's layers that hold a password");
        for (String variable : Docker.client().inspectImageCmd(snapshot.id()).exec().getConfig().getEnv()) {
            secrets.forEach((what, value) -> assertTrue(!variable.contains(value), "the image's Env holds the " + what));
        }
    }

    /**
     * Restores a snapshot as an earlier devdb saved it, with an init file in its layer that sets other
     * passwords: the start removes it, never reads it, and logs in with the instance's own (the same bash
     * on both flavours: checked once).
     */
    private static void restoreAsAnEarlierDevdbSavedIt(JsonNode b, ImageInfo snapshot, String tag,
            Map<String, String> secrets) throws SQLException {
        String stale = InitFile.sql(Map.of(InitFile.ROOT_PASSWORD, "stale-root", InitFile.USER, "app",
                InitFile.PASSWORD, "stale-app"), "MYSQL_CDC_PASSWORD");
        String reference = snapshot.tags().get(0);
        String helper = Docker.client().createContainerCmd(snapshot.id()).withName(TestScope.unique("stale"))
                .withEntrypoint("true").exec().getId();
        try {
            engine.writeFiles(helper, "/etc/mysql", Map.of("devdb-init.sql", stale.getBytes(StandardCharsets.UTF_8)));
            images.add(0, engine.commit(helper, reference.substring(0, reference.lastIndexOf(':')),
                    reference.substring(reference.lastIndexOf(':') + 1), Map.of(), List.of()));
        } finally {
            Docker.client().removeContainerCmd(helper).withForce(true).exec();
        }
        run("snapshot", "restore", b.get("name").asText(), tag);
        logsIn(b, secrets, "restore of a snapshot an earlier devdb saved");
    }

    /**
     * Reads what {@code docker save} wrote: each layer (a tar in the archive, whatever its name in either
     * layout) file by file, recording in {@code found} the files that hold one of the secrets, and under
     * "layers" how many layers it read. The image's configuration is not read here: see the README.
     */
    private static void scanImage(InputStream saved, Map<String, String> secrets, Map<String, String> found)
            throws IOException {
        int[] layers = {0};
        Tar.entries(saved, (outer, content) -> {
            BufferedInputStream in = new BufferedInputStream(content, 1 << 16);
            in.mark(Tar.BLOCK);
            byte[] head = in.readNBytes(Tar.BLOCK);
            in.reset();
            if (!Tar.isTar(head)) {
                return;
            }
            layers[0]++;
            Tar.entries(in, (path, file) -> {
                for (String what : contains(file, secrets)) {
                    found.put(outer + ":" + path, what);
                }
            });
        });
        found.put("layers", Integer.toString(layers[0]));
    }

    /** Which of the secrets a stream holds (their names), read once in blocks. */
    private static TreeSet<String> contains(InputStream in, Map<String, String> secrets) throws IOException {
        List<byte[]> needles = secrets.values().stream().map(v -> v.getBytes(StandardCharsets.UTF_8)).toList();
        List<String> whats = List.copyOf(secrets.keySet());
        boolean[] first = new boolean[256];
        needles.forEach(n -> first[n[0] & 0xff] = true);
        int overlap = needles.stream().mapToInt(n -> n.length).max().orElse(1) - 1;
        byte[] buf = new byte[(1 << 16) + overlap];
        TreeSet<String> hits = new TreeSet<>();
        int have = 0;
        int n;
        while ((n = in.read(buf, have, buf.length - have)) > 0) {
            have += n;
            for (int at = 0; at < have; at++) {
                if (!first[buf[at] & 0xff]) {
                    continue;
                }
                for (int i = 0; i < needles.size(); i++) {
                    if (startsWith(buf, at, have, needles.get(i))) {
                        hits.add(whats.get(i));
                    }
                }
            }
            int keep = Math.min(overlap, have);
            System.arraycopy(buf, have - keep, buf, 0, keep);
            have = keep;
        }
        return hits;
    }

    private static boolean startsWith(byte[] hay, int at, int length, byte[] needle) {
        if (at + needle.length > length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (hay[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    /** A reader of tar archives as {@code docker save} and image layers write them (ustar, PAX and GNU names). */
    static final class Tar {
        static final int BLOCK = 512;

        interface Visitor {
            void entry(String path, InputStream content) throws IOException;
        }

        private Tar() {}

        static boolean isTar(byte[] header) {
            return header.length == BLOCK && new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar");
        }

        /** Calls the visitor with each regular file's path and content (read or not: the rest is skipped). */
        static void entries(InputStream in, Visitor visitor) throws IOException {
            String longName = null;
            while (true) {
                byte[] header = in.readNBytes(BLOCK);
                if (header.length < BLOCK || header[0] == 0) {
                    return;
                }
                long size = octal(header, 124, 12);
                char type = (char) header[156];
                String name = text(header, 0, 100);
                if (isTar(header) && header[345] != 0) {
                    name = text(header, 345, 155) + "/" + name;
                }
                if (longName != null) {
                    name = longName;
                    longName = null;
                }
                Bounded content = new Bounded(in, size);
                if (type == 'x') {
                    longName = paxPath(new String(content.readAllBytes(), StandardCharsets.UTF_8));
                } else if (type == 'L') {
                    longName = text(content.readAllBytes(), 0, (int) size);
                } else if (type == '0' || type == 0) {
                    visitor.entry(name, content);
                }
                content.skipRest();
                long padding = (BLOCK - size % BLOCK) % BLOCK;
                in.skipNBytes(padding);
            }
        }

        private static String paxPath(String records) {
            for (String record : records.split("\n")) {
                int space = record.indexOf(' ');
                if (space > 0 && record.startsWith("path=", space + 1)) {
                    return record.substring(space + 6);
                }
            }
            return null;
        }

        private static String text(byte[] b, int from, int length) {
            int end = from;
            while (end < from + length && b[end] != 0) {
                end++;
            }
            return new String(b, from, end - from, StandardCharsets.UTF_8);
        }

        private static long octal(byte[] b, int from, int length) {
            String s = text(b, from, length).trim();
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        }

        /** The content of one entry: at most its size, the rest skipped once the visitor is done. */
        private static final class Bounded extends InputStream {
            private final InputStream in;
            private long left;

            Bounded(InputStream in, long size) {
                this.in = in;
                this.left = size;
            }

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = in.read();
                if (b >= 0) {
                    left--;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            void skipRest() {
                try {
                    in.skipNBytes(left);
                    left = 0;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
    }
}
