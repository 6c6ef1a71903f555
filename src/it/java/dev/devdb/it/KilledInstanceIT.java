package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.engine.DockerEngine;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An instance whose server was killed (`docker kill`, the OOM killer, a reboot of the engine): a
 * stopped container shows no port, yet reset and snapshot restore bring it back on the one it had.
 */
class KilledInstanceIT {
    @TempDir
    static Path dir;

    static Cli cli;
    static DockerEngine engine;

    @BeforeAll
    static void setUp() {
        cli = new Cli(dir);
        engine = Cli.engine();
    }

    @AfterAll
    static void tearDown() {
        for (String base : List.of("mysql9", "mariadb10")) {
            cli.run("down", name(base));
            cli.run("snapshot", "rm", name(base) + "-before");
        }
        engine.close();
    }

    static String name(String base) {
        return "killed-" + base;
    }

    private static void kill(String base) {
        String container = TestScope.container(name(base));
        engine.kill(container);
        assertNull(engine.inspect(container).orElseThrow().hostPort(), "a killed container shows no port");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mysql9", "mariadb10"})
    void reset_and_snapshot_restore_bring_a_killed_instance_back_on_its_port(String base) throws Exception {
        Cli.Result up = cli.run("up", base, "--name", name(base), "--json", "--quiet");
        assertEquals(0, up.exitCode(), up::toString);
        JsonNode instance = up.json();
        try (Connection c = Cli.connect(instance); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id INT PRIMARY KEY)");
        }
        Cli.Result save = cli.run("snapshot", "save", name(base), name(base) + "-before");
        assertEquals(0, save.exitCode(), save::toString);

        for (List<String> command : List.of(List.of("reset", name(base)), List.of("reset", name(base)),
                List.of("snapshot", "restore", name(base), name(base) + "-before"))) {
            kill(base);
            Cli.Result r = cli.run(command.toArray(String[]::new));
            assertEquals(0, r.exitCode(), r::toString);
            assertEquals(instance.get("port").asInt(), engine.inspect(TestScope.container(name(base))).orElseThrow().hostPort(),
                    () -> String.join(" ", command) + " moved the instance to another port\n" + r);
            // the same port and credentials reach the server: a real query
            try (Connection c = Cli.connect(instance)) {
                String tables = Cli.scalar(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = "
                        + "DATABASE() AND table_name = 'kept'");
                assertEquals(command.get(0).equals("reset") ? "0" : "1", tables, String.join(" ", command));
            }
        }
    }
}
