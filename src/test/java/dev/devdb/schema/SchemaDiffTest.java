package dev.devdb.schema;

import static dev.devdb.schema.Schemas.create;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaDiffTest {
    private static List<String> summary(Schema a, Schema b) {
        return SchemaDiff.compare(a, b).stream()
                .map(c -> c.kind().label() + " " + c.type() + " " + c.name() + (c.oldName() == null ? "" : " <- "
                        + c.oldName()))
                .toList();
    }

    @Test
    void identical_schemas_have_no_changes() {
        Schema s = new Schemas().table(create("t", "`id` int NOT NULL", "PRIMARY KEY (`id`)")).build();
        assertTrue(SchemaDiff.compare(s, s).isEmpty());
    }

    @Test
    void auto_increment_counters_are_no_change() {
        Schema a = new Schemas().table(create("t", "`id` int NOT NULL AUTO_INCREMENT", "PRIMARY KEY (`id`)")).build();
        Schema b = new Schemas().table(create("t", "`id` int NOT NULL AUTO_INCREMENT", "PRIMARY KEY (`id`)")
                .replace("AUTO_INCREMENT=7", "AUTO_INCREMENT=900")).build();
        assertTrue(SchemaDiff.compare(a, b).isEmpty());
    }

    @Test
    void a_column_gone_and_one_alike_new_is_a_rename() {
        Schema a = new Schemas().table(create("t", "`id` int NOT NULL", "`email` varchar(100) DEFAULT NULL")).build();
        Schema b = new Schemas().table(create("t", "`id` int NOT NULL", "`mail` varchar(100) DEFAULT NULL")).build();
        assertEquals(List.of("renamed column mail <- email"), summary(a, b));
    }

    @Test
    void indexes_and_foreign_keys_follow_a_renamed_column_without_a_change_of_their_own() {
        Schema a = new Schemas().table(create("t", "`a` int DEFAULT NULL", "`b` int DEFAULT NULL",
                "KEY `k` (`a`,`b`)", "CONSTRAINT `fk` FOREIGN KEY (`a`) REFERENCES `p` (`a`)")).build();
        Schema c = new Schemas().table(create("t", "`x` int DEFAULT NULL", "`b` bigint DEFAULT NULL",
                "KEY `k` (`x`,`b`)", "CONSTRAINT `fk` FOREIGN KEY (`x`) REFERENCES `p` (`a`)")).build();
        assertEquals(List.of("renamed column x <- a", "changed column b"), summary(a, c));
        assertEquals("KEY `k` (`x`,`b`) COMMENT 'the `a`'", SchemaDiff.renamedIn(
                java.util.Map.of("k", "KEY `k` (`a`,`b`) COMMENT 'the `a`'"), java.util.Map.of("a", "x")).get("k"));
    }

    @Test
    void a_column_gone_and_one_different_new_is_a_drop_and_an_add() {
        Schema a = new Schemas().table(create("t", "`id` int NOT NULL", "`email` varchar(100) DEFAULT NULL")).build();
        Schema b = new Schemas().table(create("t", "`id` int NOT NULL", "`mail` varchar(200) DEFAULT NULL")).build();
        assertEquals(List.of("added column mail", "dropped column email"), summary(a, b));
    }

    @Test
    void two_alike_candidates_are_no_clear_rename() {
        Schema a = new Schemas().table(create("t", "`id` int NOT NULL", "`a` int DEFAULT NULL")).build();
        Schema b = new Schemas().table(create("t", "`id` int NOT NULL", "`b` int DEFAULT NULL", "`c` int DEFAULT NULL"))
                .build();
        assertEquals(List.of("added column b", "added column c", "dropped column a"), summary(a, b));
    }

    @Test
    void a_table_gone_and_an_identical_one_new_is_a_rename() {
        Schema a = new Schemas().table(create("old", "`id` int NOT NULL", "PRIMARY KEY (`id`)")).build();
        Schema b = new Schemas().table(create("new", "`id` int NOT NULL", "PRIMARY KEY (`id`)")).build();
        assertEquals(List.of("renamed table new <- old"), summary(a, b));
    }

    @Test
    void changed_columns_indexes_keys_checks_and_options_are_each_found() {
        Schema a = new Schemas().table(create("t", "`id` int NOT NULL", "`n` int NOT NULL", "PRIMARY KEY (`id`)",
                "KEY `k` (`n`)", "CONSTRAINT `fk` FOREIGN KEY (`n`) REFERENCES `p` (`id`)",
                "CONSTRAINT `c` CHECK ((`n` > 0))")).build();
        Schema b = new Schemas().table(create("t", "`id` int NOT NULL", "`n` bigint NOT NULL", "PRIMARY KEY (`id`)",
                "KEY `k` (`n`,`id`)", "CONSTRAINT `fk` FOREIGN KEY (`n`) REFERENCES `p` (`id`) ON DELETE CASCADE",
                "CONSTRAINT `c` CHECK ((`n` > 1))").replace("utf8mb4_0900_ai_ci", "utf8mb4_bin")).build();
        assertEquals(List.of("changed options t", "changed column n", "changed index k", "changed foreign key fk",
                "changed check c"), summary(a, b));
    }

    @Test
    void a_moved_column_is_a_change_with_its_new_place() {
        Schema a = new Schemas().table(create("t", "`a` int", "`b` int", "`c` int")).build();
        Schema b = new Schemas().table(create("t", "`c` int", "`a` int", "`b` int")).build();
        List<Change> changes = SchemaDiff.compare(a, b);
        assertEquals(1, changes.size());
        assertEquals("`c` int AFTER `b`", changes.get(0).before());
        assertEquals("`c` int FIRST", changes.get(0).after());
    }

    @Test
    void views_routines_triggers_and_events_are_compared_by_their_definition() {
        Schema a = new Schemas().object(SchemaObject.Kind.VIEW, "v", null, "CREATE VIEW `v` AS select 1")
                .object(SchemaObject.Kind.PROCEDURE, "p", null, "CREATE PROCEDURE `p`() BEGIN END")
                .object(SchemaObject.Kind.EVENT, "e", null, "CREATE EVENT `e` ON SCHEDULE EVERY 1 DAY DO SELECT 1").build();
        Schema b = new Schemas().object(SchemaObject.Kind.VIEW, "v", null, "CREATE VIEW `v` AS select 2")
                .object(SchemaObject.Kind.PROCEDURE, "p", null, "CREATE PROCEDURE `p`() BEGIN END")
                .object(SchemaObject.Kind.TRIGGER, "g", "t", "CREATE TRIGGER `g` BEFORE INSERT ON `t` FOR EACH ROW SET @a=1")
                .build();
        assertEquals(List.of("dropped event e", "added trigger g", "changed view v"), summary(a, b));
        assertEquals("app.t", SchemaDiff.compare(a, b).get(1).group());
    }

    @Test
    void columns_to_move_are_those_outside_a_longest_common_subsequence() {
        assertEquals(List.of("d"), List.copyOf(SchemaDiff.moved(List.of("a", "b", "c", "d"), List.of("d", "a", "b", "c"))));
        assertEquals(List.of(), List.copyOf(SchemaDiff.moved(List.of("a", "b"), List.of("a", "b"))));
    }
}
