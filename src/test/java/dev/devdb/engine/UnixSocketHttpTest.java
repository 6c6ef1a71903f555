package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** HTTP/1.1 over a Unix socket as devdb speaks it to a local engine: what it sends, and every way an answer ends. */
@Timeout(30)
class UnixSocketHttpTest {

    private static UnixSocketHttp.Answer read(String answer) throws IOException {
        return UnixSocketHttp.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.ISO_8859_1)), false);
    }

    private static String body(UnixSocketHttp.Answer a) {
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    @Test
    void a_body_is_read_by_its_length_in_chunks_or_to_the_end_of_the_connection() throws IOException {
        UnixSocketHttp.Answer sized = read("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                + "Content-Length: 11\r\n\r\n{\"Id\":\"a\"}\nleft over");
        assertEquals(200, sized.status());
        assertEquals("{\"Id\":\"a\"}\n", body(sized));

        UnixSocketHttp.Answer chunked = read("HTTP/1.1 404 Not Found\r\ntransfer-encoding: Chunked\r\n\r\n"
                + "b\r\n{\"message\":\r\n18;ext=1\r\n\"No such container: x\"}\n\r\n0\r\nTrailer: t\r\n\r\n");
        assertEquals(404, chunked.status());
        assertEquals("{\"message\":\"No such container: x\"}\n", body(chunked));

        UnixSocketHttp.Answer toEnd = read("HTTP/1.0 500 Internal Server Error\r\n\r\nserver error\n");
        assertEquals(500, toEnd.status());
        assertEquals("server error\n", body(toEnd));
    }

    @Test
    void answers_without_a_body_and_interim_answers() throws IOException {
        assertEquals(0, read("HTTP/1.1 204 No Content\r\n\r\n").body().length);
        assertEquals(304, read("HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n").status());
        UnixSocketHttp.Answer after = read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}");
        assertEquals(201, after.status());
        assertEquals("{}", body(after));
        UnixSocketHttp.Answer head = UnixSocketHttp.read(new ByteArrayInputStream(
                "HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)), true);
        assertEquals(0, head.body().length);
    }

    @Test
    void an_answer_cut_short_or_not_http_is_an_error() {
        assertThrows(EOFException.class, () -> read(""));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"));
        assertThrows(EOFException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: 2"));
        IOException notHttp = assertThrows(IOException.class, () -> read("SSH-2.0-OpenSSH_9.2\r\n"));
        assertTrue(notHttp.getMessage().contains("not HTTP: SSH-2.0-OpenSSH_9.2"), notHttp::getMessage);
        assertThrows(IOException.class, () -> read("HTTP/1.1 2x0 OK\r\n\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nContent-Length: many\r\n\r\n"));
        assertThrows(IOException.class, () -> read("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"));
    }

    @Test
    void a_request_goes_out_with_its_host_length_and_body_and_the_answer_comes_back(@TempDir Path dir)
            throws Exception {
        Path socket = dir.resolve("engine.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<String> received = new CompletableFuture<>();
            Thread engine = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (SocketChannel c = server.accept()) {
                        InputStream in = Channels.newInputStream(c);
                        ByteArrayOutputStream request = new ByteArrayOutputStream();
                        while (!request.toString(StandardCharsets.ISO_8859_1).contains("\r\n\r\n")) {
                            request.write(in.read());
                        }
                        String head = request.toString(StandardCharsets.ISO_8859_1);
                        int length = head.contains("Content-Length: 3\r\n") ? 3 : 0;
                        String all = head + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
                        if (i == 1) {
                            received.complete(all);
                        }
                        c.write(ByteBuffer.wrap(("HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "2\r\n{}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1)));
                    } catch (IOException e) {
                        received.completeExceptionally(e);
                    }
                }
            });
            engine.setDaemon(true);
            engine.start();

            UnixSocketHttp http = new UnixSocketHttp(socket);
            assertEquals(201, http.exchange("POST", "/containers/x/start", null, null).status());
            UnixSocketHttp.Answer a = http.exchange("PUT", "/containers/x/archive?path=%2Fetc", "application/x-tar",
                    new byte[] {1, 2, 3});

            assertEquals(201, a.status());
            assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), a.body());
            assertEquals("PUT /containers/x/archive?path=%2Fetc HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                    + "Content-Type: application/x-tar\r\nContent-Length: 3\r\n\r\n\u0001\u0002\u0003",
                    received.get(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void a_streamed_body_goes_out_in_chunks_of_at_most_64_kb_ended_by_an_empty_one(@TempDir Path dir)
            throws Exception {
        Path socket = dir.resolve("engine.sock");
        byte[] body = new byte[70_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture<byte[]> received = new CompletableFuture<>();
            Thread engine = new Thread(() -> {
                try (SocketChannel c = server.accept()) {
                    InputStream in = Channels.newInputStream(c);
                    ByteArrayOutputStream request = new ByteArrayOutputStream();
                    while (!request.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n0\r\n\r\n")) {
                        request.write(in.read());
                    }
                    received.complete(request.toByteArray());
                    c.write(ByteBuffer.wrap("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
                            .getBytes(StandardCharsets.ISO_8859_1)));
                } catch (IOException e) {
                    received.completeExceptionally(e);
                }
            });
            engine.setDaemon(true);
            engine.start();

            UnixSocketHttp.Answer a = new UnixSocketHttp(socket).stream("PUT", "/containers/x/archive?path=%2F",
                    "application/x-tar", out -> out.write(body));

            assertEquals(200, a.status());
            String sent = new String(received.get(10, TimeUnit.SECONDS), StandardCharsets.ISO_8859_1);
            String head = "PUT /containers/x/archive?path=%2F HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                    + "Content-Type: application/x-tar\r\nTransfer-Encoding: chunked\r\n\r\n";
            assertTrue(sent.startsWith(head + "10000\r\n"), sent.substring(0, Math.min(200, sent.length())));
            String rest = sent.substring(head.length() + "10000\r\n".length() + 65_536);
            assertTrue(rest.startsWith("\r\n" + Integer.toHexString(70_000 - 65_536) + "\r\n"), rest.substring(0, 12));
            assertEquals(head.length() + 7 + 65_536 + 2 + 6 + (70_000 - 65_536) + 2 + 5, sent.length());
            byte[] data = (sent.substring(head.length() + 7, head.length() + 7 + 65_536)
                    + sent.substring(head.length() + 7 + 65_536 + 2 + 6, sent.length() - 7))
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertArrayEquals(body, data);
        }
    }

    @Test
    void a_socket_nobody_listens_on_cannot_be_reached(@TempDir Path dir) {
        UnixSocketHttp http = new UnixSocketHttp(dir.resolve("docker.sock"));
        assertThrows(IOException.class, () -> http.exchange("GET", "/version", null, null));
    }
}
