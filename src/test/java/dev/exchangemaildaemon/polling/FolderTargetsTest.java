package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.FreePorts;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TargetFixture;
import dev.exchangemaildaemon.testing.TargetKind;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * One mailbox, several folders, each into its own target, through the poller as configured: the inbox into the
 * Maildir, another folder into the import script; Maildirs only, the other folder into its Maildir++ subfolder; and a
 * folder whose target cannot be reached fails the poll, naming the folder, while the other folder's mail arrives.
 */
class FolderTargetsTest {

    private static final String OTHER = "junkemail";

    @TempDir
    Path dir;

    private static final String NEW_MESSAGES = "exchange_mail_maildir_new_messages";

    private ExchangeSimulator simulator;
    private SimpleMeterRegistry meters;
    private Poller poller;
    private byte[] inInbox;
    private byte[] inOther;

    @BeforeEach
    void seed() {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(INVOICES);
        inInbox = TestMessages.plain(INVOICES, "in the inbox");
        inOther = TestMessages.plain(INVOICES, "in the other folder");
        simulator.deliver(INVOICES, "inbox", inInbox, false);
        simulator.deliver(INVOICES, OTHER, inOther, false);
    }

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.stop(null);
        }
        simulator.stop();
    }

    @Test
    void eachFolderGoesToItsOwnTarget() throws Exception {
        try (TargetFixture erp = TargetFixture.start(TargetKind.COMMAND, dir.resolve("erp"))) {
            Map<String, String> keys = folders();
            keys.put("mail.incoming.mailboxes[0].folders[1].target.type", "command");
            List<String> command = erp.command(INVOICES);
            for (int i = 0; i < command.size(); i++) {
                keys.put("mail.incoming.mailboxes[0].folders[1].target.command[" + i + "]", command.get(i));
            }
            start(keys);

            MailboxStatus status = poller.pollNow(INVOICES);

            assertEquals(0, status.consecutiveFailures(), () -> status.lastError().orElse(""));
            assertEquals(List.of(ByteBuffer.wrap(inInbox)), MaildirContents.messages(dir.resolve("maildir"), INVOICES));
            assertEquals(List.of(ByteBuffer.wrap(inOther)), erp.delivered(INVOICES));
            assertAllRead();
            assertEquals(1.0, waitingInNew("inbox"));
            assertNull(meters.find(NEW_MESSAGES).tag("folder", OTHER).gauge(), "a command has no new/ to count");
        }
    }

    @Test
    void intoMaildirsAnotherFolderIsAMaildirPlusPlusSubfolder() throws Exception {
        start(folders());

        MailboxStatus status = poller.pollNow(INVOICES);

        assertEquals(0, status.consecutiveFailures(), () -> status.lastError().orElse(""));
        assertEquals(List.of(ByteBuffer.wrap(inInbox)), MaildirContents.messages(dir.resolve("maildir"), INVOICES));
        assertEquals(List.of(ByteBuffer.wrap(inOther)),
                MaildirContents.messages(dir.resolve("maildir").resolve(INVOICES), "." + OTHER));
        assertAllRead();
        // each folder's own new/: the subfolder's message is not the inbox's
        simulator.deliver(INVOICES, OTHER, TestMessages.plain(INVOICES, "another one"), false);
        poller.pollNow(INVOICES);
        assertEquals(1.0, waitingInNew("inbox"));
        assertEquals(2.0, waitingInNew(OTHER));
    }

    @Test
    void aMaildirOfItsOwnIsTheOneWhoseBacklogIsCounted() throws Exception {
        Map<String, String> keys = new HashMap<>(Map.of("mail.exchange.api", "graph"));
        Path own = dir.resolve("erp-inbox");
        keys.put("mail.incoming.mailboxes[0].target.path", own.toString());
        start(keys);

        poller.pollNow(INVOICES);

        assertEquals(1, MaildirContents.count(own.resolve("new")));
        assertEquals(1.0, waitingInNew("inbox"));
    }

    @Test
    void aFolderWhoseTargetIsUnreachableFailsThePollNamingItAndTheOtherFolderIsDelivered() throws Exception {
        Map<String, String> keys = folders();
        keys.put("mail.incoming.mailboxes[0].folders[0].target.type", "lmtp");
        keys.put("mail.incoming.mailboxes[0].folders[0].target.lmtp", "127.0.0.1:" + FreePorts.next());
        start(keys);

        MailboxStatus status = poller.pollNow(INVOICES);

        assertEquals(1, status.consecutiveFailures());
        String error = status.lastError().orElse("");
        assertTrue(error.contains("folder inbox") && error.contains("LMTP 127.0.0.1:"), error);
        assertEquals(List.of(ByteBuffer.wrap(inOther)),
                MaildirContents.messages(dir.resolve("maildir").resolve(INVOICES), "." + OTHER));
        assertTrue(simulator.messages(INVOICES, OTHER).stream().allMatch(SimMessage::read));
        assertTrue(simulator.messages(INVOICES, "inbox").stream().noneMatch(SimMessage::read), "kept for later");
    }

    private static Map<String, String> folders() {
        Map<String, String> keys = new HashMap<>(Map.of("mail.exchange.api", "graph"));
        keys.put("mail.incoming.mailboxes[0].folders[0].name", "inbox");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", OTHER);
        return keys;
    }

    private void start(Map<String, String> keys) throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, keys);
        assertEquals(List.of(), dev.exchangemaildaemon.config.ConfigRules.problems(config));
        meters = new SimpleMeterRegistry();
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        poller = new Poller(config, new GraphConnector(config, tls, meters),
                new EntraTokens(config, tls, Clock.systemUTC(), meters), Clock.systemUTC(), new PollMetrics(meters, config),
                false);
        poller.start(null);
    }

    /** The backlog gauge of one folder's Maildir. */
    private double waitingInNew(String folder) {
        Gauge gauge = meters.find(NEW_MESSAGES).tags("mailbox", INVOICES, "folder", folder).gauge();
        assertNotNull(gauge, () -> "no " + NEW_MESSAGES + " for " + folder + ": " + meters.getMetersAsString());
        return gauge.value();
    }

    private void assertAllRead() {
        for (String folder : List.of("inbox", OTHER)) {
            assertTrue(simulator.messages(INVOICES, folder).stream().allMatch(SimMessage::read), folder);
        }
    }
}
