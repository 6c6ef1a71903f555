package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.engine.FakeEngine;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.profile.ProfileCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a stopped process (Ctrl-C, SIGTERM) leaves behind: the shutdown hooks are recorded instead of
 * registered with the JVM, and run by the test at the moment it chooses, as the JVM would on a signal.
 */
@Timeout(60)
class CleanupTest {
    private static final String IMAGE = "devdb-test/mysql:9.7";

    @TempDir
    Path dir;

    /** Shutdown hooks as the JVM keeps them: added, removed, and started when the process is stopped. */
    static final class RecordedHooks implements Cleanup.Hooks {
        final List<Thread> added = new CopyOnWriteArrayList<>();
        final List<Thread> removed = new CopyOnWriteArrayList<>();

        @Override
        public void add(Thread hook) {
            added.add(hook);
        }

        @Override
        public void remove(Thread hook) {
            // a hook the JVM is already running runs on, as with Runtime.removeShutdownHook
            removed.add(hook);
        }

        /** The process receives SIGINT: the JVM starts the hooks registered so far. */
        Thread stop() {
            Thread hook = added.get(added.size() - 1);
            hook.start();
            return hook;
        }
    }

    private Instances instances(FakeEngine engine, Cleanup.Hooks hooks) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        ProfileCatalog catalog = ProfileCatalog.standard(Map.of("XDG_CONFIG_HOME", config.toString()), dir);
        return new Instances(engine, catalog, "devdb-test", Scope.DEFAULT, java.time.Clock.systemUTC(), hooks);
    }

    private static UpRequest up(String name) {
        return new UpRequest("mysql9", name, null, Map.of(), null, false, UpRequest.PullPolicy.NEVER,
                Duration.ofSeconds(20), false, List.of());
    }

    /** Waits until the thread has ended or waits for something itself (a monitor's condition, a join). */
    private static void untilEndedOrWaiting(Thread t) {
        while (t.isAlive() && t.getState() != Thread.State.WAITING && t.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
    }

    @Test
    void a_stop_while_the_create_request_is_on_its_way_removes_the_container_it_makes() throws Exception {
        FakeEngine engine = new FakeEngine().withImage(IMAGE);
        RecordedHooks hooks = new RecordedHooks();
        Thread[] hook = new Thread[1];
        // SIGINT arrives after `up` sent the create request and before the engine answered it
        engine.duringNextCreate(() -> {
            hook[0] = hooks.stop();
            untilEndedOrWaiting(hook[0]);
        });
        Instances instances = instances(engine, hooks);
        try {
            instances.up(up("stopped"), UpListener.SILENT);
        } catch (DevDbException e) {
            // up may finish before the hook removes what it made; when it fails, it is the stop it ran into
            assertEquals(ExitCodes.INTERRUPTED, e.exitCode(), e::getMessage);
        }
        hook[0].join();
        assertEquals(List.of(), engine.containerNames(), () -> "calls: " + engine.calls());
    }

    @Test
    void once_the_process_is_stopping_nothing_more_is_created() throws Exception {
        FakeEngine engine = new FakeEngine().withImage(IMAGE);
        RecordedHooks hooks = new RecordedHooks();
        Cleanup cleanup = new Cleanup(engine, hooks);
        AtomicInteger sent = new AtomicInteger();
        DevDbException e = assertThrows(DevDbException.class, () -> cleanup.guard("test",
                () -> cleanup.removeByToken("t0k3n", null), () -> {
                    try {
                        hooks.stop().join();
                    } catch (InterruptedException interrupted) {
                        throw new AssertionError(interrupted);
                    }
                    return cleanup.create(sent::incrementAndGet);
                }));
        assertEquals(ExitCodes.INTERRUPTED, e.exitCode());
        assertEquals(0, sent.get());
    }

    @Test
    void a_finished_operation_is_not_undone_and_its_hook_is_removed() throws Exception {
        FakeEngine engine = new FakeEngine().withImage(IMAGE);
        RecordedHooks hooks = new RecordedHooks();
        Instances instances = instances(engine, hooks);
        UpResult result = instances.up(up("kept"), UpListener.SILENT);
        assertTrue(result.instance().running());
        assertEquals(List.of("devdb-kept"), engine.containerNames());
        assertEquals(hooks.added, hooks.removed);
    }

    @Test
    void a_stop_during_reset_once_the_new_container_started_keeps_it_and_removes_the_old_one() throws Exception {
        FakeEngine engine = new FakeEngine().withImage(IMAGE);
        RecordedHooks hooks = new RecordedHooks();
        Instances instances = instances(engine, hooks);
        instances.up(up("old"), UpListener.SILENT);
        AtomicReference<Thread> hook = new AtomicReference<>();
        AtomicBoolean released = new AtomicBoolean();
        // SIGINT arrives while the old container is being removed beside the reset; the removal gets
        // through only once the clean-up waits for it (or the test has looked)
        engine.duringNextRemove(() -> {
            hook.set(hooks.stop());
            while (!released.get() && !joining(hook.get())) {
                Thread.onSpinWait();
            }
        });
        Thread reset = new Thread(() -> {
            try {
                instances.reset("old", Duration.ofSeconds(20), UpListener.SILENT);
            } catch (DevDbException e) {
                // the process is stopping: whatever reset ran into next is never reported
            }
        });
        reset.start();
        while (hook.get() == null) {
            Thread.onSpinWait();
        }
        hook.get().join(); // the JVM halts once its hooks have ended
        List<String> left = engine.containerNames();
        released.set(true);
        reset.join();
        assertEquals(List.of("devdb-old"), left, () -> "calls: " + engine.calls());
    }

    @Test
    void a_stop_during_reset_before_the_new_container_started_gives_the_old_one_back() throws Exception {
        FakeEngine engine = new FakeEngine().withImage(IMAGE);
        RecordedHooks hooks = new RecordedHooks();
        Instances instances = instances(engine, hooks);
        instances.up(up("old"), UpListener.SILENT);
        String before = engine.container("devdb-old").orElseThrow().id();
        Thread[] hook = new Thread[1];
        // SIGINT arrives while the new container's create request is on its way
        engine.duringNextCreate(() -> {
            hook[0] = hooks.stop();
            untilEndedOrWaiting(hook[0]);
        });
        try {
            instances.reset("old", Duration.ofSeconds(20), UpListener.SILENT);
        } catch (DevDbException e) {
            assertEquals(ExitCodes.INTERRUPTED, e.exitCode(), e::getMessage);
        }
        hook[0].join();
        assertEquals(List.of("devdb-old"), engine.containerNames(), () -> "calls: " + engine.calls());
        assertEquals(before, engine.container("devdb-old").orElseThrow().id(), () -> "calls: " + engine.calls());
        assertEquals("running", engine.container("devdb-old").orElseThrow().state(), () -> "calls: " + engine.calls());
    }

    @Test
    void a_stop_while_a_snapshot_is_committed_leaves_no_snapshot_and_the_instance() throws Exception {
        FakeEngine engine = new FakeEngine().withImage(IMAGE);
        RecordedHooks hooks = new RecordedHooks();
        Instances instances = instances(engine, hooks);
        instances.up(up("db"), UpListener.SILENT);
        hooks.added.removeAll(hooks.removed); // the JVM forgets the hooks removed
        Thread[] hook = new Thread[1];
        // SIGINT arrives while the commit request is on its way: the engine makes the image all the same
        engine.duringNextCommit(() -> {
            hook[0] = hooks.stop();
            untilEndedOrWaiting(hook[0]);
        });
        try {
            new Snapshots(engine, instances).save("db", "before");
        } catch (DevDbException e) {
            assertEquals(ExitCodes.INTERRUPTED, e.exitCode(), e::getMessage);
        }
        hook[0].join();
        assertTrue(engine.imageReferences().stream().noneMatch(r -> r.startsWith("devdb-snapshot")),
                () -> "images: " + engine.imageReferences());
        assertEquals(List.of("devdb-db"), engine.containerNames());
    }

    /** Whether the thread waits for another thread to end. */
    private static boolean joining(Thread t) {
        return t.getState() == Thread.State.WAITING && Arrays.stream(t.getStackTrace())
                .anyMatch(f -> f.getClassName().equals(Thread.class.getName()) && f.getMethodName().equals("join"));
    }
}
