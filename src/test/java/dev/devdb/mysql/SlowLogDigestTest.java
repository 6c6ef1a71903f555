package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SlowLogDigestTest {

    private static SlowQuery q(String sql, double time, long examined, long sent, String db, long epoch) {
        return new SlowQuery(Instant.ofEpochSecond(epoch), "app", "localhost", 1L, db, time, 0.001, sent, examined,
                Map.of(), sql, List.of());
    }

    @Test
    void groups_by_fingerprint_and_ranks_by_total_time() {
        SlowLogDigest d = new SlowLogDigest();
        d.add(q("select * from t where id = 1", 0.5, 100, 1, "shop", 100));
        d.add(q("SELECT * FROM t WHERE id=2", 1.5, 300, 1, "shop", 300));
        d.add(q("select * from t where id = 3", 1.0, 200, 0, "other", 200));
        d.add(q("select sleep(2)", 2.0, 0, 1, null, 150));
        d.add(q("update t set a = 1 where id in (1,2,3)", 0.2, 3, 0, "shop", 120));
        d.add(q("update t set a = 5 where id in (9)", 0.2, 1, 0, "shop", 130));
        d.add(q("   ", 9, 0, 0, null, 1));

        SlowLogDigest.Report r = d.report(SlowLogDigest.Order.TOTAL);
        assertEquals(6, r.queries());
        assertEquals(5.4, r.totalTime(), 1e-9);
        assertEquals(Instant.ofEpochSecond(100), r.from());
        assertEquals(Instant.ofEpochSecond(300), r.to());
        assertEquals(3, r.classes().size());

        QueryClass top = r.classes().get(0);
        assertEquals("select * from t where id = ?", top.fingerprint());
        assertEquals(3, top.count());
        assertEquals(3.0, top.totalTime(), 1e-9);
        assertEquals(1.0, top.avgTime(), 1e-9);
        assertEquals(0.5, top.minTime(), 1e-9);
        assertEquals(1.5, top.maxTime(), 1e-9);
        assertEquals(1.5, top.p95Time(), 1e-9);
        assertEquals(600, top.rowsExamined());
        assertEquals(200, top.avgRowsExamined(), 1e-9);
        assertEquals(2, top.rowsSent());
        assertEquals(0.003, top.lockTime(), 1e-9);
        assertEquals("SELECT * FROM t WHERE id=2", top.example(), "the slowest execution is the example");
        assertEquals(List.of("shop", "other"), top.databases());
        assertEquals(List.of("app@localhost"), top.users());
        assertEquals(Instant.ofEpochSecond(100), top.firstSeen());
        assertEquals(Instant.ofEpochSecond(300), top.lastSeen());
        assertEquals(Fingerprint.id(top.fingerprint()), top.id());

        assertEquals("select sleep(?)", r.classes().get(1).fingerprint());
        QueryClass update = r.classes().get(2);
        assertEquals("update t set a = ? where id in(?+)", update.fingerprint());
        assertEquals(2, update.count());
    }

    @Test
    void other_orders_rank_by_their_measure() {
        SlowLogDigest d = new SlowLogDigest();
        d.add(q("select 1", 3.0, 1, 1, null, 1));
        d.add(q("select a from b", 0.1, 9000, 1, null, 1));
        d.add(q("select a from b", 0.1, 9000, 1, null, 1));
        assertEquals("select ?", d.report(SlowLogDigest.Order.TOTAL).classes().get(0).fingerprint());
        assertEquals("select a from b", d.report(SlowLogDigest.Order.COUNT).classes().get(0).fingerprint());
        assertEquals("select a from b", d.report(SlowLogDigest.Order.EXAMINED).classes().get(0).fingerprint());
        assertEquals("select ?", d.report(SlowLogDigest.Order.MAX).classes().get(0).fingerprint());
        assertEquals("select ?", d.report(SlowLogDigest.Order.AVG).classes().get(0).fingerprint());
    }

    @Test
    void p95_is_the_nearest_rank() {
        SlowLogDigest d = new SlowLogDigest();
        for (int i = 1; i <= 40; i++) {
            d.add(q("select " + i, i / 10.0, 0, 0, null, i));
        }
        QueryClass c = d.report(SlowLogDigest.Order.TOTAL).classes().get(0);
        assertEquals(40, c.count());
        assertEquals(3.8, c.p95Time(), 1e-9);
        assertEquals(4.0, c.maxTime(), 1e-9);
        assertEquals(0.1, c.minTime(), 1e-9);
    }

    @Test
    void both_flavours_logs_give_the_same_classes() {
        for (String log : List.of(SlowLogParserTest.MYSQL, SlowLogParserTest.MARIADB)) {
            SlowLogDigest d = new SlowLogDigest();
            SlowLogParser.parse(log, ZoneOffset.UTC).forEach(d::add);
            SlowLogDigest.Report r = d.report(SlowLogDigest.Order.TOTAL);
            assertEquals(3, r.queries());
            assertEquals(List.of("select sleep(?)", "select sleep(?), ?, ?", "select sleep(?), ?"),
                    r.classes().stream().map(QueryClass::fingerprint).toList());
            assertEquals(List.of(1L, 1L, 1L), r.classes().stream().map(QueryClass::count).toList());
        }
    }
}
