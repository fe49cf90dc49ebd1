package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * Microsoft Graph under the faults Exchange Online produces: each row injects one, polls until the mailbox is
 * done, and ends with every message in the Maildir exactly once, byte for byte, and read on the server.
 */
class GraphFaultToleranceTest {

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    static Stream<Arguments> faults() {
        return Stream.of(
                Arguments.of("429 with Retry-After on listing", "listMessages", HttpFault.tooManyRequests(1)),
                Arguments.of("503 with Retry-After on mark-read", "$batch", HttpFault.serviceUnavailable(1)),
                Arguments.of("connection dropped inside a message", "getMime", HttpFault.dropConnectionAfter(300)),
                Arguments.of("truncated listing", "listMessages", HttpFault.truncateAfter(200)),
                Arguments.of("answer slower than the request timeout", "getMime",
                        HttpFault.delay(Duration.ofMillis(2500))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("faults")
    void everyMessageArrivesOnceWhateverTheFault(String fault, String operation, HttpFault injected) throws Exception {
        simulator.addMailbox(INVOICES);
        List<byte[]> seeded = new ArrayList<>(simulator.seedSampleMessages(INVOICES));
        byte[] big = TestMessages.plain(INVOICES, "x".repeat(100_000));
        simulator.deliver(INVOICES, "inbox", big, false);
        seeded.add(big);
        simulator.graphFault(injected.operation(operation));

        pollUntilDone(tokensAndPolls());

        assertEachDeliveredOnceAndRead(seeded);
        int requestsWithoutFault = operation.equals("getMime") ? seeded.size() : 1;
        assertTrue(simulator.graphRequestCounts().getOrDefault(operation, 0) > requestsWithoutFault,
                () -> "the fault hit and " + operation + " was asked again: " + simulator.graphRequestCounts());
    }

    @org.junit.jupiter.api.Test
    void aTokenRevokedMidRunIsRenewedAndNothingIsRepeated() throws Exception {
        simulator.addMailbox(INVOICES);
        List<byte[]> seeded = new ArrayList<>(simulator.seedSampleMessages(INVOICES));
        Polls polls = tokensAndPolls();
        polls.tokens().get();
        simulator.revokeTokens();

        pollUntilDone(polls);

        assertEachDeliveredOnceAndRead(seeded);
        assertEquals(2, simulator.tokenRequests("client_credentials"), "the revoked token was renewed once");
    }

    private record Polls(GraphConnector connector, AccessTokens tokens) {
    }

    private Polls tokensAndPolls() {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.exchange.api", "graph",
                "mail.exchange.graph-url", simulator.graphUri().toString(), "mail.exchange.request-timeout", "PT1S"));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        return new Polls(new GraphConnector(config, tls, new SimpleMeterRegistry()),
                new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry()).forUser(INVOICES, ""));
    }

    private void pollUntilDone(Polls polls) throws Exception {
        Maildir maildir = new Maildir(dir.resolve("maildir").resolve(INVOICES)).create();
        try (DeliveryLog log = DeliveryLog.open(dir.resolve("state/invoices.delivered"))) {
            for (int i = 0; i < 5 && simulator.messages(INVOICES, "inbox").stream().anyMatch(m -> !m.read()); i++) {
                try {
                    new MailboxPoll(polls.connector().connect(INVOICES, polls.tokens()), "inbox", maildir, log,
                            AfterDelivery.MARK_READ, "Processed", "host").run();
                } catch (MailboxException e) {
                    // a fault the client gave up on: the next poll carries on, as the poller would
                }
            }
        }
    }

    private void assertEachDeliveredOnceAndRead(List<byte[]> seeded) {
        List<ByteBuffer> delivered = new ArrayList<>(MaildirContents.messages(dir.resolve("maildir"), INVOICES));
        List<ByteBuffer> expected = new ArrayList<>(MaildirContents.wrap(seeded));
        delivered.sort(null);
        expected.sort(null);
        assertEquals(expected, delivered);
        assertEquals(0, MaildirContents.count(dir.resolve("maildir").resolve(INVOICES).resolve("tmp")));
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(message -> message.read()), "all read");
    }
}
