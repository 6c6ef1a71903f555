package dev.devdb.core;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.mysql.StartScript;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ReadinessTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void the_start_scripts_line_is_seen_when_the_log_brings_it_cut_across_chunks() {
        Readiness.SetUpLine line = new Readiness.SetUpLine();
        line.accept(bytes("2026-12-06 03:13:10+00:00 [Note] [devdb]: all seed scripts have run\n2026-12-06 03:13:10+00:00"
                + " [Note] [devdb]: Initialised: ready "));
        assertFalse(line.seen(), "half a line");
        line.accept(bytes("for connections\n"));
        assertTrue(line.seen());
    }

    @Test
    void a_line_that_only_holds_the_words_somewhere_inside_is_not_the_scripts() {
        Readiness.SetUpLine line = new Readiness.SetUpLine();
        line.accept(bytes("ERROR 1064: near '" + StartScript.INITIALISED_LINE + "' at line 1\n"));
        line.accept(bytes("mariadbd: ready for connections.\n"));
        assertFalse(line.seen());
    }
}
