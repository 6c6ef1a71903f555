package dev.devdb.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Splits SQL text into statements as the {@code mysql} and {@code mariadb} clients do: a statement
 * ends at the delimiter ({@code ;} until a {@code DELIMITER} line changes it) or at {@code \g} /
 * {@code \G}, outside quotes ({@code '...'}, {@code "..."}, {@code `...`}, backslash escapes in the
 * first two) and comments ({@code # ...}, {@code -- ...}, {@code /* ... *}{@code /}). Plain comments
 * are left out of the statements; executable ones ({@code /*!...*}{@code /}, optimizer hints
 * {@code /*+...*}{@code /}) stay in. Blank statements are skipped.
 */
public final class SqlScript {
    private SqlScript() {}

    /**
     * One statement of a script.
     *
     * @param line the line (from 1) on which it starts
     * @param sql its text, without the delimiter and plain comments
     */
    public record Statement(int line, String sql) {}

    /** A script that the clients would not run either (a DELIMITER line without a delimiter). */
    public static final class ScriptException extends IllegalArgumentException {
        private final int line;

        ScriptException(int line, String message) {
            super(message);
            this.line = line;
        }

        /** The line (from 1) the problem is on. */
        public int line() {
            return line;
        }
    }

    /** The statements of a script, in order. */
    public static List<Statement> split(String text) {
        List<Statement> statements = new ArrayList<>();
        String delimiter = ";";
        StringBuilder current = new StringBuilder();
        int line = 1;
        int startLine = 0;
        int i = 0;
        int n = text.length();
        boolean lineStart = true;
        while (i < n) {
            char c = text.charAt(i);
            if (lineStart) {
                int end = lineEnd(text, i);
                String command = text.substring(i, end).strip();
                if (isDelimiterCommand(command)) {
                    String argument = command.substring("delimiter".length()).strip();
                    int space = firstWhitespace(argument);
                    if (space >= 0) {
                        argument = argument.substring(0, space);
                    }
                    if (argument.isEmpty() || argument.contains("\\")) {
                        throw new ScriptException(line, "DELIMITER needs a delimiter (any characters but a backslash)"
                                + " on the same line");
                    }
                    delimiter = unquote(argument);
                    i = end;
                    lineStart = false;
                    continue;
                }
            }
            lineStart = false;
            if (c == '\n') {
                current.append(c);
                line++;
                i++;
                lineStart = true;
                continue;
            }
            if (text.startsWith(delimiter, i)) {
                startLine = flush(statements, current, startLine);
                i += delimiter.length();
                continue;
            }
            if (c == '\\' && i + 1 < n && (text.charAt(i + 1) == 'g' || text.charAt(i + 1) == 'G')) {
                startLine = flush(statements, current, startLine);
                i += 2;
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                if (current.toString().isBlank()) {
                    startLine = line;
                }
                int end = quoteEnd(text, i, c);
                String quoted = text.substring(i, end);
                current.append(quoted);
                line += count(quoted, '\n');
                i = end;
                continue;
            }
            if (c == '#' || (c == '-' && text.startsWith("--", i) && (i + 2 >= n || Character.isWhitespace(text.charAt(i + 2))
                    || Character.isISOControl(text.charAt(i + 2))))) {
                i = lineEnd(text, i);
                continue;
            }
            if (c == '/' && text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                int end = close < 0 ? n : close + 2;
                String comment = text.substring(i, end);
                boolean executable = comment.startsWith("/*!") || comment.startsWith("/*+");
                if (executable) {
                    if (current.toString().isBlank()) {
                        startLine = line;
                    }
                    current.append(comment);
                } else {
                    current.append(' ');
                }
                line += count(comment, '\n');
                i = end;
                continue;
            }
            if (!Character.isWhitespace(c) && current.toString().isBlank()) {
                startLine = line;
            }
            current.append(c);
            i++;
        }
        flush(statements, current, startLine);
        return statements;
    }

    private static int flush(List<Statement> statements, StringBuilder current, int startLine) {
        String sql = current.toString().strip();
        if (!sql.isEmpty()) {
            statements.add(new Statement(startLine, sql));
        }
        current.setLength(0);
        return 0;
    }

    private static boolean isDelimiterCommand(String command) {
        if (command.length() < "delimiter".length()) {
            return false;
        }
        if (!command.substring(0, "delimiter".length()).toLowerCase(Locale.ROOT).equals("delimiter")) {
            return false;
        }
        return command.length() == "delimiter".length() || Character.isWhitespace(command.charAt("delimiter".length()));
    }

    private static String unquote(String s) {
        if (s.length() >= 2) {
            char q = s.charAt(0);
            if ((q == '\'' || q == '"' || q == '`') && s.charAt(s.length() - 1) == q) {
                return s.substring(1, s.length() - 1);
            }
        }
        return s;
    }

    private static int firstWhitespace(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (Character.isWhitespace(s.charAt(k))) {
                return k;
            }
        }
        return -1;
    }

    /** The index just past the quote that closes the one at {@code start}, or the end of the text. */
    private static int quoteEnd(String text, int start, char quote) {
        int k = start + 1;
        while (k < text.length()) {
            char c = text.charAt(k);
            if (c == '\\' && quote != '`') {
                k += 2;
                continue;
            }
            if (c == quote) {
                return k + 1;
            }
            k++;
        }
        return text.length();
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        return nl < 0 ? text.length() : nl;
    }

    private static int count(String s, char c) {
        int k = 0;
        for (int j = 0; j < s.length(); j++) {
            if (s.charAt(j) == c) {
                k++;
            }
        }
        return k;
    }
}
