package dev.devdb.schema;

/**
 * One difference between two schemas.
 *
 * @param kind added, dropped, changed or renamed
 * @param type what changed: database, table, column, index, foreign key, check, options, view, procedure,
 *     function, trigger, event
 * @param database the database it is in
 * @param table the table it belongs to (a table's own changes: the table), or null
 * @param name its name (after a rename: the new one)
 * @param oldName the name before a rename, else null
 * @param before its definition before, null when added
 * @param after its definition after, null when dropped
 */
public record Change(Kind kind, String type, String database, String table, String name, String oldName,
        String before, String after) {

    /** What happened to it. */
    public enum Kind {
        ADDED("added", '+'), DROPPED("dropped", '-'), CHANGED("changed", '~'), RENAMED("renamed", '>');

        private final String label;
        private final char sign;

        Kind(String label, char sign) {
            this.label = label;
            this.sign = sign;
        }

        public String label() {
            return label;
        }

        /** One character for it: + - ~ >. */
        public char sign() {
            return sign;
        }
    }

    public static final String DATABASE = "database";
    public static final String TABLE = "table";
    public static final String COLUMN = "column";
    public static final String INDEX = "index";
    public static final String FOREIGN_KEY = "foreign key";
    public static final String CHECK = "check";
    public static final String OPTIONS = "options";

    /** What output groups it under: {@code db.table}, {@code db.view}, ... or the database itself. */
    public String group() {
        if (table != null) {
            return database + "." + table;
        }
        return type.equals(DATABASE) ? database : database + "." + name;
    }
}
