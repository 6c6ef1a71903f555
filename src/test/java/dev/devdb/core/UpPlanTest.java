package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.engine.ContainerInfo;
import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Flavor;
import dev.devdb.profile.Origin;
import dev.devdb.profile.Profile;
import dev.devdb.profile.Resources;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan of an {@code up}, computed and reconciled with what stands there, without any engine. */
class UpPlanTest {
    private static final Profile MYSQL = new Profile("mysql9", Origin.BUILT_IN, "built-in:mysql9", Flavor.MYSQL, "9.7",
            null, "MySQL 9.7", "app", "app", null, null, Map.of("max_connections", "50"), Map.of(), Resources.NONE,
            List.of(), List.of());

    private static UpRequest request(String name, Integer port, Integer replicas, boolean cdc, boolean noWait) {
        return new UpRequest("mysql9", name, port, Map.of(), null, false, UpRequest.PullPolicy.MISSING,
                Duration.ofSeconds(180), false, List.of(), noWait, null, cdc, replicas, null, null);
    }

    private static UpPlan plan(UpRequest request) {
        return UpPlan.of(request, MYSQL, "devdb-test");
    }

    private static ContainerInfo container(UpPlan plan, String state, Map<String, String> changed) {
        Map<String, String> labels = new HashMap<>(plan.labels(Scope.DEFAULT, "sha256:base", "key", "token", null));
        labels.putAll(changed);
        return new ContainerInfo("c0ffee", "devdb-" + plan.name(), plan.image(), labels, state,
                "running".equals(state) ? null : 137, Instant.EPOCH, "running".equals(state) ? 33061 : null, Map.of());
    }

    @Test
    void a_plan_names_the_image_the_options_and_a_hash_that_follows_the_port() {
        UpPlan p = plan(request(null, null, null, false, false));

        assertEquals("mysql9", p.name());
        assertEquals("devdb-test/mysql:9.7", p.image());
        assertEquals("50", p.options().get("max_connections"));
        assertNull(p.port());
        assertEquals(p.configHash(), plan(request("other", null, null, false, false)).configHash());
        assertNotEquals(p.configHash(), plan(request(null, 13306, null, false, false)).configHash());
        assertNotEquals(p.cacheKey("sha256:a"), p.cacheKey("sha256:b"));
    }

    @Test
    void cdc_puts_the_binary_log_options_first_and_marks_the_labels() {
        UpPlan p = plan(request(null, null, null, true, false));

        assertEquals("FULL", p.options().get("binlog_row_image"));
        assertEquals("50", p.options().get("max_connections"));
        assertEquals("true", p.labels(Scope.DEFAULT, "b", "k", "t", null).get(Labels.CDC));
        assertTrue(p.env().containsKey(Instances.CDC_PASSWORD_ENV));
        assertNotEquals(p.configHash(), plan(request(null, null, null, false, false)).configHash());
    }

    @Test
    void invalid_requests_fail_before_anything_is_asked_of_the_engine() {
        DevDbException replicas = assertThrows(DevDbException.class, () -> plan(request(null, null, 99, false, false)));
        assertEquals(ExitCodes.USAGE, replicas.exitCode());
        DevDbException noWait = assertThrows(DevDbException.class, () -> plan(request(null, null, 1, false, true)));
        assertEquals(ExitCodes.USAGE, noWait.exitCode());
        DevDbException name = assertThrows(DevDbException.class, () -> plan(request("../x", null, null, false, false)));
        assertEquals(ExitCodes.USAGE, name.exitCode());
    }

    @Test
    void labels_carry_the_token_the_expiry_and_the_scope() {
        UpPlan p = plan(request(null, null, null, false, false));
        Map<String, String> labels = p.labels(Scope.of("ci", "--scope"), "sha256:base", "key", "t0k3n",
                Instant.ofEpochSecond(1_800_000_000));

        assertEquals("t0k3n", labels.get(Labels.UP_TOKEN));
        assertEquals("1800000000", labels.get(Labels.EXPIRES));
        assertEquals("ci", labels.get(Labels.SCOPE));
        assertEquals(p.configHash(), labels.get(Labels.CONFIG_HASH));
        assertEquals("key", labels.get(Labels.CACHE_KEY));
    }

    @Test
    void reconcile_creates_shares_replaces_or_refuses() {
        UpPlan p = plan(request(null, null, null, false, false));
        String name = "devdb-mysql9";

        assertEquals(UpPlan.Decision.CREATE, p.reconcile(null, Scope.DEFAULT, name, false));
        assertEquals(UpPlan.Decision.SHARE, p.reconcile(container(p, "running", Map.of()), Scope.DEFAULT, name, false));
        assertEquals(UpPlan.Decision.REPLACE, p.reconcile(container(p, "exited", Map.of()), Scope.DEFAULT, name, true));

        for (ContainerInfo c : List.of(container(p, "running", Map.of(Labels.CONFIG_HASH, "other")),
                container(p, "exited", Map.of()), container(p, "created", Map.of()),
                container(p, "running", Map.of(Labels.REPLICAS, "2")))) {
            DevDbException e = assertThrows(DevDbException.class, () -> p.reconcile(c, Scope.DEFAULT, name, false));
            assertEquals(ExitCodes.NAME_CONFLICT, e.exitCode(), c::toString);
        }
        ContainerInfo foreign = new ContainerInfo("f00", name, "mysql:9", Map.of(), "running", null, Instant.EPOCH, 1,
                Map.of());
        DevDbException e = assertThrows(DevDbException.class, () -> p.reconcile(foreign, Scope.DEFAULT, name, true));
        assertTrue(e.getMessage().contains("was not created by devdb"), e::getMessage);
    }
}
