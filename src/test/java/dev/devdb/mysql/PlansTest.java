package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.mysql.Outcome.PlanStep;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Plans as MySQL 9.7 and MariaDB 11.8 wrote them for the same join (resources/plans). */
class PlansTest {
    private static String plan(String name) throws IOException {
        try (InputStream in = PlansTest.class.getResourceAsStream("/plans/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void mysql_and_mariadb_plans_of_the_same_join_reduce_to_the_same_steps() throws IOException {
        List<PlanStep> expected = List.of(new PlanStep("p", "ref", "ka", 1L), new PlanStep("c", "ref", "kp", 1L));

        assertEquals(expected, Plans.reduce(plan("mysql-9.7-v1.json")));
        assertEquals(expected, Plans.reduce(plan("mariadb-11.8.json")));
    }

    @Test
    void mysql_9_format_version_2_is_read_with_its_own_names() throws IOException {
        assertEquals(List.of(new PlanStep("p", "index", "ka", 1L), new PlanStep("c", "index", "kp", 1L)),
                Plans.reduce(plan("mysql-9.7-v2.json")));
    }

    @Test
    void a_plan_without_tables_has_no_steps_and_subqueries_follow_their_table() {
        assertEquals(List.of(), Plans.reduce("{\"query_block\": {\"select_id\": 1, \"message\": \"No tables used\"}}"));
        assertEquals(List.of(new PlanStep("t", "ALL", null, 5L), new PlanStep("u", "eq_ref", "PRIMARY", 1L)),
                Plans.reduce("{\"query_block\":{\"table\":{\"table_name\":\"t\",\"access_type\":\"ALL\",\"rows\":5,"
                        + "\"attached_subqueries\":[{\"query_block\":{\"table\":{\"table_name\":\"u\","
                        + "\"access_type\":\"eq_ref\",\"key\":\"PRIMARY\",\"rows_examined_per_scan\":1}}}]}}}"));
    }

    @Test
    void statements_that_read_tables_are_explained() {
        assertTrue(Plans.explainable("SELECT 1"));
        assertTrue(Plans.explainable("  (SELECT a FROM t) UNION (SELECT b FROM u)"));
        assertTrue(Plans.explainable("with x as (select 1) select * from x"));
        assertTrue(Plans.explainable("UPDATE t SET a = 1"));
        assertTrue(Plans.explainable("INSERT INTO t\nSELECT * FROM u"));
        assertFalse(Plans.explainable("INSERT INTO t VALUES (1)"));
        assertFalse(Plans.explainable("CREATE TABLE t (a INT)"));
        assertFalse(Plans.explainable("SELECTION"));
    }

    @Test
    void steps_read_as_one_line() {
        assertEquals("t: ref on ka, 3 rows", Plans.describe(new PlanStep("t", "ref", "ka", 3L)));
        assertEquals("t: ALL, 1 row", Plans.describe(new PlanStep("t", "all", null, 1L)));
        assertEquals("t", Plans.describe(new PlanStep("t", null, null, null)));
    }
}
