package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * An installation moved from EWS to Microsoft Graph mid-stream, with the same Maildir and delivery record:
 * nothing is delivered twice, nothing is skipped. The delivery key (Message-ID + received time) is the same
 * whichever API lists a message.
 */
class ApiSwitchTest {

    private final ExchangeSimulator simulator = ExchangeSimulator.start(0)
            .registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        simulator.stop();
    }

    private Mailbox open(String api) {
        MailConfig config = SimulatorConfig.of(simulator, dir, Map.of("mail.exchange.api", api,
                "mail.exchange.graph-url", simulator.graphUri().toString()));
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        var tokens = new EntraTokens(config, tls, Clock.systemUTC(), new SimpleMeterRegistry()).forUser(INVOICES, "");
        return api.equals("graph") ? new GraphConnector(config, tls, new SimpleMeterRegistry()).connect(INVOICES, tokens)
                : new EwsConnector(config, tls).connect(INVOICES, tokens);
    }

    @Test
    void switchingFromEwsToGraphDeliversEachMessageExactlyOnce() throws Exception {
        simulator.addMailbox(INVOICES);
        List<byte[]> all = new ArrayList<>(simulator.seedSampleMessages(INVOICES));
        for (int i = 0; i < 3; i++) {
            all.add(deliver("before the switch " + i));
        }
        Maildir maildir = new Maildir(dir.resolve("maildir").resolve(INVOICES)).create();
        Path record = dir.resolve("state/invoices.delivered");

        assertEquals(all.size(), poll(open("ews"), maildir, record, AfterDelivery.KEEP).delivered());

        for (int i = 0; i < 3; i++) {
            all.add(deliver("after the switch " + i));
        }
        assertEquals(3, poll(open("graph"), maildir, record, AfterDelivery.KEEP).delivered(),
                "Graph sees every message unread, and delivers only the three new ones");
        byte[] last = deliver("with mark-read after the switch");
        all.add(last);
        assertEquals(1, poll(open("graph"), maildir, record, AfterDelivery.MARK_READ).delivered());

        List<ByteBuffer> delivered = MaildirContents.messages(dir.resolve("maildir"), INVOICES);
        assertEquals(all.size(), delivered.size());
        assertEquals(new java.util.HashSet<>(MaildirContents.wrap(all)), new java.util.HashSet<>(delivered));
        assertTrue(simulator.messages(INVOICES, "inbox").stream()
                .filter(message -> java.util.Arrays.equals(message.mime(), last)).allMatch(message -> message.read()));
    }

    private byte[] deliver(String subject) {
        byte[] mime = TestMessages.plain(INVOICES, subject);
        simulator.deliver(INVOICES, "inbox", mime, false);
        return mime;
    }

    private static PollOutcome poll(Mailbox mailbox, Maildir maildir, Path record, AfterDelivery action)
            throws Exception {
        try (DeliveryLog log = DeliveryLog.open(record)) {
            return new MailboxPoll(mailbox, "inbox", maildir, log, action, "Processed", "host",
                new SetAside(), new PollProgress(Clock.systemUTC())).run();
        }
    }
}
