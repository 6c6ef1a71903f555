package dev.devdb.it;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The certificate a MySQL or MariaDB server presents in its TLS handshake: the client's half of the
 * protocol up to the handshake (the server's greeting, then an SSL request), and no further.
 */
final class ServedCertificate {
    private ServedCertificate() {}

    /** The server's certificate, as it sends it to a client on 127.0.0.1:port. */
    static X509Certificate of(int port) throws Exception {
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            plain.setSoTimeout(5000);
            DataInputStream in = new DataInputStream(plain.getInputStream());
            byte[] header = new byte[4];
            in.readFully(header);
            in.readFully(new byte[(header[0] & 0xff) | (header[1] & 0xff) << 8 | (header[2] & 0xff) << 16]);
            // SSLRequest, sequence 1: CLIENT_LONG_PASSWORD | PROTOCOL_41 | SSL | SECURE_CONNECTION, 16 MB, utf8mb4
            byte[] request = new byte[4 + 32];
            request[0] = 32;
            request[3] = 1;
            int flags = 0x1 | 0x200 | 0x800 | 0x8000;
            for (int i = 0; i < 4; i++) {
                request[4 + i] = (byte) (flags >>> (8 * i));
            }
            request[4 + 7] = 1; // max packet 0x01000000
            request[4 + 8] = 45;
            OutputStream out = plain.getOutputStream();
            out.write(request);
            out.flush();
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(plain, "127.0.0.1", port, false)) {
                tls.startHandshake();
                Certificate[] chain = tls.getSession().getPeerCertificates();
                return (X509Certificate) chain[0];
            }
        }
    }

    /** A certificate in PEM (or DER) bytes. */
    static X509Certificate parse(byte[] bytes) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(bytes));
    }
}
