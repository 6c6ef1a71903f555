package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import dev.devdb.error.ExitCodes;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where devdb's table of removed options is silent, the server judges the configuration before a
 * data directory is initialised: its own error line is shown and nothing is left behind; a
 * configuration it accepts starts as before.
 */
class ServerConfigCheckIT {
    @TempDir
    static Path dir;

    static DockerEngine engine;

    @BeforeAll
    static void connect() {
        engine = Cli.engine();
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#all")
    void an_option_value_the_server_refuses_is_shown_in_its_own_words_and_nothing_is_left(String profile) {
        String name = "cfg-bad-" + profile;
        Cli.Result r = new Cli(dir).run("up", profile, "--name", name, "--set", "innodb_flush_method=bogus");
        assertEquals(ExitCodes.SERVER_FAILED, r.exitCode(), r::toString);
        assertTrue(r.err().contains("devdb: the server in " + name + " refused its configuration: "), r::toString);
        assertTrue(r.err().contains("Error while setting value 'bogus' to 'innodb-flush-method'"), r::toString);
        assertTrue(r.err().contains("nothing was initialised and the container was removed"), r::toString);
        assertTrue(engine.inspect(TestScope.container(name)).isEmpty(), "container left behind");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql9", "mariadb105"})
    void a_configuration_the_server_accepts_starts_with_its_settings(String profile) throws Exception {
        if (Versions.all().noneMatch(profile::equals)) {
            return;
        }
        String name = "cfg-ok-" + profile;
        // a value of this run only, so that the start is a cold one, which the check runs on
        String connections = Integer.toString(200 + new SecureRandom().nextInt(700));
        Cli cli = new Cli(dir);
        try {
            Cli.Result up = cli.run("up", profile, "--name", name, "--set", "max_connections=" + connections,
                    "--set", "loose-query-cache-size=0", "--json");
            assertEquals(ExitCodes.OK, up.exitCode(), up::toString);
            if (profile.startsWith("mysql")) {
                assertTrue(up.err().contains("devdb: warning: query_cache_size was removed in MySQL 8.0; the server"
                        + " ignores loose-query-cache-size (loose-)"), up::toString);
            }
            JsonNode json = up.json();
            try (Connection c = Cli.connect(json)) {
                assertEquals(connections, Cli.variable(c, "max_connections"));
            }
        } finally {
            cli.run("down", name);
        }
    }
}
