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
    private static final String VALID = "use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://[USER@]HOST[:PORT]";

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

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"ssh://user:secret@127.0.0.1", "ssh://-oProxyCommand=x",
            "ssh://-l@127.0.0.1", "ssh://root@127.0.0.1:22/var/run/docker.sock", "ssh://127.0.0.1:99999",
            "ssh://127.0.0.1?x=1"})
    void a_malformed_ssh_endpoint_exits_2_saying_what_ssh_takes(String value) {
        assertEquals(List.of("devdb: DOCKER_HOST '" + value + "' is not an ssh endpoint: use ssh://[USER@]HOST[:PORT]"
                + " (no password: ssh's keys and agent authenticate)"), run(value, 2));
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
