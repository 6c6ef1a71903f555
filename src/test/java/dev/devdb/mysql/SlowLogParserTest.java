package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlowLogParserTest {

    /** As MySQL 9.7 wrote it here, banners of the initialisation servers included. */
    static final String MYSQL = """
            /usr/sbin/mysqld, Version: 9.7.4-2 ((Debian)). started with:
            Tcp port: 0  Unix socket: /var/run/mysqld/mysqld.sock
            Time                 Id Command    Argument
            /usr/sbin/mysqld, Version: 9.7.4-2 ((Debian)). started with:
            Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
            Time                 Id Command    Argument
            # Time: 2026-11-25T11:11:02.293745Z
            # User@Host: root[root] @ localhost []  Id:    10
            # Query_time: 0.301158  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1
            SET timestamp=1795605061;
            SELECT SLEEP(0.3);
            # Time: 2026-11-25T11:11:09.153233Z
            # User@Host: app[app] @  [172.17.0.1]  Id:    18
            # Query_time: 0.200283  Lock_time: 0.000100 Rows_sent: 3  Rows_examined: 1000
            use app;
            SET timestamp=1795605068;
            select sleep(0.2) /* c1 */ , 'it''s', 0x1F;
            # Time: 2026-11-25T11:11:09.305506Z
            # User@Host: root[root] @ localhost []  Id:    18
            # Query_time: 0.152193  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1
            SET timestamp=1795605069;
            select sleep(0.15)
            , 2;
            """;

    /** As MariaDB 10.11 wrote it here: no # Time: when the second did not change. */
    static final String MARIADB = """
            mariadbd, Version: 10.11.18-MariaDB-0+deb12u1-log (Debian 12). started with:
            Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock
            Time		    Id Command	Argument
            # Time: 261125 11:11:02
            # User@Host: root[root] @ localhost []
            # Thread_id: 4  Schema:   QC_hit: No
            # Query_time: 0.300159  Lock_time: 0.000000  Rows_sent: 1  Rows_examined: 0
            # Rows_affected: 0  Bytes_sent: 67
            SET timestamp=1795605062;
            SELECT SLEEP(0.3);
            # Time: 261125 11:11:09
            # User@Host: app[app] @ localhost []
            # Thread_id: 12  Schema: app  QC_hit: No
            # Query_time: 0.200152  Lock_time: 0.000000  Rows_sent: 1  Rows_examined: 0
            # Rows_affected: 0  Bytes_sent: 136
            use `app`;
            SET timestamp=1795605069;
            select sleep(0.2)  , 'it''s', 0x1F;
            # User@Host: root[root] @ localhost []
            # Thread_id: 12  Schema: app  QC_hit: No
            # Query_time: 0.150207  Lock_time: 0.000000  Rows_sent: 1  Rows_examined: 0
            # Rows_affected: 0  Bytes_sent: 98
            select sleep(0.15)
            , 2;
            """;

    @Test
    void reads_mysql_entries_with_their_header_fields() {
        List<SlowQuery> q = SlowLogParser.parse(MYSQL, ZoneOffset.UTC);
        assertEquals(3, q.size(), q::toString);
        SlowQuery first = q.get(0);
        assertEquals("SELECT SLEEP(0.3)", first.sql());
        assertEquals(0.301158, first.queryTime(), 1e-9);
        assertEquals("root", first.user());
        assertEquals("localhost", first.host());
        assertEquals(10L, first.threadId());
        assertEquals(Instant.ofEpochSecond(1795605061), first.time());
        assertNull(first.database());
        SlowQuery second = q.get(1);
        assertEquals("app", second.database());
        assertEquals("app", second.user());
        assertEquals("172.17.0.1", second.host());
        assertEquals(3, second.rowsSent());
        assertEquals(1000, second.rowsExamined());
        assertEquals(0.0001, second.lockTime(), 1e-12);
        assertEquals("select sleep(0.2) /* c1 */ , 'it''s', 0x1F", second.sql());
        assertEquals("select sleep(0.15)\n, 2", q.get(2).sql());
        assertEquals("app", q.get(2).database(), "MySQL writes use only when the database changes");
        assertEquals(List.of("# Time: 2026-11-25T11:11:09.305506Z",
                "# User@Host: root[root] @ localhost []  Id:    18",
                "# Query_time: 0.152193  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1",
                "SET timestamp=1795605069;", "select sleep(0.15)", ", 2;"), q.get(2).lines());
    }

    @Test
    void reads_mariadb_entries_including_one_without_its_own_time_line() {
        List<SlowQuery> q = SlowLogParser.parse(MARIADB, ZoneOffset.UTC);
        assertEquals(3, q.size(), q::toString);
        assertNull(q.get(0).database(), "an empty Schema: is no database");
        assertEquals(4L, q.get(0).threadId());
        assertEquals("No", q.get(0).attributes().get("QC_hit"));
        assertEquals("67", q.get(0).attributes().get("Bytes_sent"));
        assertEquals("0", q.get(0).attributes().get("Rows_affected"));
        assertEquals("app", q.get(1).database());
        assertEquals(0.150207, q.get(2).queryTime(), 1e-9);
        assertEquals("app", q.get(2).database(), "Schema: names the database when no use line comes");
        assertEquals("select sleep(0.15)\n, 2", q.get(2).sql());
        // no SET timestamp and no # Time: of its own: the time of the entry before it
        assertEquals(Instant.parse("2026-11-25T11:11:09Z"), q.get(2).time());
    }

    @Test
    void the_time_line_is_read_in_the_servers_zone_when_it_has_none() {
        String log = """
                # Time: 261125  1:02:03
                # User@Host: a[a] @ h []
                # Query_time: 1.5  Lock_time: 0  Rows_sent: 0  Rows_examined: 0
                select 1;
                """;
        SlowQuery q = SlowLogParser.parse(log, ZoneOffset.ofHours(2)).get(0);
        assertEquals(Instant.parse("2026-11-24T23:02:03Z"), q.time());
    }

    @Test
    void reads_mysql_log_slow_extra_fields_and_admin_commands() {
        String log = """
                # Time: 2026-11-25T10:00:00.000001+01:00
                # User@Host: app[app] @ localhost []  Id:     8
                # Query_time: 2.000000  Lock_time: 0.000001 Rows_sent: 0  Rows_examined: 0 Thread_id: 8 Errno: 0 Killed: 0 Bytes_received: 0 Bytes_sent: 0 Read_first: 0 Start: 2026-11-25T08:59:58.000000Z End: 2026-11-25T09:00:00.000000Z
                # administrator command: Quit;
                """;
        SlowQuery q = SlowLogParser.parse(log, ZoneOffset.UTC).get(0);
        assertEquals("administrator command: Quit", q.sql());
        assertEquals(Instant.parse("2026-11-25T09:00:00.000001Z"), q.time());
        assertEquals("2026-11-25T08:59:58.000000Z", q.attributes().get("Start"));
        assertEquals("0", q.attributes().get("Errno"));
        assertEquals(8L, q.threadId());
        assertEquals("administrator command: quit", Fingerprint.of(q.sql()));
    }

    @Test
    void a_hash_line_inside_a_statement_belongs_to_it() {
        String log = """
                # Time: 2026-11-25T11:00:00Z
                # User@Host: a[a] @ localhost []  Id: 1
                # Query_time: 1  Lock_time: 0 Rows_sent: 0  Rows_examined: 0
                SET timestamp=1795604400;
                select a,
                # the b column
                b from t;
                # Time: 2026-11-25T11:00:01Z
                # User@Host: a[a] @ localhost []  Id: 1
                # Query_time: 2  Lock_time: 0 Rows_sent: 0  Rows_examined: 0
                SET timestamp=1795604401;
                select 2;
                """;
        List<SlowQuery> q = SlowLogParser.parse(log, ZoneOffset.UTC);
        assertEquals(2, q.size());
        assertEquals("select a,\n# the b column\nb from t", q.get(0).sql());
        assertEquals("select a, b from t", Fingerprint.of(q.get(0).sql()));
    }

    @Test
    void mariadb_explain_and_plan_lines_are_header_not_statement() {
        String log = """
                # Time: 261125 11:00:00
                # User@Host: a[a] @ localhost []
                # Thread_id: 9  Schema: shop  QC_hit: No
                # Query_time: 0.5  Lock_time: 0.1  Rows_sent: 10  Rows_examined: 5000
                # Rows_affected: 0  Bytes_sent: 300
                # Full_scan: Yes  Full_join: No  Tmp_table: No  Tmp_table_on_disk: No
                # Filesort: Yes  Filesort_on_disk: No  Merge_passes: 0  Priority_queue: No
                #
                # explain: id	select_type	table	type	possible_keys	key	key_len	ref	rows	r_rows	filtered	r_filtered	Extra
                # explain: 1	SIMPLE	t	ALL	NULL	NULL	NULL	NULL	5000	5000.00	100.00	100.00	Using filesort
                #
                SET timestamp=1795604400;
                select * from t order by x limit 10;
                """;
        SlowQuery q = SlowLogParser.parse(log, ZoneOffset.UTC).get(0);
        assertEquals("select * from t order by x limit 10", q.sql());
        assertEquals("Yes", q.attributes().get("Full_scan"));
        assertEquals("Yes", q.attributes().get("Filesort"));
        assertEquals(5000, q.rowsExamined());
        assertEquals("shop", q.database());
        assertTrue(q.attributes().keySet().stream().noneMatch(k -> k.equals("explain")), q.attributes()::toString);
    }

    @Test
    void a_server_restart_banner_in_the_middle_ends_the_entry_before_it() {
        String log = MYSQL.lines().limit(11).reduce("", (a, b) -> a + b + "\n")
                + "/usr/sbin/mysqld, Version: 9.7.4-2 ((Debian)). started with:\n"
                + "Tcp port: 3306  Unix socket: /var/run/mysqld/mysqld.sock\n"
                + "Time                 Id Command    Argument\n";
        log += "# Time: 2026-11-25T11:11:09.305506Z\n# User@Host: root[root] @ localhost []  Id:    18\n"
                + "# Query_time: 0.152193  Lock_time: 0.000000 Rows_sent: 1  Rows_examined: 1\nselect 2;\n";
        List<SlowQuery> q = SlowLogParser.parse(log.replace("SET timestamp=1795605061;", "use shop;\nSET timestamp=1795605061;"),
                ZoneOffset.UTC);
        assertEquals(2, q.size());
        assertEquals("SELECT SLEEP(0.3)", q.get(0).sql());
        assertEquals("shop", q.get(0).database());
        assertNull(q.get(1).database(), "a restarted server starts without a database");
    }

    @Test
    void a_log_cut_in_the_middle_of_an_entry_still_yields_what_is_there() {
        String log = "Rows_examined: 1\nselect 1;\n# Time: 2026-11-25T11:00:00Z\n# User@Host: a[a] @ x []  Id: 1\n";
        List<SlowQuery> q = SlowLogParser.parse(log, ZoneOffset.UTC);
        assertEquals(2, q.size(), q::toString);
        assertEquals("Rows_examined: 1\nselect 1", q.get(0).sql());
        assertEquals("", q.get(1).sql());
        assertEquals("a", q.get(1).user());
    }

    @Test
    void streaming_gives_entries_as_soon_as_the_next_one_starts() {
        List<SlowQuery> seen = new ArrayList<>();
        SlowLogParser p = new SlowLogParser(ZoneOffset.UTC, false, seen::add);
        MYSQL.lines().limit(13).forEach(p::accept);
        assertEquals(1, seen.size());
        assertTrue(seen.get(0).lines().isEmpty(), "lines are not kept when not asked for");
        MYSQL.lines().skip(13).forEach(p::accept);
        assertEquals(2, seen.size());
        p.finish();
        assertEquals(3, seen.size());
    }
}
