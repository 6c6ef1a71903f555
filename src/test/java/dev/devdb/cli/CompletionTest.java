package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompletionTest {
    @TempDir
    Path dir;

    private String script(String shell) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(out), new PrintWriter(err), Map.of(), dir, env -> {
            throw new AssertionError("completion must not need the engine");
        }, false, false, false);
        assertEquals(0, DevDb.commandLine(context).execute("completion", shell), err::toString);
        return out.toString();
    }

    /** Runs the completion function as bash would for the words given; returns COMPREPLY. */
    private String complete(String script, String... words) throws Exception {
        Path stub = dir.resolve("devdb");
        Files.writeString(stub, """
                #!/bin/sh
                case "$1 $2" in
                  "__complete profiles") printf 'mysql8\\nmysql9\\nshop\\n' ;;
                  "__complete instances") printf 'ci-1\\nci-2\\nweb\\n' ;;
                  *) exit 2 ;;
                esac
                """);
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path file = dir.resolve("completion.bash");
        Files.writeString(file, script);
        StringBuilder w = new StringBuilder();
        w.append("'").append(stub).append("'");
        for (String word : words) {
            w.append(" '").append(word).append("'");
        }
        String driver = "source '" + file + "' 2>/dev/null\n"
                + "COMP_WORDS=(" + w + "); COMP_CWORD=$((${#COMP_WORDS[@]}-1)); COMP_LINE=\"${COMP_WORDS[*]}\"\n"
                + "_complete_devdb 2>/dev/null; printf '%s\\n' \"${COMPREPLY[@]}\" | sort | tr '\\n' ' '\n";
        Process p = new ProcessBuilder("bash", "-c", driver).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(20, TimeUnit.SECONDS);
        return out.trim();
    }

    @Test
    void the_script_completes_commands_options_and_names_looked_up_at_tab_time() throws Exception {
        String script = script("bash");
        assertFalse(script.contains(Completion.PROFILES_MARKER), "marker left in the script");
        assertFalse(script.contains(Completion.INSTANCES_MARKER), "marker left in the script");
        assertEquals("env", complete(script, "en"));
        assertEquals("mysql8 mysql9", complete(script, "up", "my"));
        assertEquals("mysql8 mysql9 shop", complete(script, "profiles", "show", ""));
        assertEquals("ci-1 ci-2", complete(script, "env", "ci"));
        assertEquals("ci-1 ci-2 web", complete(script, "down", "ci-1", ""));
        assertEquals("ci-1 ci-2 web", complete(script, "wait", ""));
        assertEquals("ci-1 ci-2 web", complete(script, "shell", ""));
        assertEquals("web", complete(script, "reset", "w"));
        assertEquals("github", complete(script, "env", "--format", "g"));
        assertEquals("always", complete(script, "up", "--pull", "a"));
        assertTrue(complete(script, "up", "--no").contains("--no-wait"));
        assertFalse(complete(script, "").contains("__complete"), "the hidden command is not offered");
    }

    @Test
    void zsh_gets_the_same_script_which_loads_bashcompinit() {
        String zsh = script("zsh");
        assertEquals(script("bash"), zsh);
        assertTrue(zsh.contains("bashcompinit"));
    }
}
