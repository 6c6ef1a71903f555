package dev.devdb.engine;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * HTTP/1.1 over a Unix socket, for the requests of the engine's API that devdb writes itself (inspect,
 * list, create, start, files copied in): one connection per request, which the engine closes after its
 * answer. A command that sends only these never loads the HTTP client library under docker-java's
 * transport, whose classes and first run took several times what the engine takes to answer.
 */
final class UnixSocketHttp {
    private final UnixDomainSocketAddress address;

    /** An engine's answer: its status, and its body (empty when it has none). */
    record Answer(int status, byte[] body) {}

    UnixSocketHttp(Path socket) {
        this.address = UnixDomainSocketAddress.of(socket);
    }

    /**
     * Sends one request and reads the whole answer.
     *
     * @param path the request's path and query, already encoded
     * @param body what to send as {@code contentType}, or null for nothing
     * @throws IOException when the engine cannot be reached, or its answer is cut short or is not HTTP
     */
    Answer exchange(String method, String path, String contentType, byte[] body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(address);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: docker\r\nConnection: close\r\n");
            if (body != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            if (body != null || !method.equals("GET")) {
                head.append("Content-Length: ").append(body == null ? 0 : body.length).append("\r\n");
            }
            head.append("\r\n");
            write(channel, ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
            if (body != null) {
                write(channel, ByteBuffer.wrap(body));
            }
            return read(new BufferedInputStream(Channels.newInputStream(channel)), method.equals("HEAD"));
        }
    }

    /** What writes a request's body as it is sent. */
    interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Sends one request whose body is written as it goes, in chunked transfer coding (its length is not
     * known before: files streamed from disk), and reads the whole answer.
     *
     * @param path the request's path and query, already encoded
     * @throws IOException when the engine cannot be reached, or its answer is cut short or is not HTTP
     */
    Answer stream(String method, String path, String contentType, Body body) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(address);
            String head = method + ' ' + path + " HTTP/1.1\r\nHost: docker\r\nConnection: close\r\n"
                    + "Content-Type: " + contentType + "\r\nTransfer-Encoding: chunked\r\n\r\n";
            write(channel, ByteBuffer.wrap(head.getBytes(StandardCharsets.ISO_8859_1)));
            Chunked chunked = new Chunked(Channels.newOutputStream(channel));
            body.writeTo(chunked);
            chunked.finish();
            return read(new BufferedInputStream(Channels.newInputStream(channel)), false);
        }
    }

    /** A body in chunks of up to 64 kB; {@link #finish} writes the last, empty one. Closing it does nothing. */
    private static final class Chunked extends OutputStream {
        private final OutputStream out;
        private final byte[] buffer = new byte[1 << 16];
        private int used;

        Chunked(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            buffer[used++] = (byte) b;
            if (used == buffer.length) {
                chunk();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buffer.length - used);
                System.arraycopy(b, off, buffer, used, n);
                used += n;
                off += n;
                len -= n;
                if (used == buffer.length) {
                    chunk();
                }
            }
        }

        private void chunk() throws IOException {
            if (used == 0) {
                return;
            }
            out.write((Integer.toHexString(used) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(buffer, 0, used);
            out.write(CRLF);
            used = 0;
        }

        void finish() throws IOException {
            chunk();
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        @Override
        public void close() {
            // the connection stays open for the answer
        }

        private static final byte[] CRLF = {'\r', '\n'};
    }

    private static void write(SocketChannel channel, ByteBuffer bytes) throws IOException {
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    /**
     * Reads an HTTP/1.1 answer: its status line, headers, and body by its length, in chunks, or to the end
     * of the connection.
     */
    static Answer read(InputStream in, boolean head) throws IOException {
        while (true) {
            String status = line(in);
            if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
                throw new IOException("the engine's answer is not HTTP: " + printable(status));
            }
            int code;
            try {
                code = Integer.parseInt(status.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new IOException("the engine's answer is not HTTP: " + printable(status), e);
            }
            long length = -1;
            boolean chunked = false;
            for (String header = line(in); !header.isEmpty(); header = line(in)) {
                int colon = header.indexOf(':');
                if (colon < 0) {
                    continue;
                }
                String name = header.substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = header.substring(colon + 1).trim();
                if (name.equals("content-length")) {
                    try {
                        length = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new IOException("the engine's answer has a bad Content-Length: " + printable(value), e);
                    }
                } else if (name.equals("transfer-encoding") && value.toLowerCase(Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            if (code / 100 == 1) {
                continue; // an interim answer (100 Continue): the real one follows
            }
            if (head || code == 204 || code == 304) {
                return new Answer(code, new byte[0]);
            }
            if (chunked) {
                return new Answer(code, chunks(in));
            }
            if (length >= 0) {
                if (length > Integer.MAX_VALUE - 8) {
                    throw new IOException("the engine's answer is too large: " + length + " bytes");
                }
                byte[] body = in.readNBytes((int) length);
                if (body.length < length) {
                    throw new EOFException("the engine's answer ended after " + body.length + " of " + length
                            + " bytes");
                }
                return new Answer(code, body);
            }
            return new Answer(code, in.readAllBytes());
        }
    }

    /** A body in chunked transfer coding, decoded; trailers are read and dropped. */
    private static byte[] chunks(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int ext = size.indexOf(';');
            int n;
            try {
                n = Integer.parseInt((ext < 0 ? size : size.substring(0, ext)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("the engine's answer has a bad chunk size: " + printable(size), e);
            }
            if (n < 0) {
                throw new IOException("the engine's answer has a bad chunk size: " + printable(size));
            }
            if (n == 0) {
                while (!line(in).isEmpty()) {
                    // trailers
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(n);
            if (chunk.length < n) {
                throw new EOFException("the engine's answer ended within a chunk");
            }
            body.write(chunk);
            line(in);
        }
    }

    /** One line, without its CR LF; the end of the stream before it ends is an error. */
    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new EOFException("the engine closed the connection before its answer ended");
            }
            if (b == '\n') {
                int end = s.length();
                if (end > 0 && s.charAt(end - 1) == '\r') {
                    s.setLength(end - 1);
                }
                return s.toString();
            }
            if (s.length() >= 65536) {
                throw new IOException("the engine's answer has a line longer than 64 kB");
            }
            s.append((char) b);
        }
    }

    private static String printable(String s) {
        String cut = s.length() > 80 ? s.substring(0, 80) + "..." : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
