package dev.devdb.engine;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * An SSL context from the PEM files the docker command uses ({@code ca.pem}, {@code cert.pem}, {@code
 * key.pem}), read with the JDK alone. Keys may be PKCS#8 ({@code BEGIN PRIVATE KEY}, as openssl 3 writes
 * them), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}, as docker-machine and older openssl write them) or
 * SEC1 EC ({@code BEGIN EC PRIVATE KEY}); the last two are wrapped into PKCS#8 here. Encrypted keys are
 * refused: the docker command cannot use them either.
 */
final class PemTls {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\s*(?:[A-Za-z-]+:[^\\n]*\\n)*\\s*([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final byte[] RSA_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_OID = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};

    private PemTls() {}

    /**
     * The SSL context for the given files.
     *
     * @throws DevDbException (exit 2) naming the file that cannot be read or used, and where it came from
     */
    static SSLContext context(Endpoint.Tls tls) {
        if (tls.cert() == null != (tls.key() == null)) {
            Path missing = tls.cert() == null ? tls.key().resolveSibling("cert.pem") : tls.cert().resolveSibling("key.pem");
            throw new DevDbException(ExitCodes.USAGE, "TLS for the Docker engine (" + tls.from() + ") has "
                    + (tls.cert() == null ? "a key but no certificate" : "a certificate but no key") + ": " + missing
                    + " is missing; put both there, or neither");
        }
        try {
            TrustManager[] trust;
            if (!tls.verify()) {
                trust = new TrustManager[] {new TrustingAll()};
            } else if (tls.ca() != null) {
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                int i = 0;
                for (Certificate c : certificates(tls.ca(), tls.from())) {
                    store.setCertificateEntry("ca" + i++, c);
                }
                TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                f.init(store);
                trust = f.getTrustManagers();
            } else {
                trust = null;
            }
            KeyManagerFactory keys = null;
            if (tls.cert() != null) {
                List<Certificate> chain = certificates(tls.cert(), tls.from());
                PrivateKey key = privateKey(tls.key(), tls.from());
                KeyStore store = KeyStore.getInstance("PKCS12");
                store.load(null, null);
                char[] password = new char[0];
                store.setKeyEntry("client", key, password, chain.toArray(new Certificate[0]));
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(store, password);
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot set up TLS for the Docker engine (" + tls.from() + "): "
                    + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path file, String from) {
        byte[] bytes = read(file, "certificate", from);
        try {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes));
            if (all.isEmpty()) {
                throw new DevDbException(ExitCodes.USAGE, "the TLS certificate " + file + " (" + from + ") holds no"
                        + " certificate: put the PEM certificate there");
            }
            return new ArrayList<>(all);
        } catch (GeneralSecurityException e) {
            throw new DevDbException(ExitCodes.USAGE, "the TLS certificate " + file + " (" + from + ") is not a PEM"
                    + " certificate (" + e.getMessage() + "): put the PEM certificate there", e);
        }
    }

    /** A private key from a PEM file: PKCS#8, PKCS#1 RSA or SEC1 EC. */
    static PrivateKey privateKey(Path file, String from) {
        String text = new String(read(file, "key", from), StandardCharsets.US_ASCII);
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            String type = m.group(1);
            if (!type.endsWith("PRIVATE KEY")) {
                continue;
            }
            if (type.equals("ENCRYPTED PRIVATE KEY") || m.group().contains("ENCRYPTED")) {
                throw new DevDbException(ExitCodes.USAGE, "the TLS key " + file + " (" + from + ") is encrypted:"
                        + " decrypt it (openssl pkey -in KEY -out KEY) as the docker command needs it too");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2));
            } catch (IllegalArgumentException e) {
                throw unusableKey(file, from, "its base64 is damaged", e);
            }
            try {
                return switch (type) {
                    case "PRIVATE KEY" -> pkcs8(der);
                    case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(
                            new PKCS8EncodedKeySpec(wrap(sequence(RSA_OID, new byte[] {0x05, 0x00}), der)));
                    case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(
                            new PKCS8EncodedKeySpec(wrap(sequence(EC_OID, curve(der)), der)));
                    default -> throw unusableKey(file, from, "it is a " + type + ", which devdb cannot read", null);
                };
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                throw unusableKey(file, from, e.getMessage(), e);
            }
        }
        throw unusableKey(file, from, "it holds no PEM private key", null);
    }

    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw last;
    }

    private static DevDbException unusableKey(Path file, String from, String why, Exception cause) {
        return new DevDbException(ExitCodes.USAGE, "the TLS key " + file + " (" + from + ") cannot be used: " + why
                + "; it should be the PEM key that belongs to cert.pem (PKCS#8, RSA or EC)", cause);
    }

    private static byte[] read(Path file, String what, String from) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DevDbException(ExitCodes.USAGE, "cannot read the TLS " + what + " " + file + " (" + from + "): "
                    + (e instanceof AccessDeniedException ? "permission denied" : e.toString())
                    + "; fix its permissions or point to readable files", e);
        }
    }

    // ---- DER, as much as wrapping a key into PKCS#8 needs ----

    /** PKCS#8: SEQUENCE { INTEGER 0, algorithm, OCTET STRING key }. */
    private static byte[] wrap(byte[] algorithm, byte[] key) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithm, tlv(0x04, key)));
    }

    /** AlgorithmIdentifier: SEQUENCE { OID, parameters }. */
    private static byte[] sequence(byte[] oid, byte[] parameters) {
        return tlv(0x30, concat(tlv(0x06, oid), parameters));
    }

    /** The named curve of a SEC1 key: its [0] parameters, an OID. */
    private static byte[] curve(byte[] sec1) {
        int[] outer = header(sec1, 0);
        if ((sec1[0] & 0xff) != 0x30) {
            throw new IllegalArgumentException("it is not an EC key");
        }
        int at = outer[0];
        int end = outer[0] + outer[1];
        while (at < end) {
            int[] h = header(sec1, at);
            if ((sec1[at] & 0xff) == 0xa0) {
                int[] inner = header(sec1, h[0]);
                if ((sec1[h[0]] & 0xff) != 0x06) {
                    break;
                }
                return tlv(0x06, java.util.Arrays.copyOfRange(sec1, inner[0], inner[0] + inner[1]));
            }
            at = h[0] + h[1];
        }
        throw new IllegalArgumentException("the EC key names no curve; write it as PKCS#8 (openssl pkcs8 -topk8"
                + " -nocrypt)");
    }

    /** The offset of a DER element's content and its length. */
    private static int[] header(byte[] der, int at) {
        if (at + 2 > der.length) {
            throw new IllegalArgumentException("the key's DER is cut short");
        }
        int len = der[at + 1] & 0xff;
        int content = at + 2;
        if (len > 0x80) {
            int n = len & 0x7f;
            if (n > 3 || content + n > der.length) {
                throw new IllegalArgumentException("the key's DER is damaged");
            }
            len = 0;
            for (int i = 0; i < n; i++) {
                len = len << 8 | der[content + i] & 0xff;
            }
            content += n;
        } else if (len == 0x80) {
            throw new IllegalArgumentException("the key's DER is damaged");
        }
        if (content + len > der.length) {
            throw new IllegalArgumentException("the key's DER is cut short");
        }
        return new int[] {content, len};
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + 6);
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A context's SkipTLSVerify: any certificate is accepted (the engine's name must still match it). */
    private static final class TrustingAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
