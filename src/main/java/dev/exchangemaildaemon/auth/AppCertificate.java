package dev.exchangemaildaemon.auth;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.exchangemaildaemon.config.MailConfig;

/**
 * The app's certificate (with any chain behind it) and its private key, from two PEM files or one PKCS#12 file.
 * Entra ID knows the app by the certificate's public part uploaded under Certificates &amp; secrets; the daemon
 * signs each token request's assertion with the private key. Failures name the key and file, never a password.
 *
 * @param key the RSA private key (MSAL4J signs with RS256)
 * @param chain the app's certificate first
 */
public record AppCertificate(PrivateKey key, List<X509Certificate> chain) {

    /** The code of a certificate or key file that cannot be read or parsed. */
    public static final String UNREADABLE = "CERTIFICATE_UNREADABLE";
    /** The code of a private key that does not belong to the certificate. */
    public static final String KEY_MISMATCH = "CERTIFICATE_KEY_MISMATCH";

    private static final Pattern PEM_BLOCK =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");

    public X509Certificate certificate() {
        return chain.get(0);
    }

    public Instant notAfter() {
        return certificate().getNotAfter().toInstant();
    }

    /** Loads what {@code mail.entra.certificate}/{@code private-key} or {@code certificate-store} name. */
    /**
     * What identifies the certificate files as they are now (each file's modification time and size), to tell when
     * they were replaced: a renewal by cert-manager or by hand takes effect without a restart.
     */
    public static String filesStamp(MailConfig.Entra entra) {
        StringBuilder stamp = new StringBuilder();
        for (Optional<Path> file : List.of(entra.certificateStore(), entra.certificate(), entra.privateKey())) {
            file.ifPresent(path -> {
                try {
                    stamp.append(path).append('@').append(Files.getLastModifiedTime(path).toMillis()).append('+')
                            .append(Files.size(path)).append(';');
                } catch (IOException unreadable) {
                    stamp.append(path).append("@unreadable;");
                }
            });
        }
        return stamp.toString();
    }

    public static AppCertificate load(MailConfig.Entra entra) throws TokenException {
        AppCertificate loaded = entra.certificateStore().isPresent()
                ? fromPkcs12(entra.certificateStore().get(), entra.certificateStorePassword().orElse(""))
                : fromPem(entra.certificate().orElseThrow(), entra.privateKey().orElseThrow());
        loaded.checkKeyMatches();
        return loaded;
    }

    static AppCertificate fromPem(Path certificateFile, Path keyFile) throws TokenException {
        List<X509Certificate> chain = new ArrayList<>();
        try (InputStream in = Files.newInputStream(certificateFile)) {
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) certificate);
            }
        } catch (IOException | GeneralSecurityException e) {
            throw unreadable("mail.entra.certificate", certificateFile, e.toString());
        }
        if (chain.isEmpty()) {
            throw unreadable("mail.entra.certificate", certificateFile, "no PEM certificate in it");
        }
        return new AppCertificate(pemPrivateKey(keyFile), Collections.unmodifiableList(chain));
    }

    private static PrivateKey pemPrivateKey(Path keyFile) throws TokenException {
        String text;
        try {
            text = Files.readString(keyFile, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw unreadable("mail.entra.private-key", keyFile, e.toString());
        }
        Matcher block = PEM_BLOCK.matcher(text);
        while (block.find()) {
            switch (block.group(1)) {
                case "PRIVATE KEY" -> {
                    try {
                        byte[] der = Base64.getMimeDecoder().decode(block.group(2));
                        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException | IllegalArgumentException e) {
                        throw unreadable("mail.entra.private-key", keyFile, "not an RSA private key: " + e);
                    }
                }
                case "RSA PRIVATE KEY" -> throw unreadable("mail.entra.private-key", keyFile, "a PKCS#1 key ('BEGIN"
                        + " RSA PRIVATE KEY'); convert it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in OLD -out NEW");
                case "ENCRYPTED PRIVATE KEY" -> throw unreadable("mail.entra.private-key", keyFile, "the key is"
                        + " encrypted; decrypt it (openssl pkcs8 -in OLD -out NEW) or put certificate and key in a"
                        + " PKCS#12 file with a password (mail.entra.certificate-store)");
                default -> {
                    // a certificate or parameters beside the key: look further
                }
            }
        }
        throw unreadable("mail.entra.private-key", keyFile, "no 'BEGIN PRIVATE KEY' PEM block in it");
    }

    static AppCertificate fromPkcs12(Path file, String password) throws TokenException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, password.toCharArray());
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias) && store.getKey(alias, password.toCharArray()) instanceof PrivateKey key) {
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate certificate : store.getCertificateChain(alias)) {
                        chain.add((X509Certificate) certificate);
                    }
                    return new AppCertificate(key, Collections.unmodifiableList(chain));
                }
            }
            throw unreadable("mail.entra.certificate-store", file, "no private key entry in it");
        } catch (IOException e) {
            boolean wrongPassword = e.getCause() instanceof UnrecoverableKeyException;
            throw unreadable("mail.entra.certificate-store", file, wrongPassword
                    ? "it cannot be opened with mail.entra.certificate-store-password (wrong password?)" : e.toString());
        } catch (GeneralSecurityException e) {
            throw unreadable("mail.entra.certificate-store", file, e.toString());
        }
    }

    /**
     * The key must be the certificate's: else every assertion fails Entra ID's signature check with an error that
     * reads like a missing upload (AADSTS700027), so the daemon says so itself, before asking.
     */
    private void checkKeyMatches() throws TokenException {
        boolean matches = key instanceof RSAKey privateKey && certificate().getPublicKey() instanceof RSAKey publicKey
                && privateKey.getModulus().equals(publicKey.getModulus());
        if (!matches) {
            throw new TokenException(KEY_MISMATCH, "The private key does not belong to the certificate "
                    + certificate().getSubjectX500Principal().getName() + " (mail.entra.private-key or the key in"
                    + " mail.entra.certificate-store; an RSA key is needed)", null);
        }
    }

    private static TokenException unreadable(String key, Path file, String why) {
        return new TokenException(UNREADABLE, key + ": cannot read " + file.toAbsolutePath() + ": " + why, null);
    }
}
