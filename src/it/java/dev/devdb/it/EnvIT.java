package dev.devdb.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.devdb.error.ExitCodes;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** env, url, wait and the JSON outputs, on one MySQL 9.7 instance started with --no-wait. */
class EnvIT {
    static final String NAME = "ci-env";
    static final List<String> VARIABLES = List.of("MYSQL_HOST", "MYSQL_TCP_PORT", "MYSQL_USER", "MYSQL_PWD",
            "MYSQL_DATABASE", "DATABASE_URL", "JDBC_URL");
    /** Fails on anything after the first JSON value: stdout must be JSON and nothing else. */
    static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    static Path dir;

    static Cli cli;
    static Cli.Result up;
    static Cli.Result earlyWait;
    static Cli.Result waited;

    @BeforeAll
    static void upWithoutWaiting() {
        cli = new Cli(dir);
        cli.run("down", NAME);
        up = cli.run("up", "mysql9", "--name", NAME, "--no-wait", "--ttl", "1h", "--json");
        earlyWait = cli.run("wait", NAME, "--timeout", "0.2s");
        waited = cli.run("wait", NAME, "--timeout", "300s");
    }

    @AfterAll
    static void down() {
        cli.run("down", NAME);
    }

    static JsonNode strictJson(Cli.Result r) {
        try {
            return STRICT.readTree(r.out());
        } catch (Exception e) {
            throw new AssertionError("stdout is not exactly one JSON value: " + r, e);
        }
    }

    static Set<String> fields(JsonNode object) {
        Set<String> names = new HashSet<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static void assertPlainStderr(Cli.Result r) {
        assertFalse(r.err().chars().anyMatch(c -> c < 0x20 && c != '\n' && c != '\t'),
                "control characters on a stderr that is not a terminal: " + r);
    }

    @Test
    void up_no_wait_returns_the_details_before_the_server_is_ready_and_wait_waits() throws Exception {
        assertEquals(0, up.exitCode(), up::toString);
        JsonNode json = strictJson(up);
        assertFalse(json.get("ready").asBoolean(), up::toString);
        assertTrue(json.get("port").asInt() > 0, up::toString);
        assertTrue(up.err().contains("devdb wait " + NAME), up::toString);
        assertPlainStderr(up);

        assertEquals(ExitCodes.TIMEOUT, earlyWait.exitCode(), earlyWait::toString);
        assertEquals(0, waited.exitCode(), waited::toString);
        assertTrue(waited.err().contains("is ready"), waited::toString);
        assertEquals("", waited.out(), "wait prints nothing on stdout");
        try (Connection c = Cli.connect(json)) {
            assertEquals("app", Cli.scalar(c, "SELECT DATABASE()"));
        }
    }

    @Test
    void env_evaluated_by_bash_exports_variables_that_connect() throws Exception {
        Cli.Result r = DevDbProcess.bash(dir, Map.of(), """
                set -e
                eval "$("$DEVDB" env %s)"
                for v in %s; do printf '%%s=%%s\\n' "$v" "$(printenv "$v")"; done
                """.formatted(NAME, String.join(" ", VARIABLES))).finish(120);
        assertEquals(0, r.exitCode(), r::toString);
        Map<String, String> vars = new LinkedHashMap<>();
        r.out().lines().forEach(l -> vars.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals(VARIABLES, new ArrayList<>(vars.keySet()), r::toString);
        assertEquals("127.0.0.1", vars.get("MYSQL_HOST"));
        assertEquals(strictJson(up).get("port").asText(), vars.get("MYSQL_TCP_PORT"));

        try (Connection c = DriverManager.getConnection(vars.get("JDBC_URL"))) {
            assertEquals("app", Cli.scalar(c, "SELECT DATABASE()"));
            assertTrue(Cli.scalar(c, "SELECT VERSION()").startsWith("9.7"));
        }
        String url = "jdbc:mysql://" + vars.get("MYSQL_HOST") + ":" + vars.get("MYSQL_TCP_PORT") + "/"
                + vars.get("MYSQL_DATABASE") + "?allowPublicKeyRetrieval=true&sslMode=DISABLED";
        try (Connection c = DriverManager.getConnection(url, vars.get("MYSQL_USER"), vars.get("MYSQL_PWD"))) {
            assertEquals(vars.get("MYSQL_USER") + "@%", Cli.scalar(c, "SELECT CURRENT_USER()"));
        }
        URI database = URI.create(vars.get("DATABASE_URL"));
        assertEquals("mysql", database.getScheme());
        assertEquals(vars.get("MYSQL_USER") + ":" + vars.get("MYSQL_PWD"), database.getUserInfo());
        assertEquals(Integer.parseInt(vars.get("MYSQL_TCP_PORT")), database.getPort());
        assertEquals("/" + vars.get("MYSQL_DATABASE"), database.getPath());

        Cli.Result url1 = cli.run("url", NAME);
        Cli.Result jdbc = cli.run("url", NAME, "--jdbc");
        assertEquals(vars.get("DATABASE_URL") + "\n", url1.out(), url1::toString);
        assertEquals(vars.get("JDBC_URL") + "\n", jdbc.out(), jdbc::toString);

        Cli.Result dotenv = cli.run("env", NAME, "--format", "dotenv");
        assertEquals(0, dotenv.exitCode(), dotenv::toString);
        Map<String, String> fromDotenv = new LinkedHashMap<>();
        dotenv.out().lines().forEach(l -> fromDotenv.put(l.substring(0, l.indexOf('=')), l.substring(l.indexOf('=') + 1)));
        assertEquals(vars, fromDotenv, "dotenv values (all URL-safe here) are written bare");
    }

    @Test
    void env_github_appends_to_the_runner_files_and_masks_the_password() throws Exception {
        Path envFile = dir.resolve("github_env");
        Path outputFile = dir.resolve("github_output");
        Files.writeString(envFile, "EARLIER=1\n");
        Cli.Result r = DevDbProcess.start(dir, Map.of("GITHUB_ENV", envFile.toString(), "GITHUB_OUTPUT",
                outputFile.toString()), List.of(DevDbProcess.LAUNCHER.toString(), "env", NAME, "--format", "github"))
                .finish(120);
        assertEquals(0, r.exitCode(), r::toString);
        String password = strictJson(up).get("password").asText();
        assertEquals("::add-mask::" + password + "\n", r.out());

        Map<String, String> env = parseGithubFile(Files.readString(envFile));
        assertEquals("1", env.remove("EARLIER"), "the file is appended to, not replaced");
        assertEquals(VARIABLES, new ArrayList<>(env.keySet()));
        assertEquals(password, env.get("MYSQL_PWD"));
        Map<String, String> outputs = parseGithubFile(Files.readString(outputFile));
        assertEquals(List.of("host", "port", "user", "password", "database", "url", "jdbc-url"),
                new ArrayList<>(outputs.keySet()));
        try (Connection c = DriverManager.getConnection(outputs.get("jdbc-url"))) {
            assertEquals("1", Cli.scalar(c, "SELECT 1"));
        }

        Cli.Result nowhere = cli.run("env", NAME, "--format", "github");
        if (System.getenv("GITHUB_ENV") == null && System.getenv("GITHUB_OUTPUT") == null) {
            assertEquals(ExitCodes.USAGE, nowhere.exitCode(), nowhere::toString);
        }
    }

    /** Reads NAME=value and NAME<<DELIMITER lines as the GitHub runner does. */
    static Map<String, String> parseGithubFile(String text) {
        Map<String, String> result = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int heredoc = line.indexOf("<<");
            if (heredoc < 0) {
                result.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
                continue;
            }
            String delimiter = line.substring(heredoc + 2);
            List<String> value = new ArrayList<>();
            int j = i + 1;
            while (!lines.get(j).equals(delimiter)) {
                value.add(lines.get(j++));
            }
            result.put(line.substring(0, heredoc), String.join("\n", value));
            i = j;
        }
        return result;
    }

    @Test
    void json_outputs_are_json_only_with_the_documented_fields() {
        Cli.Result again = cli.run("up", "mysql9", "--name", NAME, "--json");
        assertEquals(0, again.exitCode(), again::toString);
        JsonNode upJson = strictJson(again);
        assertEquals(Set.of("name", "scope", "profile", "flavor", "version", "container", "host", "port", "user",
                "password", "database", "url", "jdbcUrl", "ready"), fields(upJson));
        assertEquals(TestScope.NAME, upJson.get("scope").asText(), "up --json names the run's scope");
        assertTrue(upJson.get("ready").asBoolean(), "a repeated up of a ready instance reports it ready");
        assertPlainStderr(again);

        JsonNode ps = strictJson(cli.run("ps", "--json"));
        JsonNode row = null;
        for (JsonNode r : ps) {
            if (r.get("name").asText().equals(NAME)) {
                row = r;
            }
        }
        assertTrue(row != null, ps::toString);
        assertEquals(Set.of("name", "scope", "profile", "flavor", "version", "state", "host", "port", "container",
                "image", "created", "ageSeconds", "drift", "driftChanges", "engine"), fields(row));
        assertTrue(row.get("drift").isArray() && row.get("drift").isEmpty(), "a catalogue profile has not drifted: " + row);
        assertEquals(TestScope.NAME, row.get("scope").asText(), "ps --json names the instance's scope");
        assertEquals(upJson.get("port").asInt(), row.get("port").asInt());

        JsonNode profiles = strictJson(cli.run("profiles", "--json"));
        assertTrue(profiles.size() >= 6);
        assertEquals(Set.of("name", "origin", "location", "flavor", "version", "description", "shadowed"),
                fields(profiles.get(0)));

        JsonNode env = strictJson(cli.run("env", NAME, "--json"));
        assertEquals(new HashSet<>(VARIABLES), fields(env));
        assertEquals(upJson.get("password").asText(), env.get("MYSQL_PWD").asText());
        assertEquals(env, strictJson(cli.run("env", NAME, "--format", "json")));
    }

    @Test
    void completion_lists_this_instance_and_env_of_a_missing_one_fails_clearly() {
        Cli.Result names = cli.run("__complete", "instances");
        assertTrue(names.out().lines().anyMatch(NAME::equals), names::toString);
        Cli.Result profiles = cli.run("__complete", "profiles");
        assertTrue(profiles.out().lines().anyMatch("mysql9"::equals), profiles::toString);

        Cli.Result missing = cli.run("env", "ci-env-no-such");
        assertEquals(ExitCodes.NO_INSTANCE, missing.exitCode(), missing::toString);
        assertEquals("", missing.out());
        assertTrue(missing.err().startsWith("devdb: no instance named ci-env-no-such"), missing::toString);
    }
}
