package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InitFileTest {
    private static final String CDC = "MYSQL_CDC_PASSWORD";

    @TempDir
    Path dir;

    /** What the bash writer writes in an environment of exactly these variables. */
    private String written(Map<String, String> vars) throws Exception {
        Path file = dir.resolve("init.sql");
        Files.deleteIfExists(file);
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", InitFile.writer(file.toString(), CDC));
        pb.environment().clear();
        pb.environment().put("PATH", System.getenv("PATH"));
        pb.environment().putAll(vars);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals("", out);
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static Map<String, String> env(String root, String user, String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(InitFile.ROOT_PASSWORD, root);
        env.put(InitFile.USER, user);
        env.put(InitFile.PASSWORD, password);
        return env;
    }

    @Test
    void sets_every_password_in_one_statement_then_records_the_accounts() {
        assertEquals("SET SQL_LOG_BIN=0;\n" + Sql.BACKSLASH_ESCAPES + ";\n"
                + "ALTER USER IF EXISTS 'root'@'%' IDENTIFIED BY 'r1',\n"
                + "  'root'@'localhost' IDENTIFIED BY 'r1',\n"
                + "  'app'@'%' IDENTIFIED BY 'a''b',\n"
                + "  'cdc'@'%' IDENTIFIED BY 'c3';\n"
                + "SET @devdb_on_start = (SELECT IF(COUNT(*) > 0, 'CALL `_devdb`.`on_start`()', 'DO 0')"
                + " FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = '_devdb' AND ROUTINE_NAME = 'on_start');\n"
                + "PREPARE devdb_on_start FROM @devdb_on_start;\nEXECUTE devdb_on_start;\nDEALLOCATE PREPARE devdb_on_start;\n",
                InitFile.sql(with(env("r1", "app", "a'b"), CDC, "c3"), CDC));
    }

    @Test
    void without_a_cdc_password_the_cdc_account_is_left_out() {
        assertTrue(InitFile.sql(env("r", "app", "p"), CDC).contains("'app'@'%' IDENTIFIED BY 'p';\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "a'b\"c", "back\\slash\\", "new\nline\r\n", "amp&er $HOME `x` $(id) %s %%",
        "ünï€😀", "'", "\\'", "tab\there", "-n", "*"})
    void bash_writes_what_java_renders(String value) throws Exception {
        Map<String, String> vars = env(value + "1", "user " + value, value);
        assertEquals(InitFile.sql(vars, CDC), written(vars));
        Map<String, String> withCdc = with(vars, CDC, value + "c");
        assertEquals(InitFile.sql(withCdc, CDC), written(withCdc));
    }

    @Test
    void the_written_file_is_readable_by_its_owner_only() throws Exception {
        written(env("r", "u", "p"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("init.sql"))));
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put(key, value);
        return copy;
    }
}
