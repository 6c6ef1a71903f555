package dev.devdb.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CreateTableTest {
    private static final String ORDERS = """
            CREATE TABLE `orders` (
              `id` int NOT NULL AUTO_INCREMENT,
              `a``b` varchar(20) COLLATE utf8mb4_bin DEFAULT 'x,y' COMMENT 'it''s',
              `customer_id` int NOT NULL,
              PRIMARY KEY (`id`),
              UNIQUE KEY `uq` (`a``b`),
              KEY `fk_cust` (`customer_id`),
              FULLTEXT KEY `ft` (`a``b`),
              CONSTRAINT `fk_cust` FOREIGN KEY (`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE,
              CONSTRAINT `chk` CHECK ((`customer_id` > 0))
            ) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='a=b, it''s'""";

    @Test
    void every_line_is_sorted_into_columns_indexes_foreign_keys_and_checks() {
        CreateTable t = CreateTable.parse(ORDERS);
        assertEquals(List.of("id", "a`b", "customer_id"), List.copyOf(t.columns().keySet()));
        assertEquals("`a``b` varchar(20) COLLATE utf8mb4_bin DEFAULT 'x,y' COMMENT 'it''s'", t.columns().get("a`b"));
        assertEquals(List.of("PRIMARY", "uq", "fk_cust", "ft"), List.copyOf(t.indexes().keySet()));
        assertEquals("FULLTEXT KEY `ft` (`a``b`)", t.indexes().get("ft"));
        assertEquals(List.of("fk_cust"), List.copyOf(t.foreignKeys().keySet()));
        assertEquals("CONSTRAINT `chk` CHECK ((`customer_id` > 0))", t.checks().get("chk"));
    }

    @Test
    void table_options_are_read_by_name_without_auto_increment() {
        CreateTable t = CreateTable.parse(ORDERS);
        assertEquals(Map.of("ENGINE", "InnoDB", "DEFAULT CHARSET", "utf8mb4", "COLLATE", "utf8mb4_0900_ai_ci",
                "COMMENT", "'a=b, it''s'"), t.options());
        assertFalse(t.tail().contains("AUTO_INCREMENT"));
    }

    @Test
    void partitioning_is_kept_as_one_option() {
        CreateTable t = CreateTable.parse("CREATE TABLE `p` (\n  `id` int NOT NULL\n) ENGINE=InnoDB\n"
                + "/*!50100 PARTITION BY HASH (`id`)\nPARTITIONS 4 */");
        assertEquals("/*!50100 PARTITION BY HASH (`id`)\nPARTITIONS 4 */", t.options().get("PARTITION"));
    }
}
