package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.devdb.error.ExitCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Drift on a real engine: what a profile's instance was made from survives on its container, and ps compares it. */
class DriftIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @MethodSource("dev.devdb.it.Versions#flavours")
    void editing_a_profiles_mycnf_and_a_seed_shows_as_drift_and_a_repeated_up_names_it(String server)
            throws Exception {
        Cli cli = new Cli(dir);
        String name = "ci-drift-" + server;
        Path db = Files.createDirectories(dir.resolve("db"));
        Files.writeString(db.resolve("01-schema.sql"), "CREATE TABLE drift_t (id INT PRIMARY KEY);\n");
        Files.writeString(db.resolve("02-fixtures.sql"), "INSERT INTO drift_t VALUES (1), (2);\n");
        Path profiles = Files.createDirectories(dir.resolve("profiles"));
        String shop = "extends: " + server + "\nmycnf:\n  max_connections: 500\n"
                + "init:\n  - ../db/01-schema.sql\n  - ../db/02-fixtures.sql\n";
        Files.writeString(profiles.resolve("shop.yaml"), shop);
        try {
            Cli.Result up = cli.run("up", "shop", "--name", name, "--json");
            assertEquals(ExitCodes.OK, up.exitCode(), up::toString);
            try (Connection c = Cli.connect(up.json())) {
                assertEquals("500", Cli.variable(c, "max_connections"));
                assertEquals("2", Cli.scalar(c, "SELECT COUNT(*) FROM drift_t"));
            }
            assertEquals(List.of(), drift(cli, name, "drift"));

            Files.writeString(profiles.resolve("shop.yaml"), shop.replace("500", "800"));
            Files.writeString(db.resolve("02-fixtures.sql"), "INSERT INTO drift_t VALUES (3);\n");

            assertEquals(List.of("mycnf", "seeds"), drift(cli, name, "drift"));
            assertEquals(List.of("max_connections: 500 -> 800", "seeds: db/02-fixtures.sql changed"),
                    drift(cli, name, "driftChanges"));
            Cli.Result ps = cli.run("ps");
            String row = ps.out().lines().filter(l -> l.startsWith(name + "\t")).findFirst().orElseThrow(
                    () -> new AssertionError("no row for " + name + ": " + ps));
            assertEquals("mycnf,seeds", row.split("\t", -1)[7], ps::toString);

            Cli.Result again = cli.run("up", "shop", "--name", name);
            assertEquals(ExitCodes.NAME_CONFLICT, again.exitCode(), again::toString);
            assertEquals("devdb: instance " + name + " is running with a different configuration (max_connections: 500"
                    + " -> 800, seeds: db/02-fixtures.sql changed); replace it with `devdb up --recreate`, or pick"
                    + " another --name\n", again.err(), again::toString);
            try (Connection c = Cli.connect(up.json())) {
                assertEquals("500", Cli.variable(c, "max_connections"), "the refused up left the instance alone");
            }
        } finally {
            cli.run("down", name);
        }
    }

    private static List<String> drift(Cli cli, String name, String field) {
        Cli.Result ps = cli.run("ps", "--json");
        assertEquals(ExitCodes.OK, ps.exitCode(), ps::toString);
        for (JsonNode i : ps.json()) {
            if (i.get("name").asText().equals(name)) {
                List<String> values = new ArrayList<>();
                i.get(field).forEach(n -> values.add(n.asText()));
                return values;
            }
        }
        throw new AssertionError("no instance " + name + " in " + ps);
    }
}
