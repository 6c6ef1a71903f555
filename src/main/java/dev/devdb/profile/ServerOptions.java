package dev.devdb.profile;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Server options as devdb handles them: keys normalised ({@code slow-query-log} and
 * {@code slow_query_log} are one option), checked so nothing can escape its my.cnf line, and
 * rendered into a {@code [mysqld]} section.
 */
public final class ServerOptions {
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,127}");
    /** Options devdb owns: changing them would cut devdb off from the server. */
    private static final Map<String, String> RESERVED = Map.of(
            "port", "devdb publishes the server's port 3306; use the profile's 'port' or --port for the host side",
            "bind_address", "devdb binds the published port to 127.0.0.1 on the host",
            "skip_networking", "devdb reaches the server over TCP",
            "socket", "the image's socket path is used by the client inside the container",
            "datadir", "the image decides where its data lives");
    /**
     * What the server reads before an option's name: {@code loose_} (ignore it if unknown), and
     * {@code enable_}, {@code disable_} and {@code skip_} (turn it on or off).
     */
    private static final List<String> PREFIXES = List.of("loose_", "enable_", "disable_", "skip_");
    /**
     * The server also takes an unambiguous prefix of an option's name ({@code skip_net} for
     * {@code skip_networking}); one this long or longer is read as the owned option it begins.
     */
    private static final int SHORTEST_PREFIX = 3;

    private ServerOptions() {}

    /** The canonical spelling of an option name: lower case, underscores. */
    public static String normalizeKey(String key) {
        return key.trim().replace('-', '_').toLowerCase(Locale.ROOT);
    }

    /**
     * Checks one option and returns the problem, or null when it is acceptable.
     *
     * @param key the option name as written
     * @param value its value, or null for a bare flag
     */
    public static String problem(String key, String value) {
        if (key == null || !KEY.matcher(key.trim()).matches()) {
            return "server option name '" + printable(key)
                    + "' is not valid: use letters, digits, '_', '-' or '.', starting with a letter";
        }
        String owned = owned(normalizeKey(key));
        if (owned != null) {
            return "server option '" + key + "' cannot be set: " + RESERVED.get(owned)
                    + (owned.equals(normalizeKey(key)) ? "" : " (the server reads '" + key + "' as " + owned + ")");
        }
        if (value != null) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c == '\n' || c == '\r' || c == '\0') {
                    return "value of server option '" + key + "' contains a line break or NUL; it must fit on one line";
                }
            }
        }
        return null;
    }

    /**
     * The option devdb owns that a normalised name sets, under any spelling the server accepts:
     * the name itself, behind {@link #PREFIXES} in any combination, or an abbreviation of it; null
     * when it sets none.
     */
    private static String owned(String name) {
        if (RESERVED.containsKey(name)) {
            return name;
        }
        for (String owned : RESERVED.keySet()) {
            if (name.length() >= SHORTEST_PREFIX && owned.startsWith(name)) {
                return owned;
            }
        }
        for (String prefix : PREFIXES) {
            if (name.startsWith(prefix)) {
                String owned = owned(name.substring(prefix.length()));
                if (owned != null) {
                    return owned;
                }
            }
        }
        return null;
    }

    /** Merges {@code over} onto {@code base}, treating differently spelled keys of one option as one. */
    public static Map<String, String> merge(Map<String, String> base, Map<String, String> over) {
        Map<String, String> merged = new LinkedHashMap<>();
        base.forEach((k, v) -> merged.put(normalizeKey(k), v));
        over.forEach((k, v) -> merged.put(normalizeKey(k), v));
        return merged;
    }

    /** Renders options as a my.cnf {@code [mysqld]} section. */
    public static String render(Map<String, String> options, String comment) {
        StringBuilder cnf = new StringBuilder();
        if (comment != null) {
            comment.lines().forEach(l -> cnf.append("# ").append(l).append('\n'));
        }
        cnf.append("[mysqld]\n");
        options.forEach((k, v) -> {
            cnf.append(normalizeKey(k));
            if (v != null) {
                cnf.append(" = ").append(quote(v));
            }
            cnf.append('\n');
        });
        return cnf.toString();
    }

    /**
     * Reads back the {@code [mysqld]} options of an option file as {@link #render} writes it: keys
     * normalised, quoted values unescaped, a bare flag as a null value; other sections and comments
     * are skipped.
     */
    public static Map<String, String> parse(String cnf) {
        Map<String, String> options = new LinkedHashMap<>();
        boolean mysqld = false;
        for (String raw : cnf.lines().toList()) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                int end = line.indexOf(']');
                String section = (end > 0 ? line.substring(1, end) : line.substring(1)).strip().toLowerCase(Locale.ROOT);
                mysqld = section.equals("mysqld") || section.equals("server") || section.equals("mariadbd")
                        || section.equals("mariadb");
                continue;
            }
            if (!mysqld || line.startsWith("!")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                options.put(normalizeKey(line), null);
                continue;
            }
            options.put(normalizeKey(line.substring(0, eq)), unquote(line.substring(eq + 1).strip()));
        }
        return options;
    }

    private static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'')) {
            char q = v.charAt(0);
            StringBuilder b = new StringBuilder();
            for (int i = 1; i < v.length(); i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length()) {
                    b.append(v.charAt(++i));
                } else if (c == q) {
                    break;
                } else {
                    b.append(c);
                }
            }
            return b.toString();
        }
        int hash = v.indexOf(" #");
        return hash >= 0 ? v.substring(0, hash).strip() : v;
    }

    /** Values with characters the option-file reader treats specially are double-quoted and escaped. */
    static String quote(String value) {
        boolean plain = !value.isEmpty() && value.chars().noneMatch(c -> c == '#' || c == ';' || c == '"'
                || c == '\'' || c == '\\' || Character.isWhitespace(c));
        if (plain) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static String printable(String s) {
        if (s == null) {
            return "";
        }
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\0", "\\0");
    }
}
