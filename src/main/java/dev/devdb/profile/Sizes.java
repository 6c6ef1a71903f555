package dev.devdb.profile;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses memory sizes ({@code 512m}, {@code 1.5GiB}) and CPU counts ({@code 1.5}). */
public final class Sizes {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b)?");

    private Sizes() {}

    /** Bytes, or null when the text is not a size. Units are binary: 1m = 1 MiB. */
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
        if (shift == 0 && m.group(3) == null && !m.group(1).contains(".")) {
            return Long.parseLong(m.group(1));
        }
        BigDecimal value = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1L << shift));
        return value.longValue();
    }

    /** Billionths of a CPU, or null when the text is not a positive number. */
    public static Long nanoCpus(String text) {
        try {
            BigDecimal cpus = new BigDecimal(text.trim());
            if (cpus.signum() <= 0) {
                return null;
            }
            return cpus.movePointRight(9).longValue();
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
