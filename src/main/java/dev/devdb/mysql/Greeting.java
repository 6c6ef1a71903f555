package dev.devdb.mysql;

import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Reads the handshake a MySQL or MariaDB server sends first on a new connection. A TCP connect
 * alone proves nothing (docker-proxy accepts before anything listens in the container); the
 * greeting's bytes come only from a server that is listening for clients.
 */
public final class Greeting {
    private Greeting() {}

    /**
     * What the server said.
     *
     * @param ready true when it sent a protocol-10 handshake
     * @param serverVersion the version string from the handshake, or null
     * @param error the server's error message when it refused the connection, or null
     */
    public record Answer(boolean ready, String serverVersion, String error) {
        static final Answer SILENT = new Answer(false, null, null);
    }

    /** Connects to host:port and reads the first packet, within the timeout given. */
    public static Answer probe(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] header = new byte[4];
            in.readFully(header);
            int length = (header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16;
            if (length <= 0 || length > 1 << 16) {
                return Answer.SILENT;
            }
            byte[] payload = new byte[length];
            in.readFully(payload);
            return parse(payload);
        } catch (IOException e) {
            return Answer.SILENT;
        }
    }

    static Answer parse(byte[] payload) {
        int first = payload[0] & 0xff;
        if (first == 10) {
            int end = 1;
            while (end < payload.length && payload[end] != 0) {
                end++;
            }
            return new Answer(true, new String(payload, 1, end - 1, StandardCharsets.US_ASCII), null);
        }
        if (first == 0xff && payload.length > 3) {
            int start = 3;
            if (payload.length > 9 && payload[3] == '#') {
                start = 9;
            }
            return new Answer(false, null, new String(payload, start, payload.length - start, StandardCharsets.UTF_8));
        }
        return Answer.SILENT;
    }
}
