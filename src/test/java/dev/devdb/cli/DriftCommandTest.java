package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

@Timeout(60)
class DriftCommandTest {
    @RegisterExtension
    final TestCli cli = TestCli.withImages("devdb-test/mysql:9.7", "devdb-test/mysql:9.8");

    private static final String SHOP = "flavor: mysql\nversion: \"9.7\"\nmycnf:\n  max_connections: 500\n"
            + "init:\n  - ../db/01-schema.sql\n  - ../db/02-fixtures.sql\n";

    private Path db(String file, String sql) throws IOException {
        return Files.writeString(Files.createDirectories(cli.cwd.resolve("db")).resolve(file), sql);
    }

    private void shopUp() throws IOException {
        db("01-schema.sql", "CREATE TABLE t (id INT);\n");
        db("02-fixtures.sql", "INSERT INTO t VALUES (1);\n");
        cli.projectProfile("shop", SHOP);
        cli.run("up", "shop").exits(ExitCodes.OK);
    }

    private List<String> psCells() {
        TestCli.Run ps = cli.run("ps").exits(ExitCodes.OK);
        assertEquals(1, ps.outLines().size(), ps::describe);
        return List.of(ps.outLines().get(0).split("\t", -1));
    }

    @Test
    void an_instance_whose_profile_is_unchanged_has_no_drift() throws IOException {
        shopUp();

        assertEquals("-", psCells().get(7));
    }

    @Test
    void ps_names_a_changed_mycnf_and_a_changed_seed() throws IOException {
        shopUp();
        cli.projectProfile("shop", SHOP.replace("500", "800"));
        db("02-fixtures.sql", "INSERT INTO t VALUES (2);\n");

        assertEquals("mycnf,seeds", psCells().get(7));

        TestCli.Run json = cli.run("ps", "--json").exits(ExitCodes.OK);
        JsonNode i = new ObjectMapper().readTree(json.out()).get(0);
        assertEquals(List.of("mycnf", "seeds"), texts(i.get("drift")), json::describe);
        assertEquals(List.of("max_connections: 500 -> 800", "seeds: db/02-fixtures.sql changed"),
                texts(i.get("driftChanges")), json::describe);
    }

    @Test
    void ps_names_a_new_version_an_added_seed_and_an_unreadable_profile() throws IOException {
        shopUp();
        db("03-more.sql", "SELECT 1;\n");
        cli.projectProfile("shop", SHOP.replace("9.7", "9.8") + "  - ../db/03-more.sql\n");

        assertEquals("version,seeds", psCells().get(7));

        cli.projectProfile("shop", "flavor: mysql\nversion: [\n");
        assertEquals("profile", psCells().get(7));

        Files.delete(cli.cwd.resolve("profiles").resolve("shop.yaml"));
        TestCli.Run json = cli.run("ps", "--json").exits(ExitCodes.OK);
        JsonNode i = new ObjectMapper().readTree(json.out()).get(0);
        assertEquals(List.of("profile"), texts(i.get("drift")), json::describe);
        assertTrue(texts(i.get("driftChanges")).get(0).endsWith("shop.yaml is gone"), json::describe);
    }

    @Test
    void an_image_reference_that_names_another_image_now_is_image_drift() throws IOException {
        shopUp();
        cli.engine.withImage("devdb-test/mysql:9.7");

        TestCli.Run json = cli.run("ps", "--json").exits(ExitCodes.OK);
        JsonNode i = new ObjectMapper().readTree(json.out()).get(0);
        assertEquals(List.of("image"), texts(i.get("drift")), json::describe);
        assertEquals(List.of("image: devdb-test/mysql:9.7 names another image now (pulled or built since the instance"
                + " started)"), texts(i.get("driftChanges")), json::describe);
    }

    @Test
    void options_given_on_the_command_line_are_not_drift() throws IOException {
        db("01-schema.sql", "CREATE TABLE t (id INT);\n");
        db("02-fixtures.sql", "INSERT INTO t VALUES (1);\n");
        cli.projectProfile("shop", SHOP);
        cli.run("up", "shop", "--set", "max_connections=900", "--slow-log").exits(ExitCodes.OK);

        assertEquals("-", psCells().get(7));
    }

    @Test
    void a_repeated_up_of_a_drifted_instance_names_what_differs() throws IOException {
        shopUp();
        cli.projectProfile("shop", SHOP.replace("500", "800"));
        db("02-fixtures.sql", "INSERT INTO t VALUES (2);\n");

        TestCli.Run run = cli.run("up", "shop").exits(ExitCodes.NAME_CONFLICT);

        assertEquals(List.of("devdb: instance shop is running with a different configuration (max_connections: 500"
                + " -> 800, seeds: db/02-fixtures.sql changed); replace it with `devdb up --recreate`, or pick another"
                + " --name"), run.errLines(), run::describe);
    }

    @Test
    void after_up_recreate_the_instance_has_no_drift_again() throws IOException {
        shopUp();
        cli.projectProfile("shop", SHOP.replace("500", "800"));
        assertEquals("mycnf", psCells().get(7));

        cli.run("up", "shop", "--recreate").exits(ExitCodes.OK);

        assertEquals("-", psCells().get(7));
    }

    private static List<String> texts(JsonNode array) {
        List<String> result = new ArrayList<>();
        array.forEach(n -> result.add(n.asText()));
        return result;
    }
}
