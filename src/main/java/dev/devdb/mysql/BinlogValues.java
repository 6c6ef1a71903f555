package dev.devdb.mysql;

import com.github.shyiko.mysql.binlog.event.TableMapEventData;
import com.github.shyiko.mysql.binlog.event.TableMapEventMetadata;
import com.github.shyiko.mysql.binlog.event.deserialization.ColumnType;
import com.github.shyiko.mysql.binlog.event.deserialization.json.JsonBinary;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the cells of a binary log row event into plain values: numbers, text, and date and time
 * strings as MySQL prints them. Binary data that is not UTF-8 text becomes {@code 0x...}. Column
 * names come from the table map's metadata ({@code binlog_row_metadata=FULL}); without it columns
 * are called {@code @1}, {@code @2}, ...
 *
 * <p>The deserializer runs with DATE_AND_TIME_AS_LONG_MICRO and CHAR_AND_BINARY_AS_BYTE_ARRAY.
 */
final class BinlogValues {
    private BinlogValues() {}

    /** A row as column name to value, in column order; only the columns the event carries. */
    static Map<String, Object> row(TableMapEventData table, BitSet included, Serializable[] cells) {
        TableMapEventMetadata meta = table.getEventMetadata();
        List<String> names = meta == null ? null : meta.getColumnNames();
        byte[] types = table.getColumnTypes();
        int[] metadata = table.getColumnMetadata();
        List<String[]> enums = meta == null || meta.getEnumStrValues() == null ? List.of() : meta.getEnumStrValues();
        List<String[]> sets = meta == null || meta.getSetStrValues() == null ? List.of() : meta.getSetStrValues();
        BitSet unsigned = meta == null || meta.getSignedness() == null ? new BitSet() : meta.getSignedness();
        Map<String, Object> row = new LinkedHashMap<>();
        int cell = 0;
        int enumIndex = 0;
        int setIndex = 0;
        for (int i = 0; i < types.length; i++) {
            int type = realType(types[i] & 0xFF, metadata[i]);
            String[] choices = null;
            if (type == ColumnType.ENUM.getCode()) {
                choices = enumIndex < enums.size() ? enums.get(enumIndex) : null;
                enumIndex++;
            } else if (type == ColumnType.SET.getCode()) {
                choices = setIndex < sets.size() ? sets.get(setIndex) : null;
                setIndex++;
            }
            if (!included.get(i)) {
                continue;
            }
            String name = names != null && i < names.size() && names.get(i) != null ? names.get(i) : "@" + (i + 1);
            Serializable value = cell < cells.length ? cells[cell] : null;
            cell++;
            row.put(name, value(type, value, unsigned.get(i), choices));
        }
        return row;
    }

    /** The column's type as the row data is written: CHAR, ENUM and SET share one type code in the table map. */
    static int realType(int type, int meta) {
        if (type == ColumnType.STRING.getCode() && meta >= 256) {
            int meta0 = meta >> 8;
            if ((meta0 & 0x30) != 0x30) {
                return meta0 | 0x30;
            }
            if (meta0 == ColumnType.ENUM.getCode() || meta0 == ColumnType.SET.getCode()) {
                return meta0;
            }
        }
        return type;
    }

    /** One cell as a plain value. */
    static Object value(int type, Serializable v, boolean unsigned, String[] choices) {
        if (v == null) {
            return null;
        }
        ColumnType t = ColumnType.byCode(type);
        if (t == null) {
            return v instanceof byte[] b ? bytes(b) : v.toString();
        }
        switch (t) {
            case TINY, SHORT, INT24, LONG:
                if (unsigned && v instanceof Integer n && n < 0) {
                    int bits = t == ColumnType.TINY ? 8 : t == ColumnType.SHORT ? 16 : t == ColumnType.INT24 ? 24 : 32;
                    return n.longValue() & ((1L << bits) - 1);
                }
                return v;
            case LONGLONG:
                if (unsigned && v instanceof Long n && n < 0) {
                    return new BigInteger(Long.toUnsignedString(n));
                }
                return v;
            case DATE:
            case NEWDATE:
                return v instanceof Long micros ? LocalDate.ofEpochDay(Math.floorDiv(micros, 86_400_000_000L)).toString()
                        : v.toString();
            case DATETIME:
            case DATETIME_V2:
                return v instanceof Long micros ? dateTime(micros) : v.toString();
            case TIMESTAMP:
            case TIMESTAMP_V2:
                return v instanceof Long micros ? Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                        Math.floorMod(micros, 1_000_000L) * 1000).toString() : v.toString();
            case TIME:
            case TIME_V2:
                return v instanceof Long micros ? time(micros) : v.toString();
            case BIT:
                if (v instanceof BitSet bits) {
                    long[] words = bits.toLongArray();
                    return words.length == 0 ? 0L : words[0];
                }
                return v;
            case ENUM:
                if (v instanceof Integer index && choices != null) {
                    return index >= 1 && index <= choices.length ? choices[index - 1] : "";
                }
                return v;
            case SET:
                if (v instanceof Long mask && choices != null) {
                    List<String> members = new ArrayList<>();
                    for (int i = 0; i < choices.length && i < 64; i++) {
                        if ((mask & (1L << i)) != 0) {
                            members.add(choices[i]);
                        }
                    }
                    return String.join(",", members);
                }
                return v;
            case JSON:
                if (v instanceof byte[] b) {
                    try {
                        return JsonBinary.parseAsString(b);
                    } catch (IOException | RuntimeException e) {
                        return bytes(b);
                    }
                }
                return v.toString();
            default:
                if (v instanceof byte[] b) {
                    return bytes(b);
                }
                if (v instanceof Number || v instanceof String) {
                    return v;
                }
                return v.toString();
        }
    }

    /** UTF-8 text when the bytes are that, otherwise {@code 0x} and hex digits. */
    static String bytes(byte[] b) {
        try {
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b)).toString();
            boolean printable = text.chars().allMatch(c -> c >= 0x20 || c == '\t' || c == '\n' || c == '\r');
            if (printable) {
                return text;
            }
        } catch (CharacterCodingException e) {
            // binary
        }
        return "0x" + HexFormat.of().withUpperCase().formatHex(b);
    }

    private static String dateTime(long micros) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(Math.floorDiv(micros, 1_000_000L),
                (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
        String s = t.toLocalDate() + " " + String.format("%02d:%02d:%02d", t.getHour(), t.getMinute(), t.getSecond());
        return t.getNano() == 0 ? s : s + fraction(t.getNano() / 1000);
    }

    private static String time(long micros) {
        String sign = micros < 0 ? "-" : "";
        long m = Math.abs(micros);
        long seconds = m / 1_000_000L;
        String s = String.format("%s%02d:%02d:%02d", sign, seconds / 3600, seconds / 60 % 60, seconds % 60);
        return m % 1_000_000L == 0 ? s : s + fraction((int) (m % 1_000_000L));
    }

    private static String fraction(int micros) {
        String digits = String.format(".%06d", micros);
        while (digits.endsWith("0")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        return digits;
    }
}
