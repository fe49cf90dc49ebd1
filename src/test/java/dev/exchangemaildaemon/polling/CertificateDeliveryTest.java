package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.TestCertificates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An app registration with a certificate and no usable secret delivers mail end to end, over EWS and over Graph,
 * with the certificate as PEM files and as PKCS#12: MSAL4J signs each assertion, the simulator checks it as Entra ID
 * does (uploaded certificate by thumbprint, signature, audience, time, unique jti).
 */
class CertificateDeliveryTest {

    private static final String CERT_APP = "cccccccc-1111-2222-3333-444444444444";

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            // a secret the daemon never has: only the certificate can authenticate the app
            .registerApp(CERT_APP, UUID.randomUUID().toString());

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    private MailConfig config(String api, Map<String, String> credential) {
        Map<String, String> keys = new HashMap<>(credential);
        keys.put("mail.entra.client-id", CERT_APP);
        keys.put("mail.entra.auth-flow", "client-certificate");
        keys.put("mail.entra.client-secret", "");
        keys.put("mail.exchange.api", api);
        return SimulatorConfig.of(simulator, dir, keys);
    }

    static Map<String, String> pem(TestCertificates certificates) {
        return Map.of("mail.entra.certificate", certificates.certificate().toString(),
                "mail.entra.private-key", certificates.privateKey().toString());
    }

    static Map<String, String> pkcs12(TestCertificates certificates) {
        return Map.of("mail.entra.certificate-store", certificates.pkcs12().toString(),
                "mail.entra.certificate-store-password", certificates.pkcs12Password());
    }

    @Test
    void aCertificateOnlyAppDeliversOverEwsAndGraphFromPemAndPkcs12() throws Exception {
        TestCertificates certificates = TestCertificates.create(dir, "app", 365);
        simulator.uploadCertificate(CERT_APP, certificates.x509());
        simulator.addMailbox(INVOICES);
        List<byte[]> sent = new ArrayList<>(simulator.seedSampleMessages(INVOICES));
        Maildir maildir = new Maildir(dir.resolve("maildir").resolve(INVOICES)).create();

        int delivered = 0;
        for (MailConfig config : List.of(config("ews", pem(certificates)), config("graph", pkcs12(certificates)))) {
            delivered += poll(config, maildir).delivered();
            byte[] next = dev.exchangemaildaemon.testing.TestMessages.plain(INVOICES, "after " + config.exchange().api());
            simulator.deliver(INVOICES, "inbox", next, false);
            sent.add(next);
        }
        delivered += poll(config("ews", pkcs12(certificates)), maildir).delivered();
        delivered += poll(config("graph", pem(certificates)), maildir).delivered();

        assertEquals(sent.size(), delivered);
        assertEquals(new HashSet<>(MaildirContents.wrap(sent)),
                new HashSet<>(MaildirContents.messages(dir.resolve("maildir"), INVOICES)));
        assertTrue(simulator.tokenRequests("client_credentials") >= 4, "each configuration got its own token");
    }

    private PollOutcome poll(MailConfig config, Maildir maildir) throws Exception {
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        AccessTokens tokens = new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry())
                .forUser(INVOICES, "");
        Mailbox mailbox = config.exchange().api() == MailConfig.MailboxApi.GRAPH
                ? new GraphConnector(config, tls, new SimpleMeterRegistry()).connect(INVOICES, tokens)
                : new EwsConnector(config, tls).connect(INVOICES, tokens);
        try (DeliveryLog log = DeliveryLog.open(dir.resolve("state/invoices.delivered"))) {
            return new MailboxPoll(mailbox, "inbox", maildir, log, AfterDelivery.MARK_READ, "Processed", "host",
                    new SetAside(), new PollProgress(Clock.systemUTC())).run();
        }
    }
}
