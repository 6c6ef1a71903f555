package dev.devdb.mysql;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * JDBC URLs that the flavour's own driver takes as printed, credentials included.
 *
 * <p>MySQL Connector/J (9.x, 26.x) percent-decodes URL parameters, so any password is carried
 * percent-encoded. MariaDB Connector/J (3.5, 4.0) decodes nothing: it splits the parameters at
 * {@code &}, each at its first {@code =}, and passes the rest on as is, so its URL carries the
 * password verbatim; a password it cannot carry is refused when the profile is read
 * ({@link #passwordProblem}). MariaDB Connector/J 4.0 turns TLS on by default, and MySQL
 * Connector/J prefers it. MariaDB before 11.4 has no certificate unless a profile configures one, and
 * the self-signed ones of MySQL and of MariaDB 11.4 and later prove nothing to a client not given
 * them, so both URLs turn it off, for the same URL on every version.
 */
public final class JdbcUrl {
    private JdbcUrl() {}

    /** The URL for {@code flavor}'s driver. */
    public static String of(Flavor flavor, String host, Integer port, String database, String user, String password) {
        String base = flavor.jdbcScheme() + "://" + hostPort(host, port) + "/" + database;
        if (flavor == Flavor.MARIADB) {
            return base + "?user=" + user + "&password=" + (password == null ? "" : password) + "&sslMode=disable";
        }
        return base + "?user=" + encode(user) + "&password=" + encode(password)
                + "&allowPublicKeyRetrieval=true&sslMode=DISABLED";
    }

    /** {@code host:port} as a URL carries it: an IPv6 address in brackets ({@code [2001:db8::5]:3306}). */
    public static String hostPort(String host, Integer port) {
        return (host != null && host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * Why no URL of {@code flavor}'s driver can carry this password, or null when one can. Control
     * characters are refused for both: a URL holds none.
     */
    public static String passwordProblem(Flavor flavor, String password) {
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            if (Character.isISOControl(c)) {
                return String.format("holds the control character U+%04X, which no URL can show; "
                        + "use printable characters", (int) c);
            }
        }
        if (flavor != Flavor.MARIADB) {
            return null;
        }
        if (password.indexOf('&') >= 0) {
            return "holds '&', which MariaDB Connector/J cannot take in a JDBC URL (it splits parameters at '&' "
                    + "and decodes no %XX escapes); use a password without '&'";
        }
        if (password.contains("address=(")) {
            return "holds 'address=(', which MariaDB Connector/J reads as a host address anywhere in a JDBC URL; "
                    + "use a password without it";
        }
        return null;
    }

    /** Percent-encoding: URLEncoder's form encoding, except that a space is %20 ('+' is a plus in a URL). */
    public static String encode(String s) {
        return s == null ? "" : URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
