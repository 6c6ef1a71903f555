package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ./devdb launcher's class-data sharing archive, in a checkout of its own (the launcher, the built jar
 * and a class list of the hot paths; no sources, so nothing is built): the classes the list names are in the
 * archive, and a list that no longer fits the jar, or is not a class list at all, never stops devdb.
 */
class LauncherIT {
    private static final Path JAR = Path.of("target", "devdb.jar").toAbsolutePath();

    @TempDir
    Path temp;

    private Path checkout;

    @Test
    void classes_the_hot_paths_list_names_are_in_the_archive() throws IOException {
        // classes of a reset inside the server, which none of the launcher's own runs loads
        Path jar = checkoutWith("# the hot paths\ndev/devdb/core/PreparedCopy\ndev/devdb/mysql/SqlSession\n");

        Cli.Result version = launcher("--version");

        assertEquals(0, version.exitCode(), version.toString());
        assertTrue(version.out().startsWith("devdb "), version.toString());
        Path archive = archive();
        assertEquals("shared objects file", loadedFrom(jar, archive, "dev.devdb.core.PreparedCopy"));
        assertEquals("shared objects file", loadedFrom(jar, archive, "dev.devdb.mysql.SqlSession"));
    }

    @Test
    void the_written_out_models_setters_stay_in_the_archive_with_the_project_class_list() throws IOException {
        // a class of devdb's implementing a picocli interface (Java 5 class files) keeps that interface, and all
        // that use it, out of the archive once the dump links it: the reset model's setters must not
        Path jar = checkoutWith(Files.readString(Path.of("src/main/cds/hot-paths.classlist")));

        assertEquals(0, launcher("--version").exitCode());

        Path archive = archive();
        assertEquals("shared objects file", loadedFrom(jar, archive, "picocli.CommandLine$Model$ISetter"));
        assertEquals("shared objects file", loadedFrom(jar, archive, "dev.devdb.cli.SharedOptions$Setter"));
        assertEquals("shared objects file", loadedFrom(jar, archive, "dev.devdb.cli.SharedOptions$Name"));
        assertEquals("shared objects file", loadedFrom(jar, archive, "dev.devdb.cli.ResetCommand"));
    }

    @Test
    void a_class_list_that_does_not_fit_the_jar_leaves_devdb_working_with_an_archive() throws IOException {
        Path jar = checkoutWith("""
                dev/devdb/core/NoLongerThere
                dev/devdb/core/PreparedCopy
                dev/devdb/core/PreparedCopy
                @lambda-proxy dev/devdb/cli/Gone apply ()Ljava/util/function/Function; (Ljava/lang/Object;)Ljava/lang/Object; \
                REF_invokeStatic dev/devdb/cli/Gone gone (Ljava/util/Map;)Ljava/lang/Object; (Ljava/util/Map;)Ljava/lang/Object;
                this line is no class list's
                @cp dev/devdb/core/PreparedCopy 9999
                """);

        Cli.Result version = launcher("--version");

        assertEquals(0, version.exitCode(), version.toString());
        List<String> lines = version.out().lines().toList();
        assertEquals(2, lines.size(), version.toString());
        assertTrue(lines.get(0).startsWith("devdb ") && lines.get(1).startsWith("Java "), version.toString());
        assertEquals("", version.err());
        // dumped without the list: the classes of the launcher's own runs are there all the same
        assertEquals("shared objects file", loadedFrom(jar, archive(), "dev.devdb.cli.DevDb"));
        Cli.Result again = launcher("--version");
        assertEquals(0, again.exitCode(), again.toString());
        assertEquals(version.out(), again.out());
        assertEquals("", again.err());
    }

    @Test
    void a_checkout_moved_elsewhere_dumps_an_archive_for_its_new_place() throws IOException {
        checkoutWith("dev/devdb/core/PreparedCopy\n");
        assertEquals(0, launcher("--version").exitCode());
        Path moved = temp.resolve("moved");
        Files.move(checkout, moved);
        checkout = moved;

        Cli.Result version = launcher("--version");

        assertEquals(0, version.exitCode(), version.toString());
        // the archive dumped before names the old place of the jar, where the JVM would not use it
        assertEquals("shared objects file", loadedFrom(moved.resolve("target/devdb.jar"), archive(),
                "dev.devdb.core.PreparedCopy"));
    }

    @Test
    void a_stop_while_the_archive_is_made_leaves_none_of_its_files() throws Exception {
        checkoutWith("dev/devdb/core/PreparedCopy\n");
        DevDbProcess making = DevDbProcess.start(checkout, Map.of(),
                List.of(checkout.resolve("devdb").toString(), "--version"));
        // the launcher's first run that records classes for the archive has begun: woken by the file's creation
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (WatchService watch = FileSystems.getDefault().newWatchService()) {
            checkout.resolve("target").register(watch, StandardWatchEventKinds.ENTRY_CREATE);
            while (makingFiles().isEmpty()) {
                assertTrue(making.process().isAlive(), "the launcher ended before making its archive");
                WatchKey created = watch.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertNotNull(created, "no file of the archive in the making within 120 s");
                created.pollEvents();
                created.reset();
            }
        }

        making.process().destroy(); // SIGTERM

        Cli.Result stopped = making.finish(180);
        assertEquals(130, stopped.exitCode(), stopped.toString());
        assertEquals(List.of(), makingFiles());
        Cli.Result version = launcher("--version");
        assertEquals(0, version.exitCode(), version.toString());
        assertEquals(List.of(), makingFiles());
        assertEquals("shared objects file", loadedFrom(checkout.resolve("target/devdb.jar"), archive(),
                "dev.devdb.core.PreparedCopy"));
    }

    /** The files of an archive being made: the archive and the class lists, named after the launcher's pid. */
    private List<Path> makingFiles() throws IOException {
        try (Stream<Path> files = Files.list(checkout.resolve("target"))) {
            return files.filter(f -> f.getFileName().toString().matches(".*\\.jsa\\.[0-9]+.*")).toList();
        }
    }

    /** The checkout with this class list, older than the jar (as after a build), and the jar's copy. */
    private Path checkoutWith(String classList) throws IOException {
        checkout = temp.resolve("devdb");
        Files.createDirectories(checkout);
        Path launcher = checkout.resolve("devdb");
        Files.copy(DevDbProcess.LAUNCHER, launcher);
        assertTrue(launcher.toFile().setExecutable(true));
        Path list = checkout.resolve("src/main/cds/hot-paths.classlist");
        Files.createDirectories(list.getParent());
        Files.writeString(list, classList);
        Path jar = checkout.resolve("target/devdb.jar");
        Files.createDirectories(jar.getParent());
        Files.copy(JAR, jar);
        Files.setLastModifiedTime(list, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 60_000));
        return jar;
    }

    private Cli.Result launcher(String... args) {
        List<String> command = new ArrayList<>(List.of(checkout.resolve("devdb").toString()));
        command.addAll(List.of(args));
        return DevDbProcess.start(checkout, Map.of(), command).finish(180);
    }

    private Path archive() throws IOException {
        try (Stream<Path> files = Files.list(checkout.resolve("target"))) {
            List<Path> archives = files.filter(f -> f.getFileName().toString().endsWith(".jsa")).toList();
            assertEquals(1, archives.size(), "the archive the launcher dumped: " + archives);
            return archives.get(0);
        }
    }

    /**
     * Where the JVM takes a class from when it runs with the archive, as the launcher runs it: the class is
     * named as the main class, which is loaded (then refused: it has no main method).
     */
    private static String loadedFrom(Path jar, Path archive, String className) throws IOException {
        Process p = new ProcessBuilder("java", "-XX:SharedArchiveFile=" + archive, "-Xshare:auto",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-Xlog:class+load=info",
                "-cp", jar.toString(), className).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        String prefix = " " + className + " source: ";
        return out.lines().filter(l -> l.contains(prefix)).findFirst()
                .map(l -> l.substring(l.indexOf(prefix) + prefix.length()).strip())
                .orElseThrow(() -> new AssertionError(className + " was not loaded:\n" + out));
    }
}
