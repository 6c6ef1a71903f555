package dev.devdb.schema;

/**
 * A column as information_schema.COLUMNS describes it, with its definition as SHOW CREATE TABLE
 * prints it (the server's own syntax, used for DDL).
 *
 * @param name column name
 * @param type the full type ({@code varchar(20)}, {@code int unsigned})
 * @param nullable whether it takes NULL
 * @param defaultValue the default as the catalogue holds it, or null
 * @param extra auto_increment, on update, generated, invisible, ...
 * @param generation the generation expression, empty for a stored column
 * @param charset character set, or null for a non-text column
 * @param collation collation, or null
 * @param comment comment, empty when none
 * @param definition the column's line in SHOW CREATE TABLE, without the trailing comma
 */
public record Column(String name, String type, boolean nullable, String defaultValue, String extra,
        String generation, String charset, String collation, String comment, String definition) {

    /** The definition without the leading column name: what a rename keeps. */
    public String definitionAfterName() {
        int end = CreateTable.identifierEnd(definition, 0);
        return end < 0 ? definition : definition.substring(end).strip();
    }

    /** Whether two columns are defined alike, names aside. */
    public boolean sameAs(Column o) {
        return sameAttributes(o) && definitionAfterName().equals(o.definitionAfterName());
    }

    /** Whether the catalogue describes two columns alike, names and the definition's wording aside. */
    public boolean sameAttributes(Column o) {
        return type.equals(o.type) && nullable == o.nullable && java.util.Objects.equals(defaultValue, o.defaultValue)
                && java.util.Objects.equals(extra, o.extra) && java.util.Objects.equals(generation, o.generation)
                && java.util.Objects.equals(charset, o.charset) && java.util.Objects.equals(collation, o.collation)
                && java.util.Objects.equals(comment, o.comment);
    }
}
