package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.auth.FederatedToken;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.Jwts;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Workload identity as Azure Kubernetes Service runs it: no secret, the kubelet's projected service account token
 * presented as the client assertion, read from its file for every token request as the kubelet rotates it.
 */
class WorkloadIdentityDeliveryTest {

    private static final String APP = "eeeeeeee-1111-2222-3333-444444444444";
    private static final String ISSUER = "https://oidc.prod-aks.azure.com/11111111-aaaa/22222222-bbbb/";
    private static final String SUBJECT = "system:serviceaccount:exchange-mail-daemon:exchange-mail-daemon";

    private final KeyPair clusterKeys = Jwts.rsaKeys();
    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(APP, UUID.randomUUID().toString())
            .addFederatedCredential(APP, ISSUER, SUBJECT, "api://AzureADTokenExchange", clusterKeys.getPublic());

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    private Path tokenFile() {
        return dir.resolve("azure-identity-token");
    }

    /** Writes a service account token for {@code subject} as the kubelet does, replacing the file. */
    private void project(String subject) throws Exception {
        long now = Instant.now().getEpochSecond();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("aud", List.of("api://AzureADTokenExchange"));
        claims.put("exp", now + 3600);
        claims.put("iat", now);
        claims.put("iss", ISSUER);
        claims.put("nbf", now);
        claims.put("sub", subject);
        Path next = dir.resolve("token.next");
        Files.writeString(next, Jwts.rs256(clusterKeys.getPrivate(), Map.of("alg", "RS256", "kid", "k1"), claims));
        Files.move(next, tokenFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private MailConfig config(String api) {
        Map<String, String> keys = new HashMap<>();
        keys.put("mail.entra.client-id", APP);
        keys.put("mail.entra.auth-flow", "workload-identity");
        keys.put("mail.entra.client-secret", "");
        keys.put("mail.entra.federated-token-file", tokenFile().toString());
        keys.put("mail.exchange.api", api);
        return SimulatorConfig.of(simulator, dir, keys);
    }

    private EntraTokens tokens(MailConfig config) {
        return new EntraTokens(config, TrustedTls.create(config.exchange().trustStore()), Clock.systemUTC(),
                new SimpleMeterRegistry());
    }

    @Test
    void anAppWithOnlyAFederatedCredentialDeliversOverEwsAndGraph() throws Exception {
        project(SUBJECT);
        simulator.addMailbox(INVOICES);
        int seeded = simulator.seedSampleMessages(INVOICES).size();
        Maildir maildir = new Maildir(dir.resolve("maildir").resolve(INVOICES)).create();

        assertEquals(seeded, poll(config("ews"), maildir).delivered());
        simulator.deliver(INVOICES, "inbox", dev.exchangemaildaemon.testing.TestMessages.plain(INVOICES, "graph"),
                false);
        assertEquals(1, poll(config("graph"), maildir).delivered());
    }

    @Test
    void theTokenFileIsReadAgainForEachTokenRequestAsItRotates() throws Exception {
        project(SUBJECT);
        AccessTokens tokens = tokens(config("ews")).forUser("", "");
        String first = tokens.get();

        project("system:serviceaccount:default:someone-else");
        tokens.refused(first); // the next get() must ask Entra ID again
        TokenException refused = assertThrows(TokenException.class, tokens::get);
        assertEquals("AADSTS700213", refused.errorCode().orElseThrow(), refused::getMessage);

        project(SUBJECT);
        assertNotEquals(first, tokens.get());
    }

    @Test
    void aMissingTokenFileIsNamed() {
        TokenException missing = assertThrows(TokenException.class, () -> tokens(config("ews")).forUser("", "").get());
        assertEquals(FederatedToken.UNREADABLE, missing.errorCode().orElseThrow(), missing::getMessage);
        assertEquals(0, simulator.tokenRequests("client_credentials"));
    }

    private PollOutcome poll(MailConfig config, Maildir maildir) throws Exception {
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        AccessTokens access = tokens(config).forUser(INVOICES, "");
        Mailbox mailbox = config.exchange().api() == MailConfig.MailboxApi.GRAPH
                ? new GraphConnector(config, tls, new SimpleMeterRegistry()).connect(INVOICES, access)
                : new EwsConnector(config, tls).connect(INVOICES, access);
        try (DeliveryLog log = DeliveryLog.open(dir.resolve("state/invoices.delivered"))) {
            return new MailboxPoll(mailbox, "inbox", maildir, log, AfterDelivery.MARK_READ, "Processed", "host",
                    new SetAside(), new PollProgress(Clock.systemUTC())).run();
        }
    }
}
