package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class SqlSessionTest {
    private static final int UTF8MB4 = 255;
    private static final int BINARY = 63;

    @Test
    void column_types_are_named_as_sql_names_them() {
        assertEquals("BIGINT", SqlSession.typeName(8, 0, BINARY, 21));
        assertEquals("INT UNSIGNED", SqlSession.typeName(3, 32, BINARY, 10));
        assertEquals("DECIMAL", SqlSession.typeName(246, 0, BINARY, 4));
        assertEquals("JSON", SqlSession.typeName(245, 0, UTF8MB4, 4_294_967_295L));
        assertEquals("VARCHAR", SqlSession.typeName(253, 0, UTF8MB4, 40));
        assertEquals("VARBINARY", SqlSession.typeName(253, 0, BINARY, 2));
        assertEquals("ENUM", SqlSession.typeName(254, 256, UTF8MB4, 4));
        assertEquals("CHAR", SqlSession.typeName(254, 0, UTF8MB4, 4));
        assertEquals("LONGTEXT", SqlSession.typeName(252, 0, UTF8MB4, 4_294_967_295L));
        assertEquals("TEXT", SqlSession.typeName(252, 0, UTF8MB4, 65_535));
        assertEquals("MEDIUMBLOB", SqlSession.typeName(252, 0, BINARY, 16_777_215));
        assertEquals("TINYBLOB", SqlSession.typeName(252, 0, BINARY, 255));
    }

    @Test
    void errors_carry_code_sqlstate_and_message() {
        Outcome.Condition e = SqlSession.error(new byte[] {(byte) 0xff, 0x7a, 0x04, '#', '4', '2', 'S', '0', '2',
            'n', 'o', ' ', 't'});
        assertEquals(new Outcome.Condition("Error", 1146, "42S02", "no t"), e);
    }

    @Test
    void an_error_without_sqlstate_has_none() {
        Outcome.Condition e = SqlSession.error(new byte[] {(byte) 0xff, 0x10, 0x04, 'x'});
        assertEquals(1040, e.code());
        assertNull(e.sqlState());
        assertEquals("x", e.message());
    }
}
