package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PoolScriptsTest {

    @Test
    void names_start_with_the_databases_letters_digits_and_underscores() {
        assertEquals("app_t", PoolScripts.prefix("app"));
        assertEquals("myshop_2_t", PoolScripts.prefix("my-shop_2"));
        assertEquals("db_t", PoolScripts.prefix("ä-ö"));
        String longest = PoolScripts.prefix("x".repeat(64));
        assertEquals(PoolScripts.NAME_MAX - 12, longest.length(), longest);
        assertTrue(PoolScripts.plausibleName(longest + "0123456789ab"));
    }

    @Test
    void only_letters_digits_and_underscores_up_to_64_can_name_a_pool_database() {
        assertTrue(PoolScripts.plausibleName("app_t0123456789ab"));
        assertFalse(PoolScripts.plausibleName(""));
        assertFalse(PoolScripts.plausibleName("x".repeat(65)));
        assertFalse(PoolScripts.plausibleName("app`x"));
        assertFalse(PoolScripts.plausibleName("app-t1"));
        assertFalse(PoolScripts.plausibleName(null));
    }

    @Test
    void the_copy_script_copies_tables_then_creates_objects_in_order_with_their_sql_mode() {
        String script = PoolScripts.copyScript(2, List.of(
                new PoolScripts.SeedObject("VIEW", "v", "CREATE VIEW `v` AS select 1 AS `a`", null),
                new PoolScripts.SeedObject("PROCEDURE", "p", "CREATE PROCEDURE `p`() BEGIN SELECT 1; END", "ANSI")),
                false, Flavor.MYSQL);

        assertEquals("""
                SET NAMES utf8mb4;
                SET @devdb_pool_log_bin = @@SESSION.sql_log_bin;
                SET SESSION sql_log_bin = 0;
                CALL _devdb.copy_db(2, '@DEVDB_POOL_DB@');
                USE `@DEVDB_POOL_DB@`;
                DELIMITER $$
                CREATE VIEW `v` AS select 1 AS `a`$$
                SET SESSION sql_mode = 'ANSI'$$
                CREATE PROCEDURE `p`() BEGIN SELECT 1; END$$
                DELIMITER ;
                SET SESSION sql_log_bin = @devdb_pool_log_bin;
                CALL _devdb_pool.refill_ready('@DEVDB_POOL_DB@');
                """, script);
    }

    @Test
    void a_copy_for_replicas_or_a_connector_goes_to_the_binary_log() {
        String script = PoolScripts.copyScript(1, List.of(
                new PoolScripts.SeedObject("VIEW", "v", "CREATE VIEW `v` AS select 1 AS `a`", null)), true, Flavor.MYSQL);

        assertEquals("""
                SET NAMES utf8mb4;
                CALL _devdb.copy_db(1, '@DEVDB_POOL_DB@');
                USE `@DEVDB_POOL_DB@`;
                DELIMITER $$
                CREATE VIEW `v` AS select 1 AS `a`$$
                DELIMITER ;
                CALL _devdb_pool.refill_ready('@DEVDB_POOL_DB@');
                """, script);
        assertTrue(PoolScripts.copyScript(1, List.of(), true, Flavor.MARIADB)
                .startsWith("SET NAMES utf8mb4;\nSET SESSION binlog_format = 'ROW';\nCALL _devdb.copy_db(1, "));
    }

    @Test
    void the_delimiter_is_one_no_object_holds() {
        assertEquals("$$$", PoolScripts.delimiter(List.of(
                new PoolScripts.SeedObject("PROCEDURE", "p", "CREATE PROCEDURE p() SELECT '$$'", null))));
        assertEquals("$$", PoolScripts.delimiter(List.of()));
    }

    @Test
    void a_copy_gets_routines_then_views_after_those_they_select_from_then_triggers_and_no_events() {
        List<PoolScripts.SeedObject> objects = List.of(
                new PoolScripts.SeedObject("TRIGGER", "t", "CREATE TRIGGER `t` AFTER INSERT ON `c` FOR EACH ROW SET @a = 1",
                        "ANSI"),
                new PoolScripts.SeedObject("VIEW", "big", "CREATE VIEW `app`.`big` AS select `app`.`orders`.`id` AS `id`"
                        + " from `app`.`orders` where `app`.`orders`.`total` > 5", ""),
                new PoolScripts.SeedObject("EVENT", "e", "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1", ""),
                new PoolScripts.SeedObject("VIEW", "orders", "CREATE VIEW `app`.`orders` AS select `o`.`id` AS `id`,"
                        + "`o`.`total` AS `total` from `app`.`o` `o` join `other`.`x`", ""),
                new PoolScripts.SeedObject("FUNCTION", "f", "CREATE FUNCTION `f`() RETURNS int RETURN 1", "ANSI"));

        List<PoolScripts.SeedObject> copied = PoolScripts.forCopy("app", objects);

        assertEquals(List.of("f", "orders", "big", "t"), copied.stream().map(PoolScripts.SeedObject::name).toList());
        assertEquals("CREATE VIEW `orders` AS select `o`.`id` AS `id`,`o`.`total` AS `total` from `o` `o` join `other`.`x`",
                copied.get(1).create());
        assertEquals("CREATE VIEW `big` AS select `orders`.`id` AS `id` from `orders` where `orders`.`total` > 5",
                copied.get(2).create());
    }

    @Test
    void the_set_up_names_the_application_account_quoted() {
        String sql = PoolScripts.setup(6, "o'brien", "%", "shop", Flavor.MYSQL, "9.7.0");

        assertTrue(sql.contains("VALUES (1, 6, '''o''''brien''@''%''', 'shop', 'shop_t');"), sql);
        assertTrue(sql.contains("GRANT EXECUTE ON PROCEDURE _devdb_pool.drop_database TO 'o''brien'@'%';"), sql);
        assertFalse(sql.matches("(?s).*@[A-Z_]+@.*"), sql);
    }

    @Test
    void callers_take_databases_side_by_side_where_the_server_skips_locked_rows() {
        String mysql = PoolScripts.setup(6, "app", "%", "shop", Flavor.MYSQL, "8.0.36");
        String mariadb = PoolScripts.setup(6, "app", "%", "shop", Flavor.MARIADB, "10.11.14-MariaDB-0+deb12u2");
        String older = PoolScripts.setup(6, "app", "%", "shop", Flavor.MARIADB, "10.5.29-MariaDB-0+deb11u1");

        for (String sql : List.of(mysql, mariadb)) {
            assertTrue(sql.contains("ORDER BY made LIMIT 1 FOR UPDATE SKIP LOCKED;"), sql);
            assertTrue(sql.contains("IF TRUE THEN\n    side_by_side: LOOP"), sql);
        }
        assertTrue(older.contains("ORDER BY made LIMIT 1 FOR UPDATE ;"), older);
        assertTrue(older.contains("IF FALSE THEN\n    side_by_side: LOOP"), older);
        assertFalse(PoolScripts.skipsLocked(Flavor.MYSQL, "5.7.44"));
        assertTrue(PoolScripts.skipsLocked(Flavor.MYSQL, "8.0.1"));
        assertFalse(PoolScripts.skipsLocked(Flavor.MARIADB, "10.5.29-MariaDB"));
        assertTrue(PoolScripts.skipsLocked(Flavor.MARIADB, "10.6.0-MariaDB"));
    }
}
