package dev.exchangemaildaemon.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An app's self-signed certificate and private key, made by openssl as the README tells an admin to: PEM files,
 * and the same pair in a PKCS#12 file. Generated per test into a temporary directory; no key is committed.
 *
 * @param certificate the PEM certificate
 * @param privateKey the unencrypted PKCS#8 PEM key
 * @param pkcs12 both in a PKCS#12 file protected by {@code pkcs12Password}
 */
public record TestCertificates(Path certificate, Path privateKey, Path pkcs12, String pkcs12Password) {

    /** A new RSA key and a certificate for it valid for {@code days} days from now. */
    public static TestCertificates create(Path dir, String name, int days) {
        Path certificate = dir.resolve(name + ".crt.pem");
        Path key = dir.resolve(name + ".key.pem");
        Path pkcs12 = dir.resolve(name + ".p12");
        String password = "p12-" + name + "-Kk9";
        openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out",
                certificate.toString(), "-days", String.valueOf(days), "-subj", "/CN=exchange-mail-daemon " + name);
        openssl(dir, "pkcs12", "-export", "-in", certificate.toString(), "-inkey", key.toString(), "-out",
                pkcs12.toString(), "-passout", "pass:" + password);
        return new TestCertificates(certificate, key, pkcs12, password);
    }

    public X509Certificate x509() {
        try (InputStream in = Files.newInputStream(certificate)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key, as the test signs its own assertions with it. */
    public PrivateKey key() {
        try {
            String pem = Files.readString(privateKey).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pem)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The certificate's SHA-256 thumbprint, base64url as RFC 7515 spells x5t#S256. */
    public String sha256Thumbprint() {
        try {
            return Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(x509().getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void openssl(Path dir, String... arguments) {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("openssl.out").toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("openssl " + arguments[0] + " did not finish within 60 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("openssl " + arguments[0] + " failed: "
                        + Files.readString(dir.resolve("openssl.out")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run openssl", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
