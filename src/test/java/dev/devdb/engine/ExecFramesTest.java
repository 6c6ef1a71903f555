package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** An attached process's output as the engine frames it without a terminal, split into its two streams. */
class ExecFramesTest {

    private static byte[] frame(int stream, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[8 + p.length];
        f[0] = (byte) stream;
        f[4] = (byte) (p.length >>> 24);
        f[5] = (byte) (p.length >>> 16);
        f[6] = (byte) (p.length >>> 8);
        f[7] = (byte) p.length;
        System.arraycopy(p, 0, f, 8, p.length);
        return f;
    }

    private static byte[] join(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void frames_go_to_their_stream_in_order() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String big = "x".repeat(70_000);

        DockerEngine.demultiplex(join(frame(1, "app_t3f9c\n"), frame(2, "Warning: "), frame(1, big),
                frame(2, "password on the command line\n"), frame(1, "")), out, err);

        assertEquals("app_t3f9c\n" + big, out.toString(StandardCharsets.UTF_8));
        assertEquals("Warning: password on the command line\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void output_cut_short_keeps_what_came() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        byte[] whole = join(frame(1, "one\n"), frame(2, "two\n"));

        DockerEngine.demultiplex(java.util.Arrays.copyOf(whole, whole.length - 2), out, err);

        assertEquals("one\n", out.toString(StandardCharsets.UTF_8));
        assertEquals("tw", err.toString(StandardCharsets.UTF_8));
    }
}
