package dev.devdb.mysql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ServerCertificateTest {
    private static final Instant NOW = Instant.parse("2026-12-06T07:00:00Z");

    static X509Certificate parse(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    static PrivateKey key(String pem) throws Exception {
        String base64 = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "")
                .replaceAll("\\s", "");
        return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }

    @Test
    void certificate_is_a_self_signed_v3_certificate_of_ten_years_from_an_hour_ago() throws Exception {
        ServerCertificate made = ServerCertificate.generate("devdb MariaDB Server", NOW);
        X509Certificate cert = parse(made.certificate());
        assertEquals(3, cert.getVersion());
        assertEquals("CN=devdb MariaDB Server", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertEquals(NOW.minus(Duration.ofHours(1)), cert.getNotBefore().toInstant());
        assertEquals(NOW.minus(Duration.ofHours(1)).plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant());
        assertTrue(cert.getSerialNumber().signum() > 0);
        cert.verify(cert.getPublicKey()); // throws unless signed by its own key
    }

    @Test
    void key_is_the_private_half_of_the_certificates_key() throws Exception {
        ServerCertificate made = ServerCertificate.generate("x", NOW);
        assertTrue(made.key().startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(made.key().endsWith("\n-----END PRIVATE KEY-----\n"));
        assertTrue(made.certificate().lines().allMatch(l -> l.length() <= 64));
        byte[] data = "hello".getBytes(StandardCharsets.UTF_8);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(key(made.key()));
        signer.update(data);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(parse(made.certificate()).getPublicKey());
        verifier.update(data);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void every_call_makes_a_new_key_and_serial() throws Exception {
        X509Certificate a = parse(ServerCertificate.generate("x", NOW).certificate());
        X509Certificate b = parse(ServerCertificate.generate("x", NOW).certificate());
        assertNotEquals(a.getSerialNumber(), b.getSerialNumber());
        assertFalse(java.util.Arrays.equals(a.getPublicKey().getEncoded(), b.getPublicKey().getEncoded()));
    }

    @Test
    void dates_from_2050_are_generalized_time() throws Exception {
        Instant late = Instant.parse("2045-06-01T00:00:00Z");
        X509Certificate cert = parse(ServerCertificate.generate("x", late).certificate());
        assertEquals(late.minus(Duration.ofHours(1)).plus(Duration.ofDays(3650)), cert.getNotAfter().toInstant());
        assertArrayEquals(cert.getIssuerX500Principal().getEncoded(), cert.getSubjectX500Principal().getEncoded());
    }

    @Test
    void only_mariadb_11_4_and_later_make_their_own_at_every_start() {
        assertTrue(ServerCertificate.madeAtEveryStart(Flavor.MARIADB, ServerVersion.ofTag("11.8")));
        assertTrue(ServerCertificate.madeAtEveryStart(Flavor.MARIADB, ServerVersion.ofTag("11.4")));
        assertTrue(ServerCertificate.madeAtEveryStart(Flavor.MARIADB, ServerVersion.ofTag("latest")));
        assertFalse(ServerCertificate.madeAtEveryStart(Flavor.MARIADB, ServerVersion.ofTag("11.2")));
        assertFalse(ServerCertificate.madeAtEveryStart(Flavor.MARIADB, ServerVersion.ofTag("10.11")));
        assertFalse(ServerCertificate.madeAtEveryStart(Flavor.MYSQL, ServerVersion.ofTag("9.7")));
    }
}
