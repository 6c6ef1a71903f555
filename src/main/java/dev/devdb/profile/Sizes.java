package dev.devdb.profile;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses memory sizes ({@code 512m}, {@code 1.5GiB}) and CPU counts ({@code 1.5}). */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");
    private static final BigDecimal MAX = BigDecimal.valueOf(Long.MAX_VALUE);

    private Sizes() {}

    /** Bytes, or null when the text is not a size or too large for a long. Units are binary: 1m = 1 MiB. */
    public static Long bytes(String text) {
        Matcher m = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            return null;
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> 0;
        };
        BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        return value.compareTo(MAX) > 0 ? null : value.longValue();
    }

    /**
     * Billionths of a CPU, or null when the text is not a number, or is one that comes to less than
     * one billionth or to more than a long holds.
     */
    public static Long nanoCpus(String text) {
        try {
            BigDecimal nanos = new BigDecimal(text.trim()).movePointRight(9);
            if (nanos.compareTo(BigDecimal.ONE) < 0 || nanos.compareTo(MAX) > 0) {
                return null;
            }
            return nanos.longValue();
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }
}
