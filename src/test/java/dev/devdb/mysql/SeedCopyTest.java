package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SeedCopyTest {
    private static final SeedCopy.State STATE = new SeedCopy.State(List.of(new SeedCopy.Database("app",
            " /*!40100 DEFAULT CHARACTER SET utf8mb4 */", List.of(new SeedCopy.Table("items",
                    " (`id` int NOT NULL) ENGINE=InnoDB", "`id`")),
            List.of(new SeedCopy.Routine("VIEW", "names", "CREATE ALGORITHM=UNDEFINED VIEW `names` AS select 1 AS `n`",
                            "", "utf8mb4", "utf8mb4_0900_ai_ci", "", List.of("n")),
                    new SeedCopy.Routine("TRIGGER", "items_ai", "CREATE TRIGGER `items_ai` AFTER INSERT ON `items` FOR EACH"
                            + " ROW BEGIN SET @a = 1; SET @b = 'it''s'; END", "STRICT_TRANS_TABLES", "utf8mb4",
                            "utf8mb4_0900_ai_ci", "", List.of())))), null);

    @Test
    void the_reset_a_client_sends_statement_by_statement_is_the_client_script_less_its_last_call() {
        List<String> fromScript = new ArrayList<>();
        SqlScript.split(SeedCopy.resetScript(STATE)).forEach(s -> fromScript.add(s.sql()));
        List<String> sent = new ArrayList<>(SeedCopy.RESET_BEGIN);
        SqlScript.split(SeedCopy.objectScript(STATE)).forEach(s -> sent.add(s.sql()));
        sent.add("CALL `_devdb`.`reset_end`()");
        assertEquals(fromScript, sent);
        assertTrue(sent.stream().anyMatch(s -> s.startsWith("CREATE TRIGGER") && s.endsWith("END")), sent::toString);
    }

    @Test
    void up_records_each_statement_after_reset_begin_in_order() {
        String record = SeedCopy.recordScript(STATE);
        List<SqlScript.Statement> objects = SqlScript.split(SeedCopy.objectScript(STATE));
        assertTrue(objects.size() > 3, objects::toString);
        for (int i = 0; i < objects.size(); i++) {
            String insert = "INSERT INTO `_devdb`.`reset_statement` VALUES (" + (i + 1) + ", "
                    + Sql.literal(objects.get(i).sql()) + ");";
            assertTrue(record.contains(insert), insert);
        }
        assertTrue(SeedCopy.installScript().contains("CREATE TABLE `_devdb`.`reset_statement`"));
    }
}
