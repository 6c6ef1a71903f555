package dev.devdb.schema;

import static dev.devdb.schema.Schemas.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.mysql.Flavor;
import org.junit.jupiter.api.Test;

class MigrationTest {
    private static final Dialect MYSQL9 = Dialect.of(Flavor.MYSQL, "9.7.4");
    private static final Dialect MARIADB104 = Dialect.of(Flavor.MARIADB, "10.4.34-MariaDB");

    private static String sql(Schema a, Schema b, Dialect d) {
        return Migration.sql(a, b, SchemaDiff.compare(a, b), d);
    }

    @Test
    void a_rename_uses_rename_column_where_the_server_has_it_and_change_column_elsewhere() {
        Schema a = new Schemas().table(create("t", "`id` int NOT NULL", "`email` varchar(100) DEFAULT NULL")).build();
        Schema b = new Schemas().table(create("t", "`id` int NOT NULL", "`mail` varchar(100) DEFAULT NULL")).build();
        assertEquals("USE `app`;\nALTER TABLE `t` RENAME COLUMN `email` TO `mail`;\n", sql(a, b, MYSQL9));
        assertEquals("USE `app`;\nALTER TABLE `t` CHANGE COLUMN `email` `mail` varchar(100) DEFAULT NULL;\n",
                sql(a, b, MARIADB104));
        assertTrue(Dialect.of(Flavor.MARIADB, "10.5.2-MariaDB").renamesColumns());
        assertTrue(!Dialect.of(Flavor.MARIADB, "10.5.1-MariaDB").renamesColumns());
    }

    @Test
    void foreign_keys_are_dropped_first_and_added_last() {
        Schema a = new Schemas().table(create("p", "`id` int NOT NULL", "PRIMARY KEY (`id`)"))
                .table(create("c", "`id` int NOT NULL", "`p` int DEFAULT NULL", "KEY `fk` (`p`)",
                        "CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`)")).build();
        Schema b = new Schemas().table(create("p", "`id` bigint NOT NULL", "PRIMARY KEY (`id`)"))
                .table(create("c", "`id` int NOT NULL", "`p` bigint DEFAULT NULL", "KEY `fk` (`p`)",
                        "CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `p` (`id`) ON DELETE CASCADE")).build();
        String sql = sql(a, b, MYSQL9);
        int drop = sql.indexOf("DROP FOREIGN KEY `fk`");
        int modify = sql.indexOf("MODIFY COLUMN `id` bigint");
        int add = sql.indexOf("ADD CONSTRAINT `fk` FOREIGN KEY");
        assertTrue(drop >= 0 && drop < modify && modify < add, sql);
    }

    @Test
    void new_tables_are_created_after_the_tables_they_reference() {
        Schema a = new Schemas().build();
        Schema b = new Schemas().table(create("a_child", "`p` int DEFAULT NULL", "KEY `fk` (`p`)",
                "CONSTRAINT `fk` FOREIGN KEY (`p`) REFERENCES `z_parent` (`id`)"))
                .table(create("z_parent", "`id` int NOT NULL", "PRIMARY KEY (`id`)")).build();
        String sql = sql(a, b, MYSQL9);
        assertTrue(sql.indexOf("CREATE TABLE `z_parent`") < sql.indexOf("CREATE TABLE `a_child`"), sql);
        assertTrue(!sql.contains("AUTO_INCREMENT="), sql);
    }

    @Test
    void tables_referencing_each_other_get_their_foreign_keys_once_both_exist() {
        Schema b = new Schemas().table(create("x", "`id` int NOT NULL", "`y` int DEFAULT NULL", "PRIMARY KEY (`id`)",
                "KEY `fx` (`y`)", "CONSTRAINT `fx` FOREIGN KEY (`y`) REFERENCES `y` (`id`)"))
                .table(create("y", "`id` int NOT NULL", "`x` int DEFAULT NULL", "PRIMARY KEY (`id`)",
                "KEY `fy` (`x`)", "CONSTRAINT `fy` FOREIGN KEY (`x`) REFERENCES `x` (`id`)")).build();
        String sql = sql(new Schemas().build(), b, MYSQL9);
        int lastCreate = sql.lastIndexOf("CREATE TABLE");
        assertTrue(sql.lastIndexOf("FOREIGN KEY (`y`) REFERENCES") > lastCreate
                || sql.lastIndexOf("FOREIGN KEY (`x`) REFERENCES") > lastCreate, sql);
    }

    @Test
    void added_and_moved_columns_take_their_place_in_one_alter() {
        Schema a = new Schemas().table(create("t", "`a` int", "`b` int", "`c` int")).build();
        Schema b = new Schemas().table(create("t", "`c` int", "`a` int", "`n` int", "`b` int")).build();
        assertEquals("USE `app`;\nALTER TABLE `t` MODIFY COLUMN `c` int FIRST,\n  ADD COLUMN `n` int AFTER `a`;\n",
                sql(a, b, MYSQL9));
    }

    @Test
    void checks_are_dropped_in_the_flavours_own_words() {
        Schema a = new Schemas().table(create("t", "`a` int", "CONSTRAINT `c` CHECK ((`a` > 0))")).build();
        Schema b = new Schemas().table(create("t", "`a` int")).build();
        assertTrue(sql(a, b, MYSQL9).contains("DROP CHECK `c`"));
        assertTrue(sql(a, b, MARIADB104).contains("DROP CONSTRAINT `c`"));
    }

    @Test
    void only_the_table_options_that_differ_are_set() {
        Schema a = new Schemas().table(create("t", "`a` int") + " COMMENT='x'").build();
        Schema b = new Schemas().table(create("t", "`a` int").replace("ENGINE=InnoDB", "ENGINE=MyISAM")).build();
        assertEquals("USE `app`;\nALTER TABLE `t` ENGINE=MyISAM COMMENT='';\n", sql(a, b, MYSQL9));
    }

    @Test
    void changed_objects_are_dropped_early_and_created_last_routines_before_views_and_compound_ones_delimited() {
        Schema a = new Schemas().object(SchemaObject.Kind.VIEW, "v", null, "CREATE VIEW `v` AS select 1").build();
        Schema b = new Schemas().object(SchemaObject.Kind.VIEW, "v", null, "CREATE VIEW `v` AS select `f`()")
                .object(SchemaObject.Kind.FUNCTION, "f", null, "CREATE FUNCTION `f`() RETURNS int\nBEGIN RETURN 1; END")
                .build();
        assertEquals("USE `app`;\nDROP VIEW `v`;\nDELIMITER ;;\nCREATE FUNCTION `f`() RETURNS int\nBEGIN RETURN 1; END;;\n"
                + "DELIMITER ;\nCREATE VIEW `v` AS select `f`();\n", sql(a, b, MYSQL9));
    }
}
