package dev.devdb.mysql;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * A TCP listener on 127.0.0.1 that writes one packet to every connection and hangs up: enough of a
 * MySQL server for devdb's readiness probe.
 */
public final class FakeMysqlServer implements AutoCloseable {
    private final ServerSocket socket;
    private final Thread acceptor;

    private FakeMysqlServer(ServerSocket socket, byte[] packet) {
        this.socket = socket;
        this.acceptor = new Thread(() -> serve(packet), "fake-mysql-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A server greeting with a protocol-10 handshake for {@code version}, on {@code port} (0 for a free one). */
    public static FakeMysqlServer greeting(int port, String version) throws IOException {
        return sending(port, Packets.frame(0, Packets.handshakeV10(version)));
    }

    /** A server writing {@code packet} (already framed) to each connection. */
    public static FakeMysqlServer sending(int port, byte[] packet) throws IOException {
        ServerSocket socket = new ServerSocket();
        try {
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return new FakeMysqlServer(socket, packet);
    }

    public int port() {
        return socket.getLocalPort();
    }

    private void serve(byte[] packet) {
        while (!socket.isClosed()) {
            try (Socket client = socket.accept()) {
                OutputStream out = client.getOutputStream();
                out.write(packet);
                out.flush();
            } catch (IOException e) {
                // closed, or the client went away: accept the next one, or stop when closed
            }
        }
    }

    /** Stops listening; when this returns the port is free again (a blocked accept defers the real close). */
    @Override
    public void close() {
        try {
            socket.close();
            acceptor.join(5000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
