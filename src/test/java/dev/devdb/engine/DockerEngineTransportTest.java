package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.devdb.error.DevDbException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What a tcp endpoint speaks on the wire: HTTP without TLS, a TLS handshake with it. */
@Timeout(30)
class DockerEngineTransportTest {

    /** The first byte a client sends to a listener that then closes the connection. */
    private static int firstByte(Map<String, String> env, Endpoint.Tls tls) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Integer> first = new CompletableFuture<>();
            Thread listener = new Thread(() -> {
                // every connection (the client retries once) is read from and closed, until the test ends
                while (!server.isClosed()) {
                    try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                        first.complete(in.read());
                    } catch (Exception e) {
                        first.complete(-2);
                    }
                }
            });
            listener.setDaemon(true);
            listener.start();
            String uri = "tcp://127.0.0.1:" + server.getLocalPort();
            Endpoint endpoint = tls == null ? Endpoints.resolve(Map.of("DOCKER_HOST", uri))
                    : new Endpoint(uri, Endpoint.Origin.DOCKER_HOST, null, tls);
            try (DockerEngine engine = DockerEngine.connect(endpoint)) {
                assertThrows(DevDbException.class, engine::version);
            }
            return first.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void a_plain_tcp_endpoint_speaks_http() throws Exception {
        assertEquals('G', firstByte(Map.of(), null), "an HTTP request starts with GET");
    }

    @Test
    void a_tcp_endpoint_with_tls_starts_a_tls_handshake() throws Exception {
        assertEquals(0x16, firstByte(Map.of(), new Endpoint.Tls(null, null, null, true, "test")),
                "a TLS record of type handshake");
    }
}
