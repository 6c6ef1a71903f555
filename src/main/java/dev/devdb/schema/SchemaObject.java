package dev.devdb.schema;

/**
 * A view, stored procedure, stored function, trigger or event, as SHOW CREATE prints it with the
 * DEFINER clause left out.
 *
 * @param kind what it is
 * @param name its name
 * @param table the table a trigger belongs to, else null
 * @param order a trigger's place among the triggers of its table, timing and event (1 first), else 0
 * @param sql the CREATE statement
 */
public record SchemaObject(Kind kind, String name, String table, int order, String sql) {

    /** The kinds of objects besides tables. */
    public enum Kind {
        VIEW("view"), PROCEDURE("procedure"), FUNCTION("function"), TRIGGER("trigger"), EVENT("event");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The word for it in output: view, procedure, function, trigger, event. */
        public String label() {
            return label;
        }

        /** The SQL keyword: VIEW, PROCEDURE, ... */
        public String keyword() {
            return name();
        }
    }

    /** The object's key within its database: kind and name (procedures and functions may share a name). */
    public String key() {
        return kind.label() + " " + name;
    }
}
