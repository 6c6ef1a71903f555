package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.engine.ContainerInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PruneTest {
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static ContainerInfo container(String state, Instant created, String expires, boolean managed) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (managed) {
            labels.put(Labels.MANAGED, "true");
            labels.put(Labels.NAME, "job1");
        }
        if (expires != null) {
            labels.put(Labels.EXPIRES, expires);
        }
        return new ContainerInfo("id1", "devdb-job1", "mysql:8.4", labels, state,
                "exited".equals(state) ? 137 : null, created, null, Map.of());
    }

    @Test
    void an_instance_past_its_expiry_is_pruned_even_while_running() {
        String past = Long.toString(NOW.getEpochSecond() - 5);
        Pruned p = Instances.pruneCandidate(container("running", NOW.minusSeconds(60), past, true), NOW);
        assertEquals(Pruned.EXPIRED, p.reason());
        assertEquals("job1", p.name());
        assertEquals(Instant.ofEpochSecond(NOW.getEpochSecond() - 5), p.expires());
    }

    @Test
    void a_running_instance_before_its_expiry_or_without_one_stays() {
        String future = Long.toString(NOW.getEpochSecond() + 5);
        assertNull(Instances.pruneCandidate(container("running", NOW.minusSeconds(60), future, true), NOW));
        assertNull(Instances.pruneCandidate(container("running", NOW.minusSeconds(86_400), null, true), NOW));
        assertNull(Instances.pruneCandidate(container("running", NOW, "garbage", true), NOW));
    }

    @Test
    void exited_and_dead_instances_are_pruned_with_their_state() {
        Pruned p = Instances.pruneCandidate(container("exited", NOW, null, true), NOW);
        assertEquals(Pruned.STOPPED, p.reason());
        assertEquals(137, p.exitCode());
        assertEquals(Pruned.STOPPED, Instances.pruneCandidate(container("dead", NOW, null, true), NOW).reason());
    }

    @Test
    void a_created_container_is_left_a_minute_for_the_up_that_is_starting_it() {
        assertNull(Instances.pruneCandidate(container("created", NOW.minusSeconds(20), null, true), NOW));
        assertEquals(Pruned.NEVER_STARTED,
                Instances.pruneCandidate(container("created", NOW.minusSeconds(61), null, true), NOW).reason());
    }

    @Test
    void a_container_without_devdbs_label_is_never_a_candidate() {
        assertNull(Instances.pruneCandidate(container("exited", NOW.minusSeconds(3600), "1", false), NOW));
    }

    @Test
    void name_patterns_are_globs_with_everything_else_literal() {
        assertTrue(Instances.glob("ci-*").matcher("ci-job-17").matches());
        assertTrue(Instances.glob("j?").matcher("j7").matches());
        assertFalse(Instances.glob("j?").matcher("j10").matches());
        assertFalse(Instances.glob("a.b").matcher("axb").matches());
        assertFalse(Instances.glob("ci-*").matcher("xci-1").matches());
    }
}
