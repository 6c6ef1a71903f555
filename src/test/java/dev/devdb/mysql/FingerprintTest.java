package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FingerprintTest {

    private static void same(String a, String b) {
        assertEquals(Fingerprint.of(a), Fingerprint.of(b), () -> a + "  vs  " + b);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            SELECT * FROM t WHERE id = 42                          | select * from t where id = ?
            select * from t where name = 'O''Brien'                | select * from t where name = ?
            select * from t where name = 'it\\'s' and x = "y"      | select * from t where name = ? and x = ?
            SELECT 1.5, .5, 1e10, 2.5E-3, -7, +3                   | select ?, ?, ?, ?, ?, ?
            select 0x1F, X'1f', b'0101', 0b11, N'text', _utf8mb4'x' | select ?, ?, ?, ?, ?, ?
            select _latin1 'x'                                     | select ?
            SELECT SLEEP(0.3)                                      | select sleep(?)
            select count(*) from t                                 | select count(*) from t
            select t.* from t                                      | select t.* from t
            select * from t where a - 1 > 0                        | select * from t where a - ? > ?
            select * from t where a = -1 and b = - 2               | select * from t where a = ? and b = ?
            select abs(-1), 3-1, (1)-1                             | select abs(?), ? - ?, (?) - ?
            select * from t limit 10, 20                           | select * from t limit ?, ?
            select * from t limit 10 offset 20                     | select * from t limit ? offset ?
            select * from t1 join t2 on t1.id=t2.t1_id             | select * from t1 join t2 on t1.id = t2.t1_id
            select c1, col_2, 1abc from db1.t9                     | select c1, col_2, 1abc from db1.t9
            select * from t where id in (1, 2, 3)                  | select * from t where id in(?+)
            select * from t where id in (1)                        | select * from t where id in(?+)
            select * from t where id not in ('a','b')              | select * from t where id not in(?+)
            select * from t where (a,b) in ((1,2),(3,4))           | select * from t where (a, b) in(?+)
            select * from t where id in (select id from u where x=1) | select * from t where id in(select id from u where x = ?)
            insert into t values (1,'a'),(2,'b'),(3,'c')           | insert into t values(?+)
            INSERT INTO t (a, b) VALUES (1, NOW()), (2, NOW())     | insert into t(a, b) values(?+)
            insert into t(a) values(1) on duplicate key update a = values(a) + 1 | insert into t(a) values(?+) on duplicate key update a = values(a) + ?
            replace into t value (1)                               | replace into t value(?+)
            values row(1,2), row(3,4)                              | values row(?+)
            select /* app:login */ 1 -- trailing\\n                 | select ?
            select 1 # hash comment                                | select ?
            select a--1 from t                                     | select a - ? from t
            select `id`, `order`, `Weird Name` from `T`            | select id, order, `weird name` from t
            select @x := 5, @@global.sort_buffer_size, @@session.sql_mode | select @x := ?, @@global.sort_buffer_size, @@session.sql_mode
            select * from t where a is not null and b = null and c = true | select * from t where a is not null and b = null and c = true
            select * from t where d > date '2026-01-01' + interval 1 day | select * from t where d > date ? + interval ? day
            select * from t where x = ?                            | select * from t where x = ?
            select a from t where b like 'x%' escape '!'           | select a from t where b like ? escape ?
            update t set a=a+1, b='x' where id=7;                  | update t set a = a + ?, b = ? where id = ?
            select * from (select 1) as d where exists (select 1)  | select * from (select ?) as d where exists (select ?)
            select a from t where x = 1 and (y = 2 or z = 3)       | select a from t where x = ? and (y = ? or z = ?)
            call proc(1, 'a')                                      | call proc(?, ?)
            select j->>'$.a', j->'$.b' from t                      | select j ->> ?, j -> ? from t
            # administrator command: Quit;                         | administrator command: quit
            administrator command: Prepare                         | administrator command: prepare
            """)
    void normalises(String sql, String expected) {
        assertEquals(expected, Fingerprint.of(sql.replace("\\n", "\n")));
    }

    @Test
    void spacing_case_comments_and_literals_do_not_split_a_class() {
        same("SELECT * FROM orders WHERE id=1", "select  *\n  from orders\twhere id = 2  ;");
        same("select * from t where a=1 /* x */", "/* y */ SELECT * FROM T WHERE A = 99");
        same("select * from t where id in (1,2,3)", "select * from t where id in (4)");
        same("insert into t values (1),(2)", "INSERT INTO t VALUES (3)");
        same("select * from t where s = 'a;b'", "select * from t where s = \"c\"");
    }

    @Test
    void different_shapes_stay_apart() {
        assertNotEquals(Fingerprint.of("select * from t where a = 1"), Fingerprint.of("select * from t where b = 1"));
        assertNotEquals(Fingerprint.of("select * from t1"), Fingerprint.of("select * from t2"));
        assertNotEquals(Fingerprint.of("select a - 1 from t"), Fingerprint.of("select a + 1 from t"));
    }

    @Test
    void strings_hide_what_looks_like_sql_or_comments() {
        assertEquals("select ?, ?", Fingerprint.of("select '/* not a comment */', 'in (1,2)'"));
        assertEquals("select ? from t", Fingerprint.of("select 'it''s -- fine' from t"));
        assertEquals("select ?", Fingerprint.of("select 'unterminated"));
    }

    @Test
    void multi_line_statements_fold_to_one_line() {
        assertEquals("select a, b from t where x = ? order by a",
                Fingerprint.of("SELECT a,\n       b\nFROM t\n-- why\nWHERE x = 5\nORDER BY a"));
    }

    @Test
    void id_is_sixteen_hex_digits_and_stable() {
        String id = Fingerprint.id("select sleep(?)");
        assertTrue(id.matches("[0-9A-F]{16}"), id);
        assertEquals(id, Fingerprint.id(Fingerprint.of("SELECT SLEEP(1)")));
        assertNotEquals(id, Fingerprint.id("select ?"));
    }
}
