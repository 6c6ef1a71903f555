package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import dev.devdb.engine.ExecResult;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** devdb shell and devdb exec on every server under test, piped and on a real pseudo-terminal. */
class ShellIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;
    static final Map<String, JsonNode> instances = new HashMap<>();

    /** The servers the tests use: every one under test, and those the flavour-only tests run on. */
    static List<String> bases() {
        return Stream.concat(Versions.all(), Versions.flavours()).distinct().toList();
    }

    @BeforeAll
    static void setUp() throws Exception {
        cli = new Cli(dir);
        engine = Cli.engine();
        // started side by side, so that one server's start overlaps another's waits
        ExecutorService starting = Executors.newFixedThreadPool(bases().size());
        try {
            Map<String, Future<Cli.Result>> ups = new LinkedHashMap<>();
            for (String base : bases()) {
                ups.put(base, starting.submit(() -> cli.run("up", base, "--name", name(base), "--json", "--quiet")));
            }
            for (Map.Entry<String, Future<Cli.Result>> e : ups.entrySet()) {
                Cli.Result up = e.getValue().get(10, TimeUnit.MINUTES);
                assertEquals(0, up.exitCode(), up::toString);
                instances.put(e.getKey(), up.json());
            }
        } finally {
            starting.shutdownNow();
        }
    }

    @AfterAll
    static void tearDown() {
        for (String base : bases()) {
            cli.run("down", name(base));
        }
        engine.close();
    }

    static String name(String base) {
        return "sh-" + base;
    }

    static String container(String base) {
        return TestScope.container(name(base));
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void e_prints_tab_separated_batch_output_as_the_profile_user(String base) {
        Cli.Result r = cli.run("shell", name(base), "-e", "SELECT 6*7 AS answer, 'two words' AS text, CURRENT_USER()");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("answer\ttext\tCURRENT_USER()\n42\ttwo words\tapp@%\n", r.out(), r::toString);
        assertEquals("", r.err(), r::toString);

        Cli.Result root = cli.run("shell", name(base), "--root", "--database", "mysql", "-e",
                "SELECT SUBSTRING_INDEX(CURRENT_USER(), '@', 1), DATABASE()");
        assertEquals(0, root.exitCode(), root::toString);
        assertEquals("root\tmysql", root.out().lines().skip(1).findFirst().orElse(""), root::toString);
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void e_with_a_failing_statement_exits_with_the_clients_code_and_its_error_on_stderr(String base) {
        Cli.Result r = cli.run("shell", name(base), "-e", "SELECT * FROM no_such_table");

        assertEquals(1, r.exitCode(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertTrue(r.err().contains("ERROR 1146") && r.err().contains("no_such_table"), r::toString);
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void piped_statements_all_run_and_the_first_failure_stops_them(String base) throws Exception {
        String script = """
                DROP TABLE IF EXISTS piped;
                CREATE TABLE piped (id INT PRIMARY KEY, name VARCHAR(20));
                INSERT INTO piped VALUES (1, 'one'), (2, 'two');
                INSERT INTO piped VALUES (3, 'drei');
                SELECT COUNT(*) AS n FROM piped;
                """;
        Cli.Result r = cli.run(stdin(script), "shell", name(base));

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("n\n3\n", r.out(), r::toString);

        Cli.Result failing = cli.run(stdin("INSERT INTO piped VALUES (4, 'vier');\nINSERT INTO nope VALUES (1);\n"
                + "INSERT INTO piped VALUES (5, 'fuenf');\n"), "shell", name(base));
        assertEquals(1, failing.exitCode(), failing::toString);
        assertTrue(failing.err().contains("ERROR 1146"), failing::toString);
        try (Connection c = Cli.connect(instances.get(base))) {
            assertEquals("1,2,3,4", Cli.scalar(c, "SELECT GROUP_CONCAT(id ORDER BY id) FROM piped"));
        }
        assertNoInputLeft(base);
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#flavours")
    void a_large_dump_piped_into_a_devdb_process_with_a_small_heap_arrives_whole(String base) throws Exception {
        Path dump = dir.resolve("big-" + base + ".sql");
        int rows = 0;
        String pad = "p".repeat(180);
        try (BufferedWriter w = Files.newBufferedWriter(dump)) {
            w.write("DROP TABLE IF EXISTS big;\nCREATE TABLE big (id INT PRIMARY KEY, pad VARCHAR(200));\n");
            while (rows < 250_000) {
                StringBuilder insert = new StringBuilder("INSERT INTO big VALUES ");
                for (int i = 0; i < 500; i++, rows++) {
                    insert.append(i == 0 ? "" : ",").append('(').append(rows).append(",'").append(pad).append("')");
                }
                w.write(insert.append(";\n").toString());
            }
            w.write("SELECT COUNT(*) AS loaded FROM big;\n");
        }
        long size = Files.size(dump);
        assertTrue(size > 45_000_000, "dump is " + size + " bytes");

        // a heap smaller than the dump: holding it in memory would fail
        long started = System.nanoTime();
        Run r = devdbProcess(List.of("-Xmx32m"), dump, "shell", name(base));
        long millis = (System.nanoTime() - started) / 1_000_000;

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("loaded\n" + rows + "\n", r.out(), r::toString);
        try (Connection c = Cli.connect(instances.get(base))) {
            assertEquals(Integer.toString(rows), Cli.scalar(c, "SELECT COUNT(*) FROM big"));
            assertEquals(Long.toString((long) rows * (rows - 1) / 2), Cli.scalar(c, "SELECT SUM(id) FROM big"));
            try (var s = c.createStatement()) {
                s.execute("DROP TABLE big");
            }
        }
        assertNoInputLeft(base);
        System.out.printf("ShellIT: %s: %d MB piped and loaded in %.1f s%n", base, size / 1_000_000, millis / 1000.0);
    }

    @Test
    void exec_keeps_stdout_and_stderr_apart_and_returns_the_commands_exit_code() {
        String base = "mysql9";
        Cli.Result r = cli.run("exec", name(base), "--", "sh", "-c", "echo out; echo oops >&2; exit 3");
        assertEquals(3, r.exitCode(), r::toString);
        assertEquals("out\n", r.out(), r::toString);
        assertEquals("oops\n", r.err(), r::toString);

        Cli.Result ls = cli.run("exec", name(base), "--", "ls", "/no/such/dir");
        assertEquals(2, ls.exitCode(), ls::toString);
        assertEquals("", ls.out(), ls::toString);
        assertTrue(ls.err().contains("No such file or directory"), ls::toString);

        // the engine cannot start it: exit code 126, and the engine's message (which it sends on stdout)
        Cli.Result missing = cli.run("exec", name(base), "--", "no-such-command");
        assertEquals(126, missing.exitCode(), missing::toString);
        assertTrue((missing.out() + missing.err()).contains("no-such-command"), missing::toString);
    }

    @Test
    void exec_i_passes_standard_input_to_its_end() {
        Cli.Result r = cli.run(stdin("three\nlines\nhere\n"), "exec", "-i", name("mysql9"), "--", "wc", "-l");

        assertEquals(0, r.exitCode(), r::toString);
        assertEquals("3", r.out().trim(), r::toString);
    }

    @Test
    void the_password_is_in_no_process_arguments_in_the_container() throws Exception {
        JsonNode up = instances.get("mysql9");
        String password = up.get("password").asText();
        CompletableFuture<Cli.Result> running = CompletableFuture.supplyAsync(
                () -> cli.run("shell", name("mysql9"), "-e", "SELECT SLEEP(3)"));
        String processes = "";
        for (int i = 0; i < 50 && !processes.contains("SLEEP"); i++) {
            Thread.sleep(100);
            processes = engine.exec(container("mysql9"), List.of("sh", "-c",
                    "for p in /proc/[0-9]*; do tr '\\0' ' ' < $p/cmdline; echo; done"), Map.of()).stdout();
        }
        assertEquals(0, running.get(30, TimeUnit.SECONDS).exitCode());

        assertTrue(processes.contains("mysql --user=app --database=app --execute=SELECT SLEEP(3)"), processes);
        assertFalse(processes.contains(password), processes);
    }

    // ---- on a real pseudo-terminal, driven through tmux ----

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void interactive_shell_on_a_terminal(String base) throws Exception {
        // capture-pane drops the prompt's trailing space
        String prompt = base.startsWith("mysql") ? "mysql>" : "MariaDB [app]>";
        Path before = dir.resolve("stty-before-" + base);
        Path after = dir.resolve("stty-after-" + base);
        Path rc = dir.resolve("rc-" + base);
        try (Tmux tmux = new Tmux()) {
            tmux.line("stty -a > " + before + "; " + devdbScript() + " shell " + name(base) + "; echo $? > " + rc
                    + "; stty -a > " + after);
            tmux.await(Pattern.compile(Pattern.quote(prompt) + "$", Pattern.MULTILINE), Duration.ofSeconds(30));

            String raw = tmux.stty();
            assertTrue(raw.contains("-icanon") && raw.contains("-isig") && raw.contains("-echo "),
                    "raw mode while the client runs: " + raw);

            tmux.line("SELECT 6*7;");
            tmux.await(Pattern.compile("\\|\\s+42 \\|"), Duration.ofSeconds(10));

            tmux.line("SELECT SLEEP(30);");
            tmux.await(Pattern.compile("SELECT SLEEP\\(30\\);\\s*$"), Duration.ofSeconds(10));
            Thread.sleep(1500);
            long interrupted = System.nanoTime();
            tmux.keys("C-c");
            tmux.await(Pattern.compile("SELECT SLEEP\\(30\\);[\\s\\S]*" + Pattern.quote(prompt) + "$",
                    Pattern.MULTILINE), Duration.ofSeconds(15));
            assertTrue(System.nanoTime() - interrupted < Duration.ofSeconds(15).toNanos());
            assertFalse(Files.exists(rc), "Ctrl-C reached the client, not devdb");

            tmux.line("SELECT CONCAT('still', ' here') AS session;");
            tmux.await(Pattern.compile("\\| still here \\|"), Duration.ofSeconds(10));

            tmux.line("exit");
            String code = awaitFile(rc, Duration.ofSeconds(15));
            assertEquals("0", code, tmux::screen);
            awaitFile(after, Duration.ofSeconds(5));
            assertEquals(Files.readString(before), Files.readString(after), "the terminal is restored exactly");
        }
    }

    @Test
    void exec_on_a_terminal_follows_the_window_size_and_returns_the_exit_code() throws Exception {
        Path rc = dir.resolve("rc-exec");
        try (Tmux tmux = new Tmux()) {
            tmux.line(devdbScript() + " exec " + name("mariadb10") + " -- sh; echo $? > " + rc);
            tmux.await(Pattern.compile("^#$", Pattern.MULTILINE), Duration.ofSeconds(30));
            tmux.line("stty size");
            tmux.await(Pattern.compile("^30 120$", Pattern.MULTILINE), Duration.ofSeconds(10));

            tmux.tmux("resize-window", "-t", Tmux.SESSION, "-x", "100", "-y", "25");
            Thread.sleep(500);
            tmux.line("stty size");
            tmux.await(Pattern.compile("^25 100$", Pattern.MULTILINE), Duration.ofSeconds(10));

            tmux.line("exit 7");
            assertEquals("7", awaitFile(rc, Duration.ofSeconds(15)), tmux::screen);
        }
    }

    // ---- helpers ----

    static ByteArrayInputStream stdin(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }

    void assertNoInputLeft(String base) {
        ExecResult ls = engine.exec(container(base), List.of("sh", "-c", "ls -d /tmp/devdb-input-* 2>/dev/null; true"),
                Map.of());
        assertEquals("", ls.stdout(), "input copied into the container is removed");
    }

    static Path projectDir() {
        return Path.of(System.getProperty("devdb.jar")).toAbsolutePath().getParent().getParent();
    }

    static String devdbScript() {
        return projectDir().resolve("devdb").toString();
    }

    static Map<String, String> processEnv() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("DEVDB_REGISTRY", "devdb-test");
        env.put("XDG_CONFIG_HOME", dir.resolve(".config").toString());
        env.put("TERM", "xterm");
        return TestScope.env(env);
    }

    record Run(int exitCode, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout ---\n" + out + "--- stderr ---\n" + err;
        }
    }

    /** Runs the jar in its own JVM, stdin from a file. */
    static Run devdbProcess(List<String> jvmOptions, Path stdin, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", System.getProperty("devdb.jar")));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectInput(stdin.toFile())
                .redirectOutput(dir.resolve("process.out").toFile())
                .redirectError(dir.resolve("process.err").toFile());
        pb.environment().putAll(processEnv());
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("devdb did not finish within 5 minutes");
        }
        return new Run(p.exitValue(), Files.readString(dir.resolve("process.out")),
                Files.readString(dir.resolve("process.err")));
    }

    static String awaitFile(Path file, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(file)) {
                String text = Files.readString(file).trim();
                if (!text.isEmpty()) {
                    return text;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError(file + " did not appear within " + timeout);
    }

    /** A tmux server of the test's own, with one 120x30 window running bash. */
    static final class Tmux implements AutoCloseable {
        static final String SESSION = "devdb";
        private final String socket = "devdb-it-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

        Tmux() throws Exception {
            tmux("new-session", "-d", "-s", SESSION, "-x", "120", "-y", "30", "bash --norc --noprofile");
            tmux("set-option", "-t", SESSION, "history-limit", "5000");
        }

        String tmux(String... args) throws IOException, InterruptedException {
            List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(processEnv());
            Process p = pb.start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + output);
            }
            return output;
        }

        /** Types a line and Enter. A trailing ';' is escaped: tmux would read it as a command separator. */
        void line(String text) throws Exception {
            String literal = text.endsWith(";") ? text.substring(0, text.length() - 1) + "\\;" : text;
            tmux("send-keys", "-t", SESSION, "-l", literal);
            tmux("send-keys", "-t", SESSION, "Enter");
        }

        void keys(String... keys) throws Exception {
            List<String> args = new ArrayList<>(List.of("send-keys", "-t", SESSION));
            args.addAll(List.of(keys));
            tmux(args.toArray(String[]::new));
        }

        /** The window's text, scrollback included, trailing blank lines dropped. */
        String screen() {
            try {
                return tmux("capture-pane", "-p", "-J", "-S", "-", "-t", SESSION).stripTrailing();
            } catch (Exception e) {
                return "(no screen: " + e + ")";
            }
        }

        /** `stty -a` of the window's terminal, read from outside. */
        String stty() throws Exception {
            String tty = tmux("display-message", "-p", "-t", SESSION, "#{pane_tty}").trim();
            Process p = new ProcessBuilder("stty", "-a", "-F", tty).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        }

        void await(Pattern pattern, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            String screen = "";
            while (System.nanoTime() < deadline) {
                screen = screen();
                if (pattern.matcher(screen).find()) {
                    return;
                }
                Thread.sleep(150);
            }
            throw new AssertionError("waited " + timeout.toSeconds() + " s for /" + pattern + "/ on the screen:\n"
                    + screen);
        }

        @Override
        public void close() {
            try {
                tmux("kill-server");
            } catch (IOException | InterruptedException | AssertionError e) {
                // the server is gone already
            }
        }
    }
}
