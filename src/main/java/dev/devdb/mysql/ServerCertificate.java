package dev.devdb.mysql;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;

/**
 * A self-signed server certificate and its key, for MariaDB 11.4 and later: those servers make one at
 * every start when none is configured (a new key each time, 0.3 s of a quiet start and up to 2 s under
 * load). devdb makes one when it initialises a data directory, and the start script keeps it with the
 * data, so every later start from that data serves it. MySQL makes its own once, at initialisation.
 *
 * <p>An EC P-256 key and an X.509 v3 certificate signed with it (ECDSA with SHA-256), valid for ten
 * years from an hour ago, in PEM: what OpenSSL, and so the server, reads. The JDK has no public API
 * that writes a certificate, so its DER is written here; clients that verify MariaDB's self-signed
 * certificates by the password (MariaDB 11.4's clients, Connector/J 3.4 and later) take it as they
 * take the server's own.
 *
 * @param certificate the certificate, PEM ({@code -----BEGIN CERTIFICATE-----})
 * @param key the private key, PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----})
 */
public record ServerCertificate(String certificate, String key) {
    /** Where the start script finds a new one, under /etc/mysql; it moves them into the data directory. */
    public static final String DIRECTORY = "devdb-tls";
    public static final String CERTIFICATE_FILE = "server-cert.pem";
    public static final String KEY_FILE = "server-key.pem";

    private static final byte[] ECDSA_WITH_SHA256 = oid(1, 2, 840, 10045, 4, 3, 2);
    private static final byte[] COMMON_NAME = oid(2, 5, 4, 3);
    private static final Duration VALIDITY = Duration.ofDays(3650);

    /**
     * Whether a server makes a certificate of its own at every start when none is configured:
     * MariaDB 11.4 and later.
     */
    public static boolean madeAtEveryStart(Flavor flavor, ServerVersion version) {
        return flavor == Flavor.MARIADB && version.atLeast(11, 4);
    }

    /** A new key and a certificate for it, issued to and by {@code commonName}. */
    public static ServerCertificate generate(String commonName, Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] serial = new byte[16];
            new SecureRandom().nextBytes(serial);
            serial[0] = (byte) ((serial[0] & 0x7f) | 0x40); // positive, and 16 bytes long
            byte[] algorithm = der(0x30, ECDSA_WITH_SHA256);
            byte[] name = der(0x30, der(0x31, der(0x30, COMMON_NAME,
                    der(0x0c, commonName.getBytes(StandardCharsets.UTF_8)))));
            Instant from = now.minus(Duration.ofHours(1));
            byte[] tbs = der(0x30,
                    der(0xa0, der(0x02, new byte[] {2})), // v3
                    der(0x02, serial),
                    algorithm,
                    name,
                    der(0x30, time(from), time(from.plus(VALIDITY))),
                    name,
                    pair.getPublic().getEncoded()); // SubjectPublicKeyInfo
            Signature signer = Signature.getInstance("SHA256withECDSA");
            signer.initSign(pair.getPrivate());
            signer.update(tbs);
            byte[] signature = signer.sign();
            byte[] bits = new byte[signature.length + 1]; // no unused bits
            System.arraycopy(signature, 0, bits, 1, signature.length);
            byte[] certificate = der(0x30, tbs, algorithm, der(0x03, bits));
            return new ServerCertificate(pem("CERTIFICATE", certificate), pem("PRIVATE KEY",
                    pair.getPrivate().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime cannot make an EC P-256 key: " + e.getMessage(), e);
        }
    }

    /** UTCTime until 2049, GeneralizedTime from 2050, as RFC 5280 asks. */
    private static byte[] time(Instant t) {
        var utc = t.atOffset(ZoneOffset.UTC);
        boolean utcTime = utc.getYear() < 2050;
        String text = DateTimeFormatter.ofPattern(utcTime ? "yyMMddHHmmss'Z'" : "yyyyMMddHHmmss'Z'").format(utc);
        return der(utcTime ? 0x17 : 0x18, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** One DER element: the tag, the definite length, the contents. */
    private static byte[] der(int tag, byte[]... parts) {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        int length = content.size();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    private static byte[] oid(int... arcs) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(arcs[0] * 40 + arcs[1]);
        for (int i = 2; i < arcs.length; i++) {
            int arc = arcs[i];
            int groups = 1;
            while (arc >>> (7 * groups) != 0) {
                groups++;
            }
            for (int g = groups - 1; g >= 0; g--) {
                out.write(((arc >>> (7 * g)) & 0x7f) | (g > 0 ? 0x80 : 0));
            }
        }
        return der(0x06, out.toByteArray());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
