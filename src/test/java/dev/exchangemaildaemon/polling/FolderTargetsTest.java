package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.ews.EwsConnector;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
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
 * Folders by path, over EWS and Graph: a nested folder polled and no same-named one elsewhere, a nested move target
 * made level by level, and a nested folder deleted and made again found again.
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

    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aNestedFolderIsPolledAndNoSameNamedFolderElsewhere(String api) throws Exception {
        simulator.createFolder(INVOICES, "Invoices/Incoming").createFolder(INVOICES, "Incoming")
                .createFolder(INVOICES, "inbox/Incoming");
        byte[] wanted = TestMessages.plain(INVOICES, "in Invoices/Incoming");
        simulator.deliver(INVOICES, "Invoices/Incoming", wanted, false);
        // by path: a bare display name would let the simulator pick any folder of that name
        simulator.deliver(INVOICES, "msgfolderroot/Incoming", TestMessages.plain(INVOICES, "in Incoming at the top"),
                false);
        simulator.deliver(INVOICES, "inbox/Incoming", TestMessages.plain(INVOICES, "in Inbox/Incoming"), false);

        pollAndFindOnly(api, "Invoices/Incoming", wanted);

        assertTrue(simulator.messages(INVOICES, "Invoices/Incoming").get(0).read());
        for (String untouched : List.of("msgfolderroot/Incoming", "inbox/Incoming", "inbox")) {
            assertTrue(simulator.messages(INVOICES, untouched).stream().noneMatch(SimMessage::read), untouched);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aPathMayStartAtAWellKnownFolder(String api) throws Exception {
        simulator.createFolder(INVOICES, "inbox/Orders").createFolder(INVOICES, "msgfolderroot/Orders");
        byte[] wanted = TestMessages.plain(INVOICES, "in Inbox/Orders");
        simulator.deliver(INVOICES, "inbox/Orders", wanted, false);
        simulator.deliver(INVOICES, "msgfolderroot/Orders", TestMessages.plain(INVOICES, "in Orders at the top"), false);

        pollAndFindOnly(api, "INBOX/Orders", wanted);

        assertTrue(simulator.messages(INVOICES, "msgfolderroot/Orders").stream().noneMatch(SimMessage::read));
    }

    /** "A/P Invoices" is one display name, written A\/P in a path; the folder P in a folder A is another. */
    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aDisplayNameHoldingASlashIsNamedWithBackslashSlash(String api) throws Exception {
        simulator.createFolder(INVOICES, "inbox/A\\/P Invoices").createFolder(INVOICES, "inbox/A/P Invoices");
        byte[] wanted = TestMessages.plain(INVOICES, "in A/P Invoices");
        simulator.deliver(INVOICES, "inbox/A\\/P Invoices", wanted, false);
        simulator.deliver(INVOICES, "inbox/A/P Invoices", TestMessages.plain(INVOICES, "in P Invoices under A"), false);

        pollAndFindOnly(api, "Inbox/A\\/P Invoices", wanted);

        assertTrue(simulator.messages(INVOICES, "inbox/A/P Invoices").stream().noneMatch(SimMessage::read));
    }

    /** Graph lists a hidden folder only when asked (EWS always): a hidden folder on the path is still found. */
    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aPathThroughAHiddenFolderIsFound(String api) throws Exception {
        simulator.createFolder(INVOICES, "Invoices/Incoming").hideFolder(INVOICES, "Invoices");
        byte[] wanted = TestMessages.plain(INVOICES, "under a hidden folder");
        simulator.deliver(INVOICES, "Invoices/Incoming", wanted, false);

        pollAndFindOnly(api, "Invoices/Incoming", wanted);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aNestedMoveTargetIsCreatedLevelByLevel(String api) throws Exception {
        start(Map.of("mail.exchange.api", api, "mail.incoming.after-delivery", "move",
                "mail.incoming.move-to-folder", "Processed/2026"));

        MailboxStatus status = poller.pollNow(INVOICES);

        assertEquals(0, status.consecutiveFailures(), () -> status.lastError().orElse(""));
        assertEquals(List.of(ByteBuffer.wrap(inInbox)), MaildirContents.messages(dir.resolve("maildir"), INVOICES));
        assertEquals(List.of(), simulator.messages(INVOICES, "inbox"));
        assertEquals(List.of(), simulator.messages(INVOICES, "Processed"));
        List<SimMessage> moved = simulator.messages(INVOICES, "Processed/2026");
        assertEquals(1, moved.size());
        assertArrayEquals(inInbox, moved.get(0).mime());
    }

    /** A connected mailbox remembers the folder ids it found; one poll uses it for the folder and the move target. */
    @ParameterizedTest
    @ValueSource(strings = {"ews", "graph"})
    void aNestedFolderDeletedAndMadeAgainIsFoundAgain(String api) throws Exception {
        simulator.createFolder(INVOICES, "Invoices/Incoming");
        simulator.deliver(INVOICES, "Invoices/Incoming", TestMessages.plain(INVOICES, "before"), false);
        Mailbox mailbox = connect(Map.of("mail.exchange.api", api));
        assertEquals(1, mailbox.findUnread("Invoices/Incoming").size());

        simulator.deleteFolder(INVOICES, "Invoices");
        simulator.createFolder(INVOICES, "Invoices/Incoming");
        simulator.deliver(INVOICES, "Invoices/Incoming", TestMessages.plain(INVOICES, "after"), false);

        // the remembered ids of Invoices/Incoming and of Invoices are stale: this call fails and forgets both
        assertThrows(MailboxException.class, () -> mailbox.findUnread("Invoices/Incoming"));
        List<MessageRef> found = mailbox.findUnread("Invoices/Incoming");
        assertEquals(1, found.size());
        assertEquals(Optional.of(simulator.messages(INVOICES, "Invoices/Incoming").get(0).internetMessageId()),
                found.get(0).internetMessageId());
    }

    private static Map<String, String> folders() {
        Map<String, String> keys = new HashMap<>(Map.of("mail.exchange.api", "graph"));
        keys.put("mail.incoming.mailboxes[0].folders[0].name", "inbox");
        keys.put("mail.incoming.mailboxes[0].folders[1].name", OTHER);
        return keys;
    }

    private Mailbox connect(Map<String, String> keys) throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, keys);
        SimpleMeterRegistry unwatched = new SimpleMeterRegistry();
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        return connector(config, tls, unwatched).connect(INVOICES,
                new EntraTokens(config, tls, Clock.systemUTC(), unwatched).forUser(INVOICES, ""));
    }

    private static MailboxConnector connector(MailConfig config, SSLContext tls, SimpleMeterRegistry meters) {
        return config.exchange().api() == MailConfig.MailboxApi.EWS
                ? new EwsConnector(config, tls, meters) : new GraphConnector(config, tls, meters);
    }

    /** Polls the mailbox's one folder, by that path over that API: the Maildir then holds that message alone. */
    private void pollAndFindOnly(String api, String folder, byte[] wanted) throws Exception {
        start(Map.of("mail.exchange.api", api, "mail.incoming.mailboxes[0].folder", folder));

        MailboxStatus status = poller.pollNow(INVOICES);

        assertEquals(0, status.consecutiveFailures(), () -> status.lastError().orElse(""));
        assertEquals(List.of(ByteBuffer.wrap(wanted)), MaildirContents.messages(dir.resolve("maildir"), INVOICES));
    }

    private void start(Map<String, String> keys) throws Exception {
        MailConfig config = SimulatorConfig.of(simulator, dir, keys);
        assertEquals(List.of(), dev.exchangemaildaemon.config.ConfigRules.problems(config));
        meters = new SimpleMeterRegistry();
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        poller = new Poller(config, connector(config, tls, meters),
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
