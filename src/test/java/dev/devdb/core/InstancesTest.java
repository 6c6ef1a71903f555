package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import dev.devdb.mysql.Flavor;
import dev.devdb.profile.Origin;
import dev.devdb.profile.Profile;
import dev.devdb.profile.Resources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure parts of {@link Instances}: server error extraction, the config hash and the options an instance gets. */
class InstancesTest {
    private static final String NO_SEEDS = Seeds.NONE.digest();


    private static Profile profile(Map<String, String> mycnf) {
        return profile(mycnf, Map.of(), null, Resources.NONE);
    }

    private static Profile profile(Map<String, String> mycnf, Map<String, String> env, String password,
            Resources resources) {
        return new Profile("mysql8", Origin.BUILT_IN, "built-in:mysql8", Flavor.MYSQL, "8.4", null, "MySQL 8.4",
                "app", "app", password, null, mycnf, env, resources, List.of(), List.of());
    }

    private static UpRequest request(Map<String, String> set, Double slowLog, boolean generalLog) {
        return new UpRequest("mysql8", null, null, set, slowLog, generalLog, UpRequest.PullPolicy.MISSING,
                Duration.ofSeconds(180), false, List.of());
    }

    private static Map<String, String> options(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static String hash(Profile p, Map<String, String> options) {
        return Instances.configHash(p, "mysql:8.4", options, null, NO_SEEDS);
    }

    // ---- configHash ----

    @Test
    void config_hash_is_stable_for_the_same_inputs() {
        String a = hash(profile(options("skip_name_resolve", null)), options("max_connections", "50"));
        String b = hash(profile(options("skip_name_resolve", null)), options("max_connections", "50"));

        assertEquals(a, b);
        assertTrue(a.matches("[0-9a-f]{16}"), a);
    }

    @Test
    void config_hash_differs_when_a_mycnf_value_changes() {
        Profile p = profile(Map.of());

        assertNotEquals(hash(p, options("max_connections", "50")), hash(p, options("max_connections", "51")));
        assertNotEquals(hash(p, options("max_connections", "50")), hash(p, options()));
    }

    @Test
    void config_hash_ignores_the_order_of_options() {
        Profile p = profile(Map.of());

        assertEquals(hash(p, options("a", "1", "b", "2", "c", null)), hash(p, options("c", null, "b", "2", "a", "1")));
    }

    @Test
    void config_hash_covers_image_port_env_password_and_resources() {
        Map<String, String> o = options("max_connections", "50");
        Profile base = profile(Map.of());
        String h = Instances.configHash(base, "mysql:8.4", o, null, NO_SEEDS);

        assertNotEquals(h, Instances.configHash(base, "mysql:8.0", o, null, NO_SEEDS), "image");
        assertNotEquals(h, Instances.configHash(base, "mysql:8.4", o, 3307, NO_SEEDS), "port");
        assertNotEquals(h, Instances.configHash(base, "mysql:8.4", o, null, Seeds.NONE.digest() + "0"), "seeds");
        assertNotEquals(h, Instances.configHash(profile(Map.of(), Map.of("TZ", "UTC"), null, Resources.NONE),
                "mysql:8.4", o, null, NO_SEEDS), "env");
        assertNotEquals(h, Instances.configHash(profile(Map.of(), Map.of(), "secret", Resources.NONE),
                "mysql:8.4", o, null, NO_SEEDS), "password");
        assertNotEquals(h, Instances.configHash(profile(Map.of(), Map.of(), null, new Resources(1L << 30, null)),
                "mysql:8.4", o, null, NO_SEEDS), "memory");
    }

    @Test
    void config_hash_does_not_contain_the_password() {
        Profile p = profile(Map.of(), Map.of(), "hunter2hunter2", Resources.NONE);

        assertFalse(hash(p, Map.of()).contains("hunter2"));
    }

    // ---- serverOptions ----

    @Test
    void slow_log_switches_on_the_slow_query_log_with_long_query_time() {
        Map<String, String> o = Instances.serverOptions(profile(options("skip_name_resolve", null)),
                request(Map.of(), 2.0, false));

        assertEquals(List.copyOf(options("skip_name_resolve", null, "slow_query_log", "ON", "long_query_time", "2")
                .entrySet()), List.copyOf(o.entrySet()));
    }

    @Test
    void fractional_slow_log_seconds_are_kept() {
        assertEquals("0.5", Instances.serverOptions(profile(Map.of()), request(Map.of(), 0.5, false))
                .get("long_query_time"));
    }

    @Test
    void slow_log_overrides_the_profile_long_query_time() {
        Map<String, String> o = Instances.serverOptions(profile(options("long_query_time", "10")),
                request(Map.of(), 1.0, false));

        assertEquals(Map.of("long_query_time", "1", "slow_query_log", "ON"), o);
    }

    @Test
    void general_log_switches_on_the_general_log() {
        assertEquals(Map.of("general_log", "ON"),
                Instances.serverOptions(profile(Map.of()), request(Map.of(), null, true)));
    }

    @Test
    void set_overrides_profile_values_whatever_the_spelling() {
        Map<String, String> o = Instances.serverOptions(profile(options("max_connections", "100")),
                request(options("Max-Connections", "50"), null, false));

        assertEquals(Map.of("max_connections", "50"), o);
    }

    @Test
    void set_overrides_the_slow_log_switch() {
        Map<String, String> o = Instances.serverOptions(profile(Map.of()),
                request(options("slow-query-log", "OFF"), 1.0, false));

        assertEquals("OFF", o.get("slow_query_log"));
        assertEquals(2, o.size(), o::toString);
    }

    @Test
    void set_without_value_is_a_flag() {
        Map<String, String> o = Instances.serverOptions(profile(Map.of()),
                request(options("skip-log-bin", null), null, false));

        Map<String, String> expected = new HashMap<>();
        expected.put("skip_log_bin", null);
        assertEquals(expected, o);
    }

    @ParameterizedTest
    @ValueSource(strings = {"max_connections\n[client]", "port", "bind-address", ""})
    void set_key_that_is_not_acceptable_is_a_usage_error(String key) {
        DevDbException e = assertThrows(DevDbException.class,
                () -> Instances.serverOptions(profile(Map.of()), request(options(key, "1"), null, false)));

        assertEquals(ExitCodes.USAGE, e.exitCode(), e.getMessage());
        assertTrue(e.getMessage().startsWith("--set "), e.getMessage());
    }

    @Test
    void set_value_with_a_line_break_is_a_usage_error() {
        DevDbException e = assertThrows(DevDbException.class, () -> Instances.serverOptions(profile(Map.of()),
                request(options("init_connect", "SET NAMES utf8\n[client]"), null, false)));

        assertEquals(ExitCodes.USAGE, e.exitCode(), e.getMessage());
    }

    @Test
    void set_key_with_a_line_break_is_reported_on_one_line() {
        DevDbException e = assertThrows(DevDbException.class, () -> Instances.serverOptions(profile(Map.of()),
                request(options("max_connections\n[client]", "1"), null, false)));

        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    // ---- names ----

    @ParameterizedTest
    @ValueSource(strings = {"mysql8", "a", "shop-db_2.test", "x23456789012345678901234567890123456789012345678"})
    void valid_instance_names_are_accepted(String name) {
        assertEquals(name, Instances.checkName(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "-db", ".hidden", "my db", "a/b", "x234567890123456789012345678901234567890123456789"})
    void invalid_instance_name_is_a_usage_error(String name) {
        DevDbException e = assertThrows(DevDbException.class, () -> Instances.checkName(name));

        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("instance name '" + name + "' is not valid"), e.getMessage());
    }
}
