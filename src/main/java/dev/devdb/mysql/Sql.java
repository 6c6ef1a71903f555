package dev.devdb.mysql;

/**
 * String literals in the SQL devdb builds. Whether a backslash escapes the next character depends on
 * the session's sql_mode (NO_BACKSLASH_ESCAPES turns that off), and no literal holding a backslash
 * reads the same in both modes; so devdb's sessions state the mode first ({@link #BACKSLASH_ESCAPES})
 * and the literals are written for it, whatever sql_mode the server was configured with. The start
 * script's {@code sql_string} quotes the same way.
 */
public final class Sql {
    /**
     * Makes backslashes escape characters for the rest of the session, keeping the rest of its
     * sql_mode: the statement to run before any that holds a {@link #literal}.
     */
    public static final String BACKSLASH_ESCAPES = "SET SESSION sql_mode = TRIM(BOTH ',' FROM "
            + "REPLACE(CONCAT(',', @@SESSION.sql_mode, ','), ',NO_BACKSLASH_ESCAPES,', ','))";

    private Sql() {}

    /**
     * A string literal, for a session in which backslashes escape ({@link #BACKSLASH_ESCAPES}): quotes
     * are doubled, backslashes escaped, and NUL, line feed and carriage return written as escapes, so
     * the literal stays on one line.
     */
    public static String literal(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('\'');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\'' -> b.append("''");
                case '\\' -> b.append("\\\\");
                case '\0' -> b.append("\\0");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('\'').toString();
    }

    /** An identifier (database, table, column, ...) quoted with backticks, any backtick in it doubled. */
    public static String identifier(String name) {
        return "`" + name.replace("`", "``") + "`";
    }
}
