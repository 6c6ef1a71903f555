package dev.devdb.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CatalogTest {
    private static List<String> row(String... cells) {
        return Arrays.asList(cells);
    }

    @Test
    void system_schemas_and_devdbs_own_databases_are_hidden() {
        assertTrue(Catalog.hidden("mysql"));
        assertTrue(Catalog.hidden("PERFORMANCE_SCHEMA"));
        assertTrue(Catalog.hidden("_devdb"));
        assertTrue(Catalog.hidden("_devdb_pool"));
        assertTrue(Catalog.hidden("_DEVDB_t_1"));
        assertFalse(Catalog.hidden("app"));
        assertFalse(Catalog.hidden("devdb_app"));
    }

    @Test
    void a_pools_databases_not_handed_out_are_left_out() {
        Catalog.Listing l = Catalog.listing(List.of(row("V", "9.7.4"), row("D", "app", "utf8mb4", "utf8mb4_bin"),
                row("D", "_devdb_pool", "utf8mb4", "utf8mb4_bin"), row("D", "app_t0123456789ab", "utf8mb4", "utf8mb4_bin"),
                row("T", "app_t0123456789ab", "t", "BASE TABLE")));
        assertTrue(l.hasPool());
        l.exclude(List.of("app_t0123456789ab"));
        assertTrue(l.empty());
        assertEquals(List.of("app"), List.copyOf(l.schema(List.of()).databases().keySet()));
    }

    @Test
    void the_listing_asks_for_each_objects_definition_from_within_its_database() {
        Catalog.Listing l = Catalog.listing(List.of(row("V", "9.7.4"), row("D", "app", "utf8mb4", "utf8mb4_bin"),
                row("D", "_devdb_t_1", "utf8mb4", "utf8mb4_bin"), row("T", "app", "t", "BASE TABLE"),
                row("T", "_devdb_t_1", "t", "BASE TABLE"), row("T", "app", "v", "VIEW"),
                row("C", "app", "t", "id", "int", "NO", null, "auto_increment", "", null, null, ""),
                row("R", "app", "p", "PROCEDURE"), row("G", "app", "g", "t", "1"), row("E", "app", "e")));
        assertEquals("USE `app`;\nSHOW CREATE TABLE `t`;\nSHOW CREATE VIEW `v`;\nSHOW CREATE PROCEDURE `p`;\n"
                + "SHOW CREATE TRIGGER `g`;\nSHOW CREATE EVENT `e`;\n", l.definitionsQuery());
        Schema s = l.schema(List.of(
                row("t", "CREATE TABLE `t` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) ENGINE=InnoDB"),
                row("v", "CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`%` SQL SECURITY DEFINER VIEW `v` AS select 1",
                        "utf8mb4", "utf8mb4_bin"),
                row("p", "", "CREATE DEFINER=`ro``ot`@`localhost` PROCEDURE `p`()\nBEGIN END", "a", "b", "c"),
                row("g", "", "CREATE DEFINER=`root`@`%` TRIGGER `g` BEFORE INSERT ON `t` FOR EACH ROW SET @a = 1",
                        "a", "b", "c", "d"),
                row("e", "", "SYSTEM", "CREATE DEFINER=`root`@`%` EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1")));
        assertEquals("9.7.4", s.version());
        assertEquals(List.of("app"), List.copyOf(s.databases().keySet()));
        Database app = s.databases().get("app");
        Column id = app.tables().get("t").columns().get(0);
        assertEquals("`id` int NOT NULL AUTO_INCREMENT", id.definition());
        assertEquals("auto_increment", id.extra());
        assertFalse(id.nullable());
        assertEquals("CREATE ALGORITHM=UNDEFINED SQL SECURITY DEFINER VIEW `v` AS select 1",
                app.objects().get("view v").sql());
        assertEquals("CREATE PROCEDURE `p`()\nBEGIN END", app.objects().get("procedure p").sql());
        assertEquals("t", app.objects().get("trigger g").table());
        assertEquals("CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1", app.objects().get("event e").sql());
    }
}
