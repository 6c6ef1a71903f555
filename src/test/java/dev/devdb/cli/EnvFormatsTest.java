package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EnvFormatsTest {
    private static final Map<String, String> NASTY = new LinkedHashMap<>();

    static {
        NASTY.put("PLAIN", "app");
        NASTY.put("QUOTES", "it's \"quoted\"");
        NASTY.put("EXPANSIONS", "$HOME `id` $(id) ${PATH} \\n");
        NASTY.put("SPACES", "  two  spaces ; rm -rf / # not a comment");
        NASTY.put("NEWLINE", "line1\nline2");
        NASTY.put("EMPTY", "");
        NASTY.put("URL", "mysql://app:p%40ss@127.0.0.1:3306/app?x=1&y=2");
    }

    @Test
    void shell_export_lines_read_back_exactly_in_sh_and_bash() throws Exception {
        String script = EnvFormats.shell(NASTY);
        for (String shell : List.of("sh", "bash")) {
            List<String> command = new ArrayList<>(List.of(shell, "-c",
                    "eval \"$1\"; shift; for v in \"$@\"; do eval \"printf '%s\\0' \\\"\\${$v}\\\"\"; done", shell,
                    script));
            command.addAll(NASTY.keySet());
            Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), shell);
            assertEquals(List.copyOf(NASTY.values()), List.of(out.split("\0", -1)).subList(0, NASTY.size()), shell);
        }
    }

    @Test
    void shell_variables_are_exported_to_child_processes() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "eval \"$1\"; sh -c 'printf %s \"$QUOTES\"'", "sh",
                EnvFormats.shell(NASTY)).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        assertEquals(NASTY.get("QUOTES"), out);
    }

    @Test
    void dotenv_keeps_url_values_bare_and_quotes_the_rest() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("MYSQL_PWD", "abc123");
        v.put("DATABASE_URL", "mysql://app:x@127.0.0.1:3306/app");
        v.put("DESCRIPTION", "has space $and dollar");
        assertEquals("MYSQL_PWD=abc123\nDATABASE_URL=mysql://app:x@127.0.0.1:3306/app\n"
                + "DESCRIPTION='has space $and dollar'\n", EnvFormats.dotenv(v));
    }

    @Test
    void dotenv_refuses_values_it_cannot_write_literally() {
        DevDbException e = assertThrows(DevDbException.class, () -> EnvFormats.dotenv(Map.of("MYSQL_PWD", "it's")));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("MYSQL_PWD"), e.getMessage());
        assertThrows(DevDbException.class, () -> EnvFormats.dotenv(Map.of("X", "a\nb")));
    }

    @Test
    void github_files_use_the_delimiter_form_and_parse_back() throws IOException {
        String text = EnvFormats.github(NASTY, "ghadelimiter_x1");
        Map<String, String> parsed = new LinkedHashMap<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String[] head = lines.get(i).split("<<", 2);
            StringBuilder value = new StringBuilder();
            int j = i + 1;
            while (!lines.get(j).equals(head[1])) {
                value.append(value.length() > 0 || j > i + 1 ? "\n" : "").append(lines.get(j));
                j++;
            }
            parsed.put(head[0], value.toString());
            i = j;
        }
        assertEquals(NASTY, parsed);
        assertThrows(IllegalStateException.class, () -> EnvFormats.github(Map.of("X", "ghadelimiter_x1"),
                "ghadelimiter_x1"));
    }
}
