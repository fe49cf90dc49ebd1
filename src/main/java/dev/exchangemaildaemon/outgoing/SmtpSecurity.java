package dev.exchangemaildaemon.outgoing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Optional;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import org.subethamail.smtp.auth.EasyAuthenticationHandlerFactory;
import org.subethamail.smtp.auth.LoginFailedException;
import org.subethamail.smtp.server.SMTPServer;

import dev.exchangemaildaemon.config.MailConfig;

/**
 * The SMTP port's optional protection: STARTTLS with the configured key pair (then required), and AUTH PLAIN or
 * LOGIN against the configured local user name and password (then required), compared in constant time.
 */
final class SmtpSecurity {

    private SmtpSecurity() {
    }

    static SMTPServer.Builder apply(MailConfig.Smtp smtp, SMTPServer.Builder server) throws IOException {
        Optional<SSLContext> tls = tls(smtp);
        if (tls.isPresent()) {
            server.enableTLS().requireTLS().startTlsSocketFactory(tls.get());
        }
        if (smtp.username().isPresent() && smtp.password().isPresent()) {
            byte[] username = smtp.username().get().getBytes(StandardCharsets.UTF_8);
            byte[] password = smtp.password().get().getBytes(StandardCharsets.UTF_8);
            server.requireAuth().authenticationHandlerFactory(new EasyAuthenticationHandlerFactory(
                    (user, pass, context) -> {
                        boolean userMatches = MessageDigest.isEqual(username, user.getBytes(StandardCharsets.UTF_8));
                        boolean passwordMatches = MessageDigest.isEqual(password,
                                pass.getBytes(StandardCharsets.UTF_8));
                        if (!userMatches || !passwordMatches) {
                            throw new LoginFailedException();
                        }
                    }));
        }
        return server;
    }

    private static Optional<SSLContext> tls(MailConfig.Smtp smtp) throws IOException {
        if (smtp.keyStore().isEmpty()) {
            return Optional.empty();
        }
        char[] password = smtp.keyStorePassword().orElse("").toCharArray();
        try (InputStream in = Files.newInputStream(smtp.keyStore().get())) {
            KeyStore keyStore = KeyStore.getInstance("PKCS12");
            keyStore.load(in, password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(keyStore, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return Optional.of(context);
        } catch (GeneralSecurityException e) {
            throw new IOException("mail.outgoing.smtp.key-store " + smtp.keyStore().get()
                    + " cannot be used (wrong key-store-password, or not PKCS#12): " + e.getMessage(), e);
        }
    }
}
