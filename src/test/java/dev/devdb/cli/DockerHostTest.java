package dev.devdb.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.devdb.error.ExitCodes;
import dev.devdb.engine.DockerEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** DOCKER_HOST values devdb cannot use: one line naming the variable and a valid form, exit 2, no connection tried. */
class DockerHostTest {
    private static final String VALID = "use unix:///path/to/docker.sock or tcp://HOST:PORT";

    @TempDir
    Path dir;

    private List<String> run(String dockerHost, int expected) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Context context = new Context(new PrintWriter(out), new PrintWriter(err),
                Map.of("DOCKER_HOST", dockerHost, "XDG_CONFIG_HOME", dir.toString()), dir, DockerEngine::connect,
                false, false, false);
        int code = DevDb.commandLine(context, new String[] {"ps"}).execute("ps");
        assertEquals(expected, code, err::toString);
        assertEquals("", out.toString());
        return err.toString().lines().toList();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"notaurl", "tcp://", "tcp://:2375", "unix://", "tcp://127.0.0.1:99999",
            "tcp://a b:1", "tcp://127.0.0.1:2375/path", "://x"})
    void a_malformed_endpoint_exits_2_naming_the_variable_and_a_valid_form(String value) {
        assertEquals(List.of("devdb: DOCKER_HOST '" + value + "' is not a Docker endpoint: " + VALID), run(value, 2));
    }

    @Test
    void ssh_is_refused_saying_how_to_reach_such_an_engine() {
        assertEquals(List.of("devdb: DOCKER_HOST 'ssh://nobody@127.0.0.1:1' uses ssh://, which devdb's Docker client"
                + " cannot speak: forward the engine's socket (ssh -nNT -L /tmp/docker.sock:/var/run/docker.sock"
                + " USER@HOST) and set DOCKER_HOST=unix:///tmp/docker.sock"), run("ssh://nobody@127.0.0.1:1", 2));
    }

    @Test
    void http_is_refused_with_the_tcp_endpoint_that_means_the_same() {
        assertEquals(List.of("devdb: DOCKER_HOST 'http://127.0.0.1:1' uses http://, which is not a Docker endpoint"
                + " scheme: write tcp://127.0.0.1:1 (TLS comes from DOCKER_TLS_VERIFY and DOCKER_CERT_PATH)"),
                run("http://127.0.0.1:1", 2));
    }

    @Test
    void another_scheme_is_refused_as_unsupported() {
        assertEquals(List.of("devdb: DOCKER_HOST 'fd://3' uses fd://, which devdb does not support: " + VALID),
                run("fd://3", 2));
    }

    @Test
    void a_well_formed_endpoint_is_tried_and_reported_unreachable() {
        List<String> err = run("unix://" + dir.resolve("nothing.sock"), ExitCodes.ENGINE_UNREACHABLE);
        assertEquals(1, err.size(), err::toString);
        List<String> tcp = run("tcp://127.0.0.1:1", ExitCodes.ENGINE_UNREACHABLE);
        assertEquals(1, tcp.size(), tcp::toString);
    }
}
