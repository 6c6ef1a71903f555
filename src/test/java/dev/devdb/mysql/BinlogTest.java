package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The binary log settings, replica arguments and replication statements per flavour and version. */
class BinlogTest {

    private static Map<String, String> cdc(Flavor flavor, String tag) {
        return Binlog.cdcOptions(flavor, ServerVersion.ofTag(tag));
    }

    private static Map<String, String> map(String... keysAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            m.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return m;
    }

    @Test
    void mysql_5_7_turns_the_binary_log_on_with_row_events_and_keeps_logs_in_days() {
        assertEquals(map("log_bin", "binlog", "gtid_mode", "ON", "enforce_gtid_consistency", "ON",
                "expire_logs_days", "7", "binlog_format", "ROW", "binlog_row_image", "FULL"),
                cdc(Flavor.MYSQL, "5.7"));
    }

    @Test
    void mysql_8_0_has_row_metadata_and_keeps_logs_in_seconds() {
        assertEquals(map("log_bin", "binlog", "gtid_mode", "ON", "enforce_gtid_consistency", "ON",
                "binlog_expire_logs_seconds", "604800", "binlog_row_image", "FULL", "binlog_row_metadata", "FULL"),
                cdc(Flavor.MYSQL, "8.0"));
    }

    @Test
    void mysql_8_0_before_8_0_14_has_no_row_metadata_and_sets_the_row_format() {
        Map<String, String> o = cdc(Flavor.MYSQL, "8.0.13");
        assertFalse(o.containsKey("binlog_row_metadata"), o::toString);
        assertEquals("ROW", o.get("binlog_format"));
        assertEquals("604800", o.get("binlog_expire_logs_seconds"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.4", "8.4.5", "9.7", "9", "8", "latest", "lts"})
    void mysql_8_4_and_later_use_only_options_they_still_have(String tag) {
        assertEquals(map("log_bin", "binlog", "gtid_mode", "ON", "enforce_gtid_consistency", "ON",
                "binlog_expire_logs_seconds", "604800", "binlog_row_image", "FULL", "binlog_row_metadata", "FULL"),
                cdc(Flavor.MYSQL, tag));
    }

    @Test
    void mariadb_10_5_keeps_logs_in_days_and_has_row_metadata() {
        assertEquals(map("log_bin", "binlog", "expire_logs_days", "7", "binlog_format", "ROW",
                "binlog_row_image", "FULL", "binlog_row_metadata", "FULL"), cdc(Flavor.MARIADB, "10.5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.6", "10.11"})
    void mariadb_10_6_and_10_11_keep_logs_in_seconds(String tag) {
        assertEquals(map("log_bin", "binlog", "binlog_expire_logs_seconds", "604800", "binlog_format", "ROW",
                "binlog_row_image", "FULL", "binlog_row_metadata", "FULL"), cdc(Flavor.MARIADB, tag));
    }

    @ParameterizedTest
    @ValueSource(strings = {"11.4", "11.8", "11", "12.1", "latest"})
    void mariadb_11_4_and_later_add_legacy_event_positions(String tag) {
        assertEquals(map("log_bin", "binlog", "binlog_expire_logs_seconds", "604800", "binlog_format", "ROW",
                "binlog_row_image", "FULL", "binlog_row_metadata", "FULL", "binlog_legacy_event_pos", "ON"),
                cdc(Flavor.MARIADB, tag));
    }

    @Test
    void mariadb_before_10_5_has_no_row_metadata() {
        assertFalse(cdc(Flavor.MARIADB, "10.4").containsKey("binlog_row_metadata"));
        assertFalse(cdc(Flavor.MARIADB, "10.11").containsKey("binlog_legacy_event_pos"));
    }

    @Test
    void mariadb_gets_no_gtid_switches_it_does_not_have() {
        for (String tag : List.of("10.6", "10.11", "11.4", "11.8")) {
            Map<String, String> o = cdc(Flavor.MARIADB, tag);
            assertFalse(o.containsKey("gtid_mode"), tag);
            assertFalse(o.containsKey("enforce_gtid_consistency"), tag);
            assertFalse(o.containsKey("log_bin_compress"), tag);
        }
    }

    @Test
    void replication_options_are_the_binary_log_without_the_row_settings() {
        assertEquals(map("log_bin", "binlog", "gtid_mode", "ON", "enforce_gtid_consistency", "ON",
                "binlog_expire_logs_seconds", "604800"),
                Binlog.replicationOptions(Flavor.MYSQL, ServerVersion.ofTag("9.7")));
        assertEquals(map("log_bin", "binlog", "expire_logs_days", "7"),
                Binlog.replicationOptions(Flavor.MARIADB, ServerVersion.ofTag("10.5")));
    }

    @Test
    void no_version_gets_a_server_id_in_its_options_members_get_theirs_as_arguments() {
        for (String tag : List.of("5.7", "8.0", "8.4", "9.7")) {
            assertFalse(cdc(Flavor.MYSQL, tag).containsKey("server_id"), tag);
        }
        assertEquals(List.of("--server-id=1"),
                Binlog.memberArgs(Flavor.MYSQL, ServerVersion.ofTag("9.7"), 1, false));
    }

    @Test
    void mysql_replicas_are_super_read_only_and_log_what_they_apply_where_that_is_off() {
        assertEquals(List.of("--server-id=2", "--relay-log=relay-bin", "--read-only=ON", "--super-read-only=ON"),
                Binlog.memberArgs(Flavor.MYSQL, ServerVersion.ofTag("8.4"), 2, true));
        assertEquals(List.of("--server-id=3", "--relay-log=relay-bin", "--read-only=ON", "--super-read-only=ON",
                "--log-slave-updates"), Binlog.memberArgs(Flavor.MYSQL, ServerVersion.ofTag("5.7"), 3, true));
    }

    @Test
    void mariadb_replicas_are_read_only_without_super_read_only() {
        assertEquals(List.of("--server-id=2", "--relay-log=relay-bin", "--read-only=ON", "--log-slave-updates"),
                Binlog.memberArgs(Flavor.MARIADB, ServerVersion.ofTag("10.11"), 2, true));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.4", "9.7", "8.0.23", "8.0"})
    void new_mysql_uses_change_replication_source_with_auto_position(String tag) {
        String sql = Binlog.startReplicaSql(Flavor.MYSQL, ServerVersion.ofTag(tag), "db", "pw");
        assertEquals("CHANGE REPLICATION SOURCE TO SOURCE_HOST='db', SOURCE_PORT=3306, SOURCE_USER='devdb_repl', "
                + "SOURCE_PASSWORD='pw', SOURCE_AUTO_POSITION=1, GET_SOURCE_PUBLIC_KEY=1, SOURCE_CONNECT_RETRY=1;\n"
                + "START REPLICA;\n", sql);
        assertEquals("SHOW REPLICA STATUS", Binlog.replicaStatusSql(Flavor.MYSQL, ServerVersion.ofTag(tag)));
    }

    @Test
    void old_mysql_uses_change_master() {
        String sql57 = Binlog.startReplicaSql(Flavor.MYSQL, ServerVersion.ofTag("5.7"), "db", "pw");
        assertTrue(sql57.startsWith("CHANGE MASTER TO MASTER_HOST='db'"), sql57);
        assertTrue(sql57.contains("MASTER_AUTO_POSITION=1"), sql57);
        assertFalse(sql57.contains("PUBLIC_KEY"), "5.7 has no caching_sha2_password: " + sql57);
        assertTrue(sql57.endsWith("START SLAVE;\n"), sql57);
        assertEquals("SHOW SLAVE STATUS", Binlog.replicaStatusSql(Flavor.MYSQL, ServerVersion.ofTag("5.7")));

        String sql8022 = Binlog.startReplicaSql(Flavor.MYSQL, ServerVersion.ofTag("8.0.22"), "db", "pw");
        assertTrue(sql8022.contains("GET_MASTER_PUBLIC_KEY=1"), sql8022);
        assertTrue(sql8022.endsWith("START REPLICA;\n"), sql8022);
    }

    @Test
    void mariadb_uses_change_master_with_gtid_from_its_own_binary_log_position() {
        String sql = Binlog.startReplicaSql(Flavor.MARIADB, ServerVersion.ofTag("11.8"), "db", "p'w");
        assertEquals("SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos;\n"
                + "CHANGE MASTER TO MASTER_HOST='db', MASTER_PORT=3306, MASTER_USER='devdb_repl', "
                + "MASTER_PASSWORD='p''w', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=1;\n"
                + "START SLAVE;\n", sql);
    }

    @Test
    void the_replication_user_is_made_without_writing_to_the_binary_log() {
        String sql = Binlog.replicationUserSql("secret");
        assertTrue(sql.startsWith("SET SESSION sql_log_bin = 0;\n"), sql);
        assertTrue(sql.contains("GRANT REPLICATION SLAVE ON *.* TO 'devdb_repl'@'%'"), sql);
    }

    @Test
    void the_connector_user_script_has_exactly_the_documented_grants_and_no_password() {
        String script = Binlog.cdcUserScript();
        assertTrue(script.contains("GRANT SELECT, RELOAD, SHOW DATABASES, REPLICATION SLAVE, REPLICATION CLIENT, "
                + "LOCK TABLES ON *.* TO 'cdc'@'%';"), script);
        assertTrue(script.contains("IDENTIFIED BY $(sql_string \"$MYSQL_CDC_PASSWORD\")"), script);
        assertTrue(script.contains("${BACKSLASH_ESCAPES};"), script);
        assertTrue(script.contains("sql_log_bin = 0"), script);
    }

    @Test
    void caught_up_queries_compare_gtids_the_flavour_way() {
        assertEquals("SELECT GTID_SUBSET('u:1-5', @@GLOBAL.gtid_executed)", Binlog.caughtUpSql(Flavor.MYSQL, "u:1-5"));
        assertEquals("SELECT MASTER_GTID_WAIT('0-1-5', 0) = 0", Binlog.caughtUpSql(Flavor.MARIADB, "0-1-5"));
    }
}
