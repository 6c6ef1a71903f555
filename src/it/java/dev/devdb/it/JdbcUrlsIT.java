package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The URLs devdb prints work as printed with both current lines of each flavour's own driver:
 * MySQL Connector/J 9.x and 26.x, MariaDB Connector/J 4.0 (TLS on by default) and 3.5 (no
 * percent-decoding), for passwords full of characters a URL treats specially.
 */
class JdbcUrlsIT {
    /** Every character class a URL, a shell or SQL treats specially, and some beyond ASCII. */
    static final String MARIADB_PASSWORD = "p! %21 50% \"q'` \\ ü€😀 +=?#/;:@$";
    /** MariaDB Connector/J cannot take '&' in a URL; MySQL Connector/J can, percent-encoded. */
    static final String MYSQL_PASSWORD = MARIADB_PASSWORD + " &co";

    @TempDir
    static Path dir;

    static Cli cli;

    @BeforeAll
    static void profiles() throws Exception {
        Files.createDirectories(dir.resolve("profiles"));
        profile("url-mysql9", "mysql9", MYSQL_PASSWORD);
        profile("url-mariadb10", "mariadb10", MARIADB_PASSWORD);
        profile("url-mariadb-amp", "mariadb10", "shop&co");
        cli = new Cli(dir);
    }

    static void profile(String name, String base, String password) throws Exception {
        Files.writeString(dir.resolve("profiles").resolve(name + ".yaml"), """
                extends: %s
                database: shop
                user: shopper
                password: '%s'
                """.formatted(base, password.replace("'", "''")), StandardCharsets.UTF_8);
    }

    @AfterAll
    static void down() {
        for (String name : List.of("url-mysql9", "url-mariadb10", "url-mariadb-amp")) {
            cli.run("down", name);
        }
    }

    /** The other current line of the flavour's driver, from its own class loader. */
    static Driver otherDriver(String flavor) throws Exception {
        String prefix = flavor.equals("mysql") ? "mysql-connector-j-" : "mariadb-java-client-";
        Path jar;
        try (Stream<Path> jars = Files.list(Path.of(System.getProperty("devdb.jdbcDrivers")))) {
            jar = jars.filter(p -> p.getFileName().toString().startsWith(prefix)).findFirst().orElseThrow();
        }
        URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()},
                ClassLoader.getPlatformClassLoader());
        String driverClass = flavor.equals("mysql") ? "com.mysql.cj.jdbc.Driver" : "org.mariadb.jdbc.Driver";
        return (Driver) loader.loadClass(driverClass).getDeclaredConstructor().newInstance();
    }

    static void assertConnects(String what, Connection c, String user) throws SQLException {
        try (c) {
            assertEquals(user + "@%", Cli.scalar(c, "SELECT CURRENT_USER()"), what);
            assertEquals("shop", Cli.scalar(c, "SELECT DATABASE()"), what);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql9", "mariadb10"})
    void printed_urls_connect_as_printed_with_both_lines_of_the_flavours_own_driver(String base) throws Exception {
        String name = "url-" + base;
        String password = base.startsWith("mysql") ? MYSQL_PASSWORD : MARIADB_PASSWORD;
        Cli.Result up = cli.run("up", name, "--json");
        assertEquals(0, up.exitCode(), up::toString);
        JsonNode json = up.json();
        String flavor = json.get("flavor").asText();
        assertEquals(password, json.get("password").asText());
        String jdbcUrl = json.get("jdbcUrl").asText();
        assertTrue(jdbcUrl.startsWith("jdbc:" + flavor + "://127.0.0.1:"), jdbcUrl);

        Cli.Result url = cli.run("url", name, "--jdbc");
        assertEquals(jdbcUrl + "\n", url.out(), url::toString);
        JsonNode env = cli.run("env", name, "--json").json();
        assertEquals(jdbcUrl, env.get("JDBC_URL").asText());
        assertEquals(json.get("url").asText(), env.get("DATABASE_URL").asText());

        Driver other = otherDriver(flavor);
        List<String> tried = new ArrayList<>();
        for (String printed : List.of(jdbcUrl, url.out().strip(), env.get("JDBC_URL").asText())) {
            // Connector/J 9.7 or MariaDB Connector/J 4.0 from the test class path ...
            Driver onClassPath = DriverManager.getDriver(printed);
            assertEquals(flavor.equals("mysql") ? "com.mysql.cj.jdbc.Driver" : "org.mariadb.jdbc.Driver",
                    onClassPath.getClass().getName());
            tried.add(onClassPath.getMajorVersion() + "." + onClassPath.getMinorVersion());
            assertConnects(printed, DriverManager.getConnection(printed), "shopper");
            // ... and Connector/J 26.x or MariaDB Connector/J 3.5 from their own class loader
            tried.add(other.getMajorVersion() + "." + other.getMinorVersion());
            assertConnects(printed, other.connect(printed, new Properties()), "shopper");
        }
        assertEquals(flavor.equals("mysql") ? List.of("9.7", "26.10") : List.of("4.0", "3.5"),
                tried.subList(0, 2));

        // DATABASE_URL: the same credentials, percent-encoded in the URI's user information.
        URI databaseUrl = URI.create(json.get("url").asText());
        String userInfo = databaseUrl.getRawUserInfo();
        assertEquals("shopper", userInfo.substring(0, userInfo.indexOf(':')));
        assertEquals(password, URLDecoder.decode(userInfo.substring(userInfo.indexOf(':') + 1).replace("+", "%2B"),
                StandardCharsets.UTF_8));
        assertEquals(json.get("port").asInt(), databaseUrl.getPort());
        assertEquals("/shop", databaseUrl.getPath());
    }

    @Test
    void a_mariadb_password_no_jdbc_url_can_carry_is_refused_before_anything_starts() {
        Cli.Result r = cli.run("up", "url-mariadb-amp");
        assertEquals(ExitCodes.PROFILE, r.exitCode(), r::toString);
        assertTrue(r.err().contains("field 'password' holds '&'"), r::toString);
        assertTrue(r.err().contains("leave it out to generate one per instance"), r::toString);
        try (var engine = Cli.engine()) {
            assertFalse(engine.inspect(TestScope.container("url-mariadb-amp")).isPresent(), "a container was created");
        }
    }
}
