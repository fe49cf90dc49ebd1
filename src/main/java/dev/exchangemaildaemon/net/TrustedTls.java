package dev.exchangemaildaemon.net;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.exchangemaildaemon.config.MailConfig;

/**
 * The TLS context shared by token and EWS calls: the JDK's trusted CAs plus, when
 * {@code mail.exchange.trust-store} names a PEM file, the CAs in it.
 */
@ApplicationScoped
public class TrustedTls {

    @Produces
    @Singleton
    SSLContext sslContext(MailConfig config) {
        return create(config.exchange().trustStore());
    }

    public static SSLContext create(Optional<Path> extraCaPem) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            if (extraCaPem.isEmpty()) {
                context.init(null, null, null);
                return context;
            }
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            addJdkDefaults(trusted);
            int count = 0;
            try (InputStream in = Files.newInputStream(extraCaPem.get())) {
                for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    trusted.setCertificateEntry("extra-" + count++, certificate);
                }
            }
            if (count == 0) {
                throw new IllegalStateException(
                        "mail.exchange.trust-store: " + extraCaPem.get() + " holds no PEM certificate");
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trusted);
            context.init(null, factory.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(
                    "mail.exchange.trust-store: cannot read " + extraCaPem.orElse(null) + ": " + e.getMessage(), e);
        }
    }

    private static void addJdkDefaults(KeyStore trusted) throws GeneralSecurityException {
        TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        jdk.init((KeyStore) null);
        int index = 0;
        for (var manager : jdk.getTrustManagers()) {
            if (manager instanceof javax.net.ssl.X509TrustManager x509) {
                for (X509Certificate ca : x509.getAcceptedIssuers()) {
                    trusted.setCertificateEntry("jdk-" + index++, ca);
                }
            }
        }
    }
}
