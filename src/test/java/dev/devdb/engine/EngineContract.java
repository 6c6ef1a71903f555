package dev.devdb.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/**
 * What devdb relies on from an {@link Engine}, asserted the same way of the real one (against
 * Docker, in an integration test) and of the fake command tests use, so the two cannot drift.
 * Everything a test creates carries the labels of a scope of its own and is removed after it.
 */
public abstract class EngineContract {
    /** Where the images used here keep their data: both test images declare it a VOLUME. */
    protected static final String VOLUME = "/var/lib/mysql";

    protected Engine engine;
    /** This test's scope: every container, network and image made here carries it. */
    protected final String scope = scopePrefix() + "-contract-" + UUID.randomUUID().toString().substring(0, 8);
    private int names;

    /** What this test's scope starts with (a test run's own scope, say); lower case. */
    protected String scopePrefix() {
        return "test";
    }

    /** A new engine, with {@link #image()} present. */
    protected abstract Engine newEngine();

    /** An image present locally, declaring {@link #VOLUME} a volume, with a shell and {@code sleep}. */
    protected abstract String image();

    /** Makes the running container write a line to its output, as its main process would. */
    protected abstract void print(String containerId, String line);

    @BeforeEach
    void connect() {
        engine = newEngine();
    }

    @AfterEach
    void cleanUp() {
        try {
            for (ContainerInfo c : engine.list(labels())) {
                engine.remove(c.id(), Duration.ZERO);
            }
            for (ImageInfo i : engine.images(labels())) {
                engine.removeImage(i.id(), true);
            }
            for (String n : engine.networks(labels())) {
                engine.removeNetwork(n);
            }
        } finally {
            engine.close();
        }
    }

    protected Map<String, String> labels() {
        return Map.of("devdb.managed", "true", "devdb.scope", scope);
    }

    protected String newName() {
        return "devdb-" + scope + "-" + ++names;
    }

    /** A container that runs until stopped and prints nothing of itself. */
    protected ContainerSpec spec(String name) {
        Map<String, String> labels = new HashMap<>(labels());
        labels.put("devdb.name", name);
        return new ContainerSpec(name, image(), Map.of("DEVDB_CONTRACT", "1"), List.of("sleep"), List.of("600"),
                labels, 3306, null, null, null);
    }

    protected String created() {
        return engine.create(spec(newName()));
    }

    protected String running() {
        String id = created();
        engine.start(id);
        return id;
    }

    private static DevDbException fails(int exitCode, Executable call) {
        DevDbException e = assertThrows(DevDbException.class, call);
        assertEquals(exitCode, e.exitCode(), e::toString);
        return e;
    }

    // ---- containers ----

    @Test
    void a_created_container_is_listed_and_inspected_with_its_labels_and_environment() {
        String name = newName();
        String id = engine.create(spec(name));

        ContainerInfo info = engine.inspect(name).orElseThrow();
        assertEquals(id, info.id());
        assertEquals(name, info.name());
        assertEquals("created", info.state());
        assertEquals(scope, info.label("devdb.scope"));
        assertEquals("1", info.env().get("DEVDB_CONTRACT"));
        assertNotNull(info.created());
        assertEquals(id, engine.inspect(id).orElseThrow().id(), "by id as by name");
        assertEquals(List.of(name), engine.list(labels()).stream().map(ContainerInfo::name).toList());
        assertEquals(List.of(), engine.list(Map.of("devdb.scope", scope + "-other")));
    }

    @Test
    void a_missing_container_is_no_error_to_inspect_remove_or_kill() {
        String name = newName();

        assertTrue(engine.inspect(name).isEmpty());
        engine.remove(name, Duration.ZERO);
        engine.remove(name, Duration.ofSeconds(1));
        engine.kill(name);
    }

    @Test
    void a_missing_container_has_no_logs_and_no_files() throws InterruptedException {
        String name = newName();

        assertEquals(List.of(), engine.logs(name, 10));
        assertEquals(Map.of(), engine.readFiles(name, "/etc"));
        List<byte[]> got = new ArrayList<>();
        try (Streaming s = engine.streamLogs(name, null, null, false, got::add)) {
            assertEquals(0, s.await());
        }
        assertEquals(List.of(), got);
    }

    @Test
    void creating_a_taken_name_is_a_name_conflict() {
        String name = newName();
        engine.create(spec(name));

        fails(ExitCodes.NAME_CONFLICT, () -> engine.create(spec(name)));
    }

    @Test
    void creating_from_a_missing_image_is_an_image_error() {
        ContainerSpec spec = spec(newName());
        ContainerSpec missing = new ContainerSpec(spec.name(), "devdb-test/" + scope + ":1", spec.env(),
                spec.entrypoint(), spec.command(), spec.labels(), 3306, null, null, null);

        fails(ExitCodes.IMAGE, () -> engine.create(missing));
    }

    @Test
    void starting_a_running_container_again_changes_nothing() {
        String id = running();
        ContainerInfo first = engine.inspect(id).orElseThrow();

        engine.start(id);

        ContainerInfo again = engine.inspect(id).orElseThrow();
        assertEquals("running", again.state());
        assertNotNull(first.hostPort());
        assertEquals(first.hostPort(), again.hostPort(), "the same published port: one server, not two");
    }

    @Test
    void a_killed_container_has_exited_and_stays_until_removed() {
        String id = running();

        engine.kill(id);
        engine.kill(id);

        ContainerInfo info = engine.inspect(id).orElseThrow();
        assertEquals("exited", info.state());
        assertEquals(137, info.exitCode());
        engine.remove(id, Duration.ofSeconds(1));
        assertTrue(engine.inspect(id).isEmpty());
    }

    @Test
    void a_running_container_is_removed_with_a_grace_period() {
        String id = running();

        engine.remove(id, Duration.ofSeconds(1));

        assertTrue(engine.inspect(id).isEmpty());
        assertEquals(List.of(), engine.list(labels()));
    }

    @Test
    void rename_moves_the_name_and_refuses_a_taken_one() {
        String id = created();
        String other = engine.create(spec(newName()));
        String newName = newName();

        engine.rename(id, newName);

        assertEquals(newName, engine.inspect(id).orElseThrow().name());
        assertEquals(id, engine.inspect(newName).orElseThrow().id());
        String taken = engine.inspect(other).orElseThrow().name();
        fails(ExitCodes.NAME_CONFLICT, () -> engine.rename(id, taken));
        assertEquals(newName, engine.inspect(id).orElseThrow().name());
    }

    @Test
    void renaming_a_missing_container_is_no_instance() {
        fails(ExitCodes.NO_INSTANCE, () -> engine.rename(newName(), newName()));
    }

    // ---- commands inside ----

    @Test
    void exec_runs_in_a_running_container() {
        String id = running();

        assertEquals(0, engine.exec(id, List.of("true"), Map.of()).exitCode());
    }

    @Test
    void commands_in_a_container_that_is_not_running_are_refused_as_no_instance() {
        String created = created();
        String exited = running();
        engine.kill(exited);

        for (String id : List.of(created, exited)) {
            fails(ExitCodes.NO_INSTANCE, () -> engine.exec(id, List.of("true"), Map.of()));
            fails(ExitCodes.NO_INSTANCE, () -> engine.startExec(id, List.of("true"), Map.of(), b -> {}, b -> {}));
            fails(ExitCodes.NO_INSTANCE, () -> engine.execAttached(id, List.of("true"), Map.of(), false, null,
                    new ByteArrayOutputStream(), new ByteArrayOutputStream()));
        }
        fails(ExitCodes.NO_INSTANCE, () -> engine.exec(newName(), List.of("true"), Map.of()));
    }

    // ---- files ----

    @Test
    void files_written_into_a_created_container_are_read_back_by_directory() {
        String id = created();

        engine.writeFiles(id, "/etc", Map.of("devdb-a.cnf", "a".getBytes(UTF_8), "devdb-b.cnf", "b".getBytes(UTF_8)));
        engine.copyFile(id, "/etc", "devdb-c.sh", "c".getBytes(UTF_8), 0755);

        Map<String, byte[]> files = engine.readFiles(id, "/etc");
        assertEquals("a", new String(files.get("devdb-a.cnf"), UTF_8));
        assertEquals("b", new String(files.get("devdb-b.cnf"), UTF_8));
        assertEquals("c", new String(files.get("devdb-c.sh"), UTF_8));
        assertEquals(Map.of(), engine.readFiles(id, "/etc/devdb-missing"), "a missing directory has no files");
    }

    @Test
    void a_stream_is_copied_in_chunks_into_a_new_directory() {
        String id = created();

        long copied = engine.copyStream(id, "/tmp/devdb-input", new ByteArrayInputStream("0123456789".getBytes(UTF_8)), 4);

        assertEquals(10, copied);
        Map<String, byte[]> files = engine.readFiles(id, "/tmp/devdb-input");
        assertEquals(List.of("00000000", "00000001", "00000002"), files.keySet().stream().sorted().toList());
        assertEquals("89", new String(files.get("00000002"), UTF_8));
        long empty = engine.copyStream(id, "/tmp/devdb-empty", InputStream.nullInputStream(), 4);
        assertEquals(0, empty);
        assertEquals(Map.of("00000000", 0), lengths(engine.readFiles(id, "/tmp/devdb-empty")));
    }

    private static Map<String, Integer> lengths(Map<String, byte[]> files) {
        Map<String, Integer> lengths = new HashMap<>();
        files.forEach((k, v) -> lengths.put(k, v.length));
        return lengths;
    }

    // ---- images ----

    @Test
    void commit_keeps_the_container_layer_but_not_what_lies_under_the_images_volume() {
        String id = created();
        engine.writeFiles(id, "/etc", Map.of("devdb-kept/kept.txt", "kept".getBytes(UTF_8)));
        engine.writeFiles(id, VOLUME, Map.of("devdb-lost.txt", "lost".getBytes(UTF_8)));
        String repository = "devdb-" + scope;

        String imageId = engine.commit(id, repository, "t", labels(), List.of("DEVDB_COMMITTED=1"));

        assertEquals(imageId, engine.imageId(repository + ":t"));
        assertEquals(scope, engine.imageLabels(repository + ":t").get("devdb.scope"));
        assertTrue(engine.imageExists(repository + ":t"));
        ContainerSpec spec = spec(newName());
        String copy = engine.create(new ContainerSpec(spec.name(), repository + ":t", spec.env(), spec.entrypoint(),
                spec.command(), spec.labels(), 3306, null, null, null));
        assertEquals("kept", new String(engine.readFiles(copy, "/etc/devdb-kept").get("kept.txt"), UTF_8));
        assertFalse(engine.readFiles(copy, VOLUME).containsKey("devdb-lost.txt"));
        assertEquals("1", engine.inspect(copy).orElseThrow().env().get("DEVDB_COMMITTED"));
    }

    @Test
    void a_commit_keeps_the_containers_variables_it_does_not_name_and_an_emptied_one_stays_empty() {
        ContainerSpec base = spec(newName());
        Map<String, String> env = new HashMap<>(base.env());
        env.put("DEVDB_CONTRACT_SECRET", "s3cret");
        String id = engine.create(new ContainerSpec(base.name(), base.image(), env, base.entrypoint(), base.command(),
                base.labels(), 3306, null, null, null));
        String repository = "devdb-" + scope;

        engine.commit(id, repository, "env", labels(), List.of("DEVDB_CONTRACT_SECRET="));

        ContainerSpec spec = spec(newName());
        String copy = engine.create(new ContainerSpec(spec.name(), repository + ":env", Map.of(), spec.entrypoint(),
                spec.command(), spec.labels(), 3306, null, null, null));
        Map<String, String> copied = engine.inspect(copy).orElseThrow().env();
        assertEquals("1", copied.get("DEVDB_CONTRACT"), copied::toString);
        assertEquals("", copied.get("DEVDB_CONTRACT_SECRET"), copied::toString);
        engine.remove(copy, Duration.ZERO);
        engine.remove(id, Duration.ZERO);
        assertTrue(engine.removeImage(repository + ":env", false));
    }

    @Test
    void images_are_found_by_label_and_one_in_use_is_kept_unless_forced() {
        String id = created();
        String repository = "devdb-" + scope;
        String imageId = engine.commit(id, repository, "t", labels(), List.of());
        ContainerSpec spec = spec(newName());
        String user = engine.create(new ContainerSpec(spec.name(), repository + ":t", spec.env(), spec.entrypoint(),
                spec.command(), spec.labels(), 3306, null, null, null));

        List<ImageInfo> found = engine.images(Map.of("devdb.scope", scope, "devdb.managed", ""));
        assertEquals(List.of(imageId), found.stream().map(ImageInfo::id).toList());
        assertEquals(List.of(repository + ":t"), found.get(0).tags());
        assertEquals(scope, found.get(0).label("devdb.scope"));
        assertEquals(List.of(), engine.images(Map.of("devdb.scope", scope + "-other")));

        assertFalse(engine.removeImage(repository + ":t", false), "in use");
        assertTrue(engine.imageExists(repository + ":t"));
        engine.remove(user, Duration.ZERO);
        assertTrue(engine.removeImage(repository + ":t", false));
        assertFalse(engine.imageExists(repository + ":t"));
        assertNull(engine.imageId(repository + ":t"));
        assertNull(engine.imageLabels(repository + ":t"), "a missing image has no labels, not empty ones");
        assertTrue(engine.removeImage(repository + ":t", false), "a missing image is no error");
    }

    // ---- logs ----

    @Test
    void logs_give_the_last_lines_of_the_output() {
        String id = running();
        print(id, "first");
        print(id, "second");
        print(id, "third");

        assertEquals(List.of("second", "third"), engine.logs(id, 2));
        assertTrue(engine.logs(id, 100).containsAll(List.of("first", "second", "third")));
    }

    @Test
    void streamed_logs_honour_tail_and_since() throws InterruptedException {
        String id = running();
        print(id, "first");
        print(id, "second");

        assertEquals("second\n", streamed(id, 1, null));
        assertTrue(streamed(id, null, Instant.now().minus(Duration.ofMinutes(5))).endsWith("first\nsecond\n"));
        assertEquals("", streamed(id, null, Instant.now().plus(Duration.ofMinutes(5))), "nothing written since");
    }

    private String streamed(String id, Integer tail, Instant since) throws InterruptedException {
        StringBuilder text = new StringBuilder();
        try (Streaming s = engine.streamLogs(id, tail, since, false, b -> text.append(new String(b, UTF_8)))) {
            assertEquals(0, s.await());
        }
        return text.toString();
    }

    @Test
    @Timeout(60)
    void followed_logs_deliver_new_output_until_the_container_stops() throws InterruptedException {
        String id = running();
        StringBuilder text = new StringBuilder();
        CountDownLatch arrived = new CountDownLatch(1);
        Streaming s = engine.streamLogs(id, 0, null, true, b -> {
            synchronized (text) {
                text.append(new String(b, UTF_8));
                if (text.toString().contains("later\n")) {
                    arrived.countDown();
                }
            }
        });

        print(id, "later");

        assertTrue(arrived.await(30, TimeUnit.SECONDS), "the followed line arrives");
        engine.kill(id);
        assertEquals(0, s.await(), "ends when the container stops");
        synchronized (text) {
            assertEquals("later\n", text.toString());
        }
    }

    @Test
    @Timeout(60)
    void followed_logs_end_when_closed() throws InterruptedException {
        String id = running();
        Streaming s = engine.streamLogs(id, 0, null, true, b -> {});

        s.close();

        assertEquals(0, s.await());
        assertEquals("running", engine.inspect(id).orElseThrow().state());
    }

    // ---- networks ----

    @Test
    void networks_are_created_once_found_by_label_and_removed_twice_without_error() {
        String name = newName();

        engine.createNetwork(name, labels());

        assertTrue(engine.networkExists(name));
        assertEquals(List.of(name), engine.networks(labels()));
        fails(ExitCodes.NAME_CONFLICT, () -> engine.createNetwork(name, labels()));
        String id = created();
        engine.connectNetwork(id, name, List.of("primary"));
        // a container not yet started only records the network: a missing one fails its start, not this
        engine.connectNetwork(id, name + "-missing", List.of("x"));
        engine.remove(id, Duration.ZERO);
        engine.removeNetwork(name);
        engine.removeNetwork(name);
        assertFalse(engine.networkExists(name));
        assertEquals(List.of(), engine.networks(labels()));
    }

    // ---- the engine ----

    @Test
    void the_engine_reports_itself() {
        assertFalse(engine.endpoint().uri().isBlank());
        assertTrue(engine.version().matches("\\S+ \\S+ \\(API \\S+\\)"), engine.version());
        EngineInfo info = engine.info();
        assertEquals("linux", info.osType());
    }
}
