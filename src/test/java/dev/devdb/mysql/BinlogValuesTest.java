package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Binary log cells as devdb shows them. */
class BinlogValuesTest {

    private static Object value(ColumnType type, Serializable v) {
        return BinlogValues.value(type.getCode(), v, false, null);
    }

    @Test
    void dates_and_times_read_as_mysql_prints_them() {
        long noon = 1714564800L * 1_000_000L; // 2024-05-01 12:00:00 UTC
        assertEquals("2024-05-01", value(ColumnType.DATE, noon - 12 * 3600 * 1_000_000L));
        assertEquals("2024-05-01 12:00:00", value(ColumnType.DATETIME_V2, noon));
        assertEquals("2024-05-01 12:00:00.125", value(ColumnType.DATETIME_V2, noon + 125_000));
        assertEquals("2024-05-01T12:00:00Z", value(ColumnType.TIMESTAMP_V2, noon));
        assertEquals("01:02:03.5", value(ColumnType.TIME_V2, 3723_500_000L));
    }

    @Test
    void text_is_text_and_binary_is_hex() {
        assertEquals("zwei ü", value(ColumnType.VARCHAR, "zwei ü".getBytes(StandardCharsets.UTF_8)));
        assertEquals("0x00FF10", value(ColumnType.VARCHAR, new byte[] {0, (byte) 0xff, 0x10}));
        assertNull(value(ColumnType.VARCHAR, null));
    }

    @Test
    void unsigned_integers_are_not_negative() {
        assertEquals(4294967295L, BinlogValues.value(ColumnType.LONG.getCode(), -1, true, null));
        assertEquals(255L, BinlogValues.value(ColumnType.TINY.getCode(), -1, true, null));
        assertEquals(-1, BinlogValues.value(ColumnType.LONG.getCode(), -1, false, null));
        assertEquals(new BigInteger("18446744073709551615"),
                BinlogValues.value(ColumnType.LONGLONG.getCode(), -1L, true, null));
    }

    @Test
    void enums_and_sets_use_their_names() {
        String[] choices = {"a", "b", "c"};
        assertEquals("b", BinlogValues.value(ColumnType.ENUM.getCode(), 2, false, choices));
        assertEquals("a,c", BinlogValues.value(ColumnType.SET.getCode(), 5L, false, choices));
        assertEquals(new BigDecimal("1.50"), value(ColumnType.NEWDECIMAL, new BigDecimal("1.50")));
    }

    @Test
    void a_row_is_named_by_the_table_maps_metadata() {
        TableMapEventData table = new TableMapEventData();
        table.setColumnTypes(new byte[] {(byte) ColumnType.LONG.getCode(), (byte) ColumnType.VARCHAR.getCode(),
                (byte) ColumnType.STRING.getCode()});
        // the third column is an ENUM: real type 247 in the high byte of its metadata
        table.setColumnMetadata(new int[] {0, 80, (247 << 8) | 1});
        TableMapEventMetadata meta = new TableMapEventMetadata();
        meta.setColumnNames(List.of("id", "name", "size"));
        meta.setEnumStrValues(List.<String[]>of(new String[] {"s", "m", "l"}));
        table.setEventMetadata(meta);
        BitSet all = new BitSet();
        all.set(0, 3);
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 7);
        expected.put("name", "seven");
        expected.put("size", "l");
        assertEquals(expected, BinlogValues.row(table, all,
                new Serializable[] {7, "seven".getBytes(StandardCharsets.UTF_8), 3}));

        table.setEventMetadata(null);
        assertEquals(List.of("@1", "@2", "@3"),
                List.copyOf(BinlogValues.row(table, all, new Serializable[] {7, null, 3}).keySet()));
    }
}
