package dev.devdb.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SHOW CREATE TABLE's answer taken apart. The server prints one column, index or constraint per line,
 * each indented by two spaces, then a line starting with {@code )} and the table options; so the
 * lines are its own syntax for each part, as a migration needs it.
 *
 * @param columns column name to its definition line
 * @param indexes index name ({@code PRIMARY} for the primary key) to its line
 * @param foreignKeys constraint name to its line
 * @param checks constraint name to its line
 * @param options the table options by name, AUTO_INCREMENT left out
 * @param tail the text from the closing parenthesis on, AUTO_INCREMENT left out
 */
public record CreateTable(Map<String, String> columns, Map<String, String> indexes, Map<String, String> foreignKeys,
        Map<String, String> checks, Map<String, String> options, String tail) {

    private static final Pattern INDEX = Pattern.compile("(?:UNIQUE |FULLTEXT |SPATIAL |VECTOR )?(?:KEY|INDEX) (`.*)");
    private static final Pattern OPTION = Pattern.compile(
            "\\s*([A-Z][A-Z_]*(?: [A-Z][A-Z_]*)?)=('(?:[^'\\\\]|''|\\\\.)*'|\\S+)");
    private static final Pattern AUTO_INCREMENT = Pattern.compile(" AUTO_INCREMENT=\\d+");

    /** Takes SHOW CREATE TABLE's text apart. */
    public static CreateTable parse(String sql) {
        Map<String, String> columns = new LinkedHashMap<>();
        Map<String, String> indexes = new LinkedHashMap<>();
        Map<String, String> foreignKeys = new LinkedHashMap<>();
        Map<String, String> checks = new LinkedHashMap<>();
        List<String> lines = sql.lines().toList();
        int i = 1;
        for (; i < lines.size() && lines.get(i).startsWith("  "); i++) {
            String line = lines.get(i).substring(2);
            if (line.endsWith(",")) {
                line = line.substring(0, line.length() - 1);
            }
            Matcher index = INDEX.matcher(line);
            if (line.startsWith("`")) {
                columns.put(identifier(line, 0), line);
            } else if (line.startsWith("PRIMARY KEY")) {
                indexes.put("PRIMARY", line);
            } else if (index.matches()) {
                indexes.put(identifier(index.group(1), 0), line);
            } else if (line.startsWith("CONSTRAINT `")) {
                String name = identifier(line, "CONSTRAINT ".length());
                String rest = line.substring(identifierEnd(line, "CONSTRAINT ".length())).strip();
                (rest.startsWith("FOREIGN KEY") ? foreignKeys : checks).put(name, line);
            } else if (line.startsWith("CHECK")) {
                checks.put("", line);
            } else {
                throw new IllegalArgumentException("unexpected line in SHOW CREATE TABLE: " + line);
            }
        }
        String tail = AUTO_INCREMENT.matcher(String.join("\n", lines.subList(Math.min(i, lines.size()), lines.size())))
                .replaceFirst("");
        return new CreateTable(columns, indexes, foreignKeys, checks, options(tail), tail);
    }

    /** The options on the closing line ({@code ) ENGINE=InnoDB DEFAULT CHARSET=...}), by name. */
    static Map<String, String> options(String tail) {
        Map<String, String> options = new LinkedHashMap<>();
        String first = tail.lines().findFirst().orElse("");
        if (first.startsWith(")")) {
            Matcher m = OPTION.matcher(first.substring(1));
            while (m.find()) {
                options.put(m.group(1), m.group(2));
            }
        }
        List<String> rest = new ArrayList<>(tail.lines().skip(1).toList());
        if (!rest.isEmpty()) {
            options.put("PARTITION", String.join("\n", rest));
        }
        return options;
    }

    /** The backtick-quoted identifier starting at {@code from}, unquoted. */
    static String identifier(String s, int from) {
        int end = identifierEnd(s, from);
        if (end < 0) {
            throw new IllegalArgumentException("no quoted identifier at " + from + " in: " + s);
        }
        return s.substring(from + 1, end - 1).replace("``", "`");
    }

    /** Where the backtick-quoted identifier starting at {@code from} ends (after its closing quote), or -1. */
    static int identifierEnd(String s, int from) {
        if (from >= s.length() || s.charAt(from) != '`') {
            return -1;
        }
        for (int i = from + 1; i < s.length(); i++) {
            if (s.charAt(i) == '`') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '`') {
                    i++;
                } else {
                    return i + 1;
                }
            }
        }
        return -1;
    }
}
