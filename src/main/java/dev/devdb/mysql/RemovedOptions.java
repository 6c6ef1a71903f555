package dev.devdb.mysql;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The server options a flavour removed, renamed or deprecated, and since which version: one table
 * per flavour, kept as data ({@code removed-options-FLAVOR.csv} beside this class), each row with
 * the page that documents it. {@link #check} tells what an option means for one version.
 */
public final class RemovedOptions {
    private static final List<String> COLUMNS =
            List.of("option", "deprecated", "removed", "effect", "replacement", "note", "source");
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_.]*");
    private static final Pattern VERSION = Pattern.compile("\\d{1,4}(\\.\\d{1,4}){0,2}");
    /** What the server reads before an option's name: loose_ (ignore it when unknown), and the switches. */
    private static final String LOOSE = "loose_";
    private static final List<String> SWITCHES = List.of("enable_", "disable_", "skip_");
    private static final Map<Flavor, RemovedOptions> BUILT_IN = new EnumMap<>(Flavor.class);

    private final Flavor flavor;
    private final Map<String, Row> rows;

    /**
     * One option's row.
     *
     * @param option its name, underscores, lower case
     * @param deprecated the first version that deprecated it, or null
     * @param removed the first version without it, or null while it still exists
     * @param ignored whether a server without it starts anyway (and warns) rather than refusing to start
     * @param replacement what to use instead, or null
     * @param note a word on the replacement or the removal, or null
     * @param source the page that documents it
     */
    public record Row(String option, ServerVersion deprecated, ServerVersion removed, boolean ignored,
            String replacement, String note, String source) {}

    /** How serious a finding is: an error stops the server from starting; a warning does not. */
    public enum Severity {
        ERROR,
        WARNING
    }

    /**
     * What the table says of one option for one version.
     *
     * @param key the option as written
     * @param severity whether the server would refuse it
     * @param message one line: {@code expire_logs_days was removed in MySQL 8.2; use binlog_expire_logs_seconds (seconds)}
     * @param row the row it comes from
     */
    public record Finding(String key, Severity severity, String message, Row row) {}

    private RemovedOptions(Flavor flavor, Map<String, Row> rows) {
        this.flavor = flavor;
        this.rows = rows;
    }

    /** The built-in table of a flavour. */
    public static synchronized RemovedOptions of(Flavor flavor) {
        return BUILT_IN.computeIfAbsent(flavor, f -> {
            String resource = "removed-options-" + f.id() + ".csv";
            try (InputStream in = RemovedOptions.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException(resource + " is missing from devdb's jar");
                }
                return parse(f, new InputStreamReader(in, StandardCharsets.UTF_8), resource);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Reads a table: a header line naming the columns, then one row per option; lines starting with
     * {@code #} and blank lines are skipped; a field with a comma is double-quoted.
     *
     * @param name the table's name, for errors
     * @throws IllegalArgumentException naming the line of a malformed row
     */
    public static RemovedOptions parse(Flavor flavor, Reader reader, String name) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        BufferedReader in = new BufferedReader(reader);
        boolean header = false;
        int lineNo = 0;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String where = name + ":" + lineNo + ": ";
            List<String> fields = fields(line, where);
            if (!header) {
                if (!fields.equals(COLUMNS)) {
                    throw new IllegalArgumentException(where + "the header must be " + String.join(",", COLUMNS));
                }
                header = true;
                continue;
            }
            if (fields.size() != COLUMNS.size()) {
                throw new IllegalArgumentException(where + COLUMNS.size() + " fields expected, not " + fields.size());
            }
            String option = fields.get(0);
            if (!NAME.matcher(option).matches()) {
                throw new IllegalArgumentException(where + "option '" + option
                        + "' must be written in lower case with underscores");
            }
            ServerVersion deprecated = version(fields.get(1), where);
            ServerVersion removed = version(fields.get(2), where);
            if (deprecated == null && removed == null) {
                throw new IllegalArgumentException(where + option + " has neither a deprecated nor a removed version");
            }
            String effect = fields.get(3);
            if (!effect.equals("refused") && !effect.equals("ignored")) {
                throw new IllegalArgumentException(where + "effect must be refused or ignored, not '" + effect + "'");
            }
            String source = fields.get(6);
            if (!source.startsWith("https://")) {
                throw new IllegalArgumentException(where + option + " needs a source (an https:// page)");
            }
            if (rows.put(option, new Row(option, deprecated, removed, effect.equals("ignored"),
                    blankToNull(fields.get(4)), blankToNull(fields.get(5)), source)) != null) {
                throw new IllegalArgumentException(where + option + " is listed twice");
            }
        }
        if (!header) {
            throw new IllegalArgumentException(name + ": no header line");
        }
        return new RemovedOptions(flavor, Collections.unmodifiableMap(rows));
    }

    /** The rows, in the table's order. */
    public List<Row> rows() {
        return List.copyOf(rows.values());
    }

    public Flavor flavor() {
        return flavor;
    }

    /**
     * What an option means for a version: an error when that version refuses it, a warning when it
     * ignores it (removed but kept as a no-op, or given with {@code loose-}) or deprecates it, null
     * when the table knows nothing against it. Dashes and underscores, case, and the {@code loose-},
     * {@code enable-}, {@code disable-} and {@code skip-} prefixes are read as the server reads them.
     *
     * @param key the option as written in my.cnf or on {@code --set}
     * @param version the version the option goes to
     */
    public Finding check(String key, ServerVersion version) {
        String name = key.trim().replace('-', '_').toLowerCase(Locale.ROOT);
        boolean loose = false;
        if (name.startsWith(LOOSE)) {
            loose = true;
            name = name.substring(LOOSE.length());
        }
        Row row = rows.get(name);
        for (int i = 0; row == null && i < SWITCHES.size(); i++) {
            if (name.startsWith(SWITCHES.get(i))) {
                row = rows.get(name.substring(SWITCHES.get(i).length()));
            }
        }
        if (row == null) {
            return null;
        }
        String product = flavor.displayName() + " ";
        if (row.removed() != null && version.compareTo(row.removed()) >= 0) {
            String message = row.option() + " was removed in " + product + line(row.removed()) + advice(row);
            if (loose) {
                return new Finding(key, Severity.WARNING, message + "; the server ignores " + key.trim()
                        + " (loose-)", row);
            }
            if (row.ignored()) {
                return new Finding(key, Severity.WARNING, message + "; the server ignores it", row);
            }
            return new Finding(key, Severity.ERROR, message, row);
        }
        if (row.deprecated() != null && version.compareTo(row.deprecated()) >= 0) {
            return new Finding(key, Severity.WARNING, row.option() + " is deprecated since " + product
                    + line(row.deprecated()) + advice(row), row);
        }
        return null;
    }

    /** "; use X (note)", "; note", or nothing. */
    private static String advice(Row row) {
        if (row.replacement() != null) {
            return "; use " + row.replacement() + (row.note() == null ? "" : " (" + row.note() + ")");
        }
        return row.note() == null ? "" : "; " + row.note();
    }

    /** A release line as people name it: 8.2, 10.6. */
    private static String line(ServerVersion v) {
        return v.major() + "." + v.minor();
    }

    private static ServerVersion version(String text, String where) {
        if (text.isEmpty()) {
            return null;
        }
        if (!VERSION.matcher(text).matches()) {
            throw new IllegalArgumentException(where + "'" + text + "' is not a version such as 8.0.3");
        }
        String[] parts = text.split("\\.");
        return new ServerVersion(Integer.parseInt(parts[0]), parts.length > 1 ? Integer.parseInt(parts[1]) : 0,
                parts.length > 2 ? Integer.parseInt(parts[2]) : 0);
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s;
    }

    /** Splits a line at commas; a field in double quotes may hold commas, and "" stands for one quote. */
    private static List<String> fields(String line, String where) {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"' && field.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.toString().strip());
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new IllegalArgumentException(where + "a quoted field is not closed");
        }
        fields.add(field.toString().strip());
        return fields;
    }
}
