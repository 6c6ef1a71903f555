package dev.devdb.cli;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.util.Map;
import java.util.regex.Pattern;

/** Writes variables in the forms shells, dotenv readers and GitHub Actions read back exactly. */
final class EnvFormats {
    /** Characters every dotenv reader takes literally without quotes. */
    private static final Pattern DOTENV_BARE = Pattern.compile("[A-Za-z0-9_./:@?&=%+,-]*");

    private EnvFormats() {}

    /** {@code export NAME='value'} lines for POSIX shells; a ' inside a value becomes '\''. */
    static String shell(Map<String, String> variables) {
        StringBuilder s = new StringBuilder();
        variables.forEach((k, v) -> s.append("export ").append(k).append('=').append(shellQuote(v)).append('\n'));
        return s.toString();
    }

    static String shellQuote(String value) {
        return "'" + (value == null ? "" : value.replace("'", "'\\''")) + "'";
    }

    /**
     * {@code NAME=value} lines. Values of URL-safe characters stay bare (docker --env-file reads
     * them literally too); others are single-quoted, which dotenv readers take literally. A value
     * no dotenv reader can take literally is refused.
     */
    static String dotenv(Map<String, String> variables) {
        StringBuilder s = new StringBuilder();
        variables.forEach((k, v) -> {
            String value = v == null ? "" : v;
            if (!DOTENV_BARE.matcher(value).matches()) {
                if (value.contains("'") || value.contains("\n") || value.contains("\r")) {
                    throw new DevDbException(ExitCodes.USAGE, "the value of " + k
                            + " contains a quote or a line break, which dotenv files cannot hold literally;"
                            + " use --format shell or --format json");
                }
                value = "'" + value + "'";
            }
            s.append(k).append('=').append(value).append('\n');
        });
        return s.toString();
    }

    /**
     * The multi-line form of GitHub Actions' environment and output files:
     * {@code NAME<<DELIMITER}, the value, the delimiter; safe for any value that does not contain
     * the (random) delimiter.
     */
    static String github(Map<String, String> variables, String delimiter) {
        StringBuilder s = new StringBuilder();
        variables.forEach((k, v) -> {
            String value = v == null ? "" : v;
            if (value.contains(delimiter) || k.contains(delimiter)) {
                throw new IllegalStateException("value of " + k + " contains the delimiter");
            }
            s.append(k).append("<<").append(delimiter).append('\n').append(value).append('\n')
                    .append(delimiter).append('\n');
        });
        return s.toString();
    }
}
