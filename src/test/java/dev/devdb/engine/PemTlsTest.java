package dev.devdb.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.devdb.error.DevDbException;
import dev.devdb.error.ExitCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** TLS files as docker, docker-machine and openssl write them, read with the JDK alone (no BouncyCastle). */
class PemTlsTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        try (InputStream in = PemTlsTest.class.getResourceAsStream("tls/" + name)) {
            Path file = dir.resolve(name);
            Files.write(file, in.readAllBytes());
            return file;
        }
    }

    private X509Certificate certificate(String name) throws Exception {
        try (InputStream in = Files.newInputStream(fixture(name))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "rsa-pkcs1.pem, rsa-cert.pem, SHA256withRSA",
        "rsa-pkcs8.pem, rsa-cert.pem, SHA256withRSA",
        "ec-sec1.pem, ec-cert.pem, SHA256withECDSA",
        "ec-pkcs8.pem, ec-cert.pem, SHA256withECDSA"})
    void a_key_in_each_form_signs_what_its_certificate_verifies(String key, String cert, String algorithm)
            throws Exception {
        PrivateKey k = PemTls.privateKey(fixture(key), "test");
        byte[] data = "devdb".getBytes(StandardCharsets.UTF_8);
        Signature sign = Signature.getInstance(algorithm);
        sign.initSign(k);
        sign.update(data);
        byte[] signature = sign.sign();
        Signature verify = Signature.getInstance(algorithm);
        verify.initVerify(certificate(cert).getPublicKey());
        verify.update(data);
        assertTrue(verify.verify(signature), key + " is not the key of " + cert);
    }

    @Test
    void an_encrypted_key_exits_2_saying_to_decrypt_it() throws IOException {
        Path key = fixture("rsa-encrypted.pem");
        DevDbException e = assertThrows(DevDbException.class, () -> PemTls.privateKey(key, "DOCKER_CERT_PATH x"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("the TLS key " + key + " (DOCKER_CERT_PATH x) is encrypted"), e.getMessage());
    }

    @Test
    void a_file_that_holds_no_key_exits_2_naming_it() throws IOException {
        Path key = fixture("rsa-cert.pem");
        DevDbException e = assertThrows(DevDbException.class, () -> PemTls.privateKey(key, "test"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertEquals("the TLS key " + key + " (test) cannot be used: it holds no PEM private key; it should be the PEM"
                + " key that belongs to cert.pem (PKCS#8, RSA or EC)", e.getMessage());
    }

    @Test
    void a_damaged_key_exits_2_naming_it() throws IOException {
        Path key = dir.resolve("key.pem");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD9\n-----END RSA PRIVATE KEY-----\n");
        DevDbException e = assertThrows(DevDbException.class, () -> PemTls.privateKey(key, "test"));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("the TLS key " + key + " (test) cannot be used: "), e.getMessage());
    }

    @Test
    void an_unreadable_certificate_exits_2_naming_it() throws IOException {
        Path ca = Files.createDirectory(dir.resolve("ca.pem"));
        DevDbException e = assertThrows(DevDbException.class,
                () -> PemTls.context(new Endpoint.Tls(ca, null, null, true, "context c")));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("cannot read the TLS certificate " + ca + " (context c): "), e.getMessage());
    }

    @Test
    void a_certificate_file_that_is_no_certificate_exits_2_naming_it() throws IOException {
        Path ca = fixture("rsa-pkcs8.pem");
        DevDbException e = assertThrows(DevDbException.class,
                () -> PemTls.context(new Endpoint.Tls(ca, null, null, true, "context c")));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().startsWith("the TLS certificate " + ca + " (context c) "), e.getMessage());
    }

    @Test
    void a_certificate_without_its_key_exits_2_naming_the_missing_file() throws IOException {
        Path cert = fixture("rsa-cert.pem");
        DevDbException e = assertThrows(DevDbException.class,
                () -> PemTls.context(new Endpoint.Tls(null, cert, null, true, "context c")));
        assertEquals(ExitCodes.USAGE, e.exitCode());
        assertTrue(e.getMessage().contains("has a certificate but no key: " + dir.resolve("key.pem")), e.getMessage());
    }

    @Test
    void a_full_set_of_files_makes_a_context() throws IOException {
        assertNotNull(PemTls.context(new Endpoint.Tls(fixture("ec-cert.pem"), fixture("rsa-cert.pem"),
                fixture("rsa-pkcs1.pem"), true, "test")));
    }
}
