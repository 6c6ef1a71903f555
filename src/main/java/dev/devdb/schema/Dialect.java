package dev.devdb.schema;

import dev.devdb.mysql.Flavor;
import dev.devdb.mysql.ServerVersion;

/**
 * The DDL a server understands, as far as a migration needs to know: its flavour and version.
 *
 * @param flavor MySQL or MariaDB
 * @param version the server's version
 */
public record Dialect(Flavor flavor, ServerVersion version) {

    /** The dialect of a server that answers {@code SELECT VERSION()} with this ({@code 11.8.3-MariaDB-1}). */
    public static Dialect of(Flavor flavor, String versionString) {
        return new Dialect(flavor, ServerVersion.ofTag(versionString));
    }

    /** Whether ALTER TABLE ... RENAME COLUMN exists: MySQL 8.0, MariaDB 10.5.2 and later. */
    public boolean renamesColumns() {
        return flavor == Flavor.MARIADB ? version.atLeast(10, 5, 2) : version.atLeast(8, 0);
    }

    /** The ALTER TABLE clause that drops a check constraint. */
    public String dropCheck(String name) {
        return (flavor == Flavor.MARIADB ? "DROP CONSTRAINT " : "DROP CHECK ") + dev.devdb.mysql.Sql.identifier(name);
    }
}
