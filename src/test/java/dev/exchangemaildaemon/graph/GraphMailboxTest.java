package dev.exchangemaildaemon.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.exchangemaildaemon.graph.GraphRig.Flow;
import dev.exchangemaildaemon.mailbox.ItemFailure;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.mailbox.MessageRef;
import dev.exchangemaildaemon.mailbox.OutgoingMessage;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;

/** The Graph mailbox against the simulator, in both token flows: what it finds, fetches and changes. */
class GraphMailboxTest {

    private static final AtomicInteger MAILBOXES = new AtomicInteger();
    private static ExchangeSimulator simulator;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET);
    }

    @AfterAll
    static void stop() {
        simulator.stop();
    }

    @AfterEach
    void reset() {
        simulator.clearFaults();
        simulator.graphPageSize(1000);
    }

    /** A new mailbox with its own user, so that tests do not see each other's mail. */
    private static String newMailbox() {
        String address = "box" + MAILBOXES.incrementAndGet() + "@contoso.com";
        simulator.addMailbox(address).registerUser(address, SimulatorResource.passwordOf(address));
        return address;
    }

    private Mailbox open(Flow flow, String address) {
        return new GraphRig(simulator, dir, flow).graph(address);
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void findUnreadListsExactlyTheUnreadOnesOldestFirstAcrossPages(Flow flow) throws Exception {
        String address = newMailbox();
        List<String> unread = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] mime = TestMessages.plain(address, "message " + i);
            simulator.deliver(address, "inbox", mime, i % 3 == 0);
            if (i % 3 != 0) {
                unread.add(messageId(mime));
            }
        }
        simulator.graphPageSize(2);
        simulator.resetCounters();

        List<MessageRef> found = open(flow, address).findUnread("Inbox");

        assertEquals(unread, found.stream().map(ref -> ref.internetMessageId().orElseThrow()).toList());
        assertEquals(3, simulator.graphRequestCounts().get("listMessages"), "five unread in pages of two");
        List<SimMessage> stored = simulator.messages(address, "inbox");
        for (MessageRef ref : found) {
            SimMessage message = stored.stream()
                    .filter(m -> m.internetMessageId().equals(ref.internetMessageId().orElseThrow())).findFirst()
                    .orElseThrow();
            assertEquals(message.mime().length, ref.size());
            assertEquals(message.received().getEpochSecond(), ref.received().getEpochSecond());
        }
        assertTrue(simulator.graphRequests().stream().allMatch(request -> request.immutableIds()));
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void fetchMimeStreamsEachMessageByteForByteInTheOrderGiven(Flow flow) throws Exception {
        String address = newMailbox();
        List<byte[]> seeded = new ArrayList<>(simulator.seedSampleMessages(address));
        byte[] large = largeMessage(address, 12 * 1024 * 1024);
        simulator.deliver(address, "inbox", large, false);
        seeded.add(large);
        Mailbox mailbox = open(flow, address);
        List<MessageRef> refs = mailbox.findUnread("inbox");
        List<MessageRef> reversed = new ArrayList<>(refs);
        Collections.reverse(reversed);

        List<String> order = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        List<ItemFailure> failures = mailbox.fetchMime(reversed, (ref, mime) -> {
            order.add(ref.id());
            digests.add(sha256(mime));
        });

        assertEquals(List.of(), failures);
        assertEquals(reversed.stream().map(MessageRef::id).toList(), order);
        List<String> expected = new ArrayList<>(seeded.stream().map(GraphMailboxTest::sha256).toList());
        Collections.reverse(expected);
        assertEquals(expected, digests);
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void aFailingConsumerStopsTheFetchAsLocalDelivery(Flow flow) throws Exception {
        String address = newMailbox();
        simulator.seedSampleMessages(address);
        Mailbox mailbox = open(flow, address);
        IOException diskFull = new IOException("No space left on device");

        MailboxException e = assertThrows(MailboxException.class,
                () -> mailbox.fetchMime(mailbox.findUnread("inbox"), (ref, mime) -> {
                    mime.read(new byte[100]);
                    throw diskFull;
                }));

        assertEquals(MailboxException.LOCAL_DELIVERY, e.code());
        assertEquals(diskFull, e.getCause());
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void markReadMoveAndDeleteChangeTheServerAndTheFolderIsCreatedOnce(Flow flow) throws Exception {
        String address = newMailbox();
        for (int i = 0; i < 25; i++) {
            simulator.deliver(address, "inbox", TestMessages.plain(address, "m" + i), false);
        }
        Mailbox mailbox = open(flow, address);
        List<MessageRef> refs = mailbox.findUnread("inbox");
        simulator.resetCounters();

        assertEquals(List.of(), mailbox.markRead(refs.subList(0, 23)));
        assertEquals(2, simulator.graphRequestCounts().get("$batch"), "23 in batches of at most 20");
        assertEquals(2, mailbox.findUnread("inbox").size());

        assertEquals(List.of(), mailbox.move(refs.subList(23, 24), "Processed"));
        assertEquals(List.of(), open(flow, address).move(refs.subList(24, 25), "Processed"));
        assertEquals(1, simulator.graphRequestCounts().get("createFolder"));
        assertEquals(2, simulator.messages(address, "Processed").size());

        // immutable ids: the moved message is still found by the id it had in the inbox
        List<String> fetched = new ArrayList<>();
        mailbox.fetchMime(refs.subList(23, 24), (ref, mime) -> fetched.add(ref.id()));
        assertEquals(1, fetched.size());

        assertEquals(List.of(), mailbox.delete(refs.subList(0, 3)));
        assertEquals(3, simulator.messages(address, "deleteditems").size());
        assertEquals(20, simulator.messages(address, "inbox").size());
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void aMessageGoneMeanwhileIsAnItemFailureAndTheOthersSucceed(Flow flow) throws Exception {
        String address = newMailbox();
        simulator.seedSampleMessages(address);
        Mailbox mailbox = open(flow, address);
        List<MessageRef> refs = mailbox.findUnread("inbox");
        MessageRef gone = new MessageRef("AAMkAGoneGone", Optional.empty(), refs.get(0).received(), 0);
        List<MessageRef> withGone = List.of(refs.get(0), gone, refs.get(1));

        List<ItemFailure> markFailures = mailbox.markRead(withGone);
        List<ItemFailure> fetchFailures = mailbox.fetchMime(withGone, (ref, mime) -> mime.readAllBytes());

        for (List<ItemFailure> failures : List.of(markFailures, fetchFailures)) {
            assertEquals(1, failures.size());
            assertEquals(gone, failures.get(0).message());
            assertEquals("ErrorItemNotFound", failures.get(0).error().code());
        }
        assertEquals(2, mailbox.findUnread("inbox").size());
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void sendDeliversAndKeepsACopyInSentItems(Flow flow) throws Exception {
        String sender = newMailbox();
        String recipient = newMailbox();

        open(flow, sender).send(new OutgoingMessage(sender, List.of(recipient), "Graph test", "Grüße"));

        List<SimMessage> received = simulator.messages(recipient, "inbox");
        assertEquals(1, received.size());
        assertTrue(new String(received.get(0).mime(), StandardCharsets.US_ASCII).contains("Subject: Graph test"));
        assertEquals(1, simulator.messages(sender, "sentitems").size());
        assertTrue(simulator.messages(sender, "sentitems").get(0).read());
    }

    /**
     * Graph's 4 MB counts the request's headers too: the largest message the mailbox takes goes through with its
     * bearer token, and the 3 MB that would be exactly 4 MB of base64 is refused before it is sent (before, it was
     * sent and Graph refused it with 413).
     */
    @ParameterizedTest
    @EnumSource(Flow.class)
    void theLargestMessageAllowedFitsGraphsLimitWithItsHeaders(Flow flow) throws Exception {
        String sender = newMailbox();
        Mailbox mailbox = open(flow, sender);
        Path largest = message(dir.resolve("largest.eml"), sender, mailbox.maxMimeSize());

        mailbox.sendMime(largest, mailbox.maxMimeSize());

        List<SimMessage> sent = simulator.messages(sender, "sentitems");
        assertEquals(1, sent.size());
        assertEquals(mailbox.maxMimeSize(), sent.get(0).mime().length);

        int threeMegabytes = 3 * 1024 * 1024;
        Path atFourMegabytesEncoded = message(dir.resolve("4mb.eml"), sender, threeMegabytes);
        int sendsBefore = simulator.graphRequestCounts().getOrDefault("sendMail", 0);
        MailboxException refused = assertThrows(MailboxException.class,
                () -> mailbox.sendMime(atFourMegabytesEncoded, threeMegabytes));
        assertEquals(GraphMailbox.MESSAGE_TOO_LARGE, refused.code(), refused.getMessage());
        assertEquals(sendsBefore, simulator.graphRequestCounts().getOrDefault("sendMail", 0), "not sent");
    }

    /** A message from the sender to itself of exactly that many bytes. */
    private static Path message(Path file, String sender, long bytes) throws IOException {
        byte[] head = ("From: <" + sender + ">\r\nTo: <" + sender + ">\r\nSubject: large\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] mime = new byte[Math.toIntExact(bytes)];
        System.arraycopy(head, 0, mime, 0, head.length);
        for (int i = head.length; i < mime.length; i++) {
            mime[i] = (byte) ((i - head.length) % 72 == 71 ? '\n' : 'x');
        }
        return java.nio.file.Files.write(file, mime);
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void theMessageRefIsTheSameOverEwsAndGraph(Flow flow) throws Exception {
        String address = newMailbox();
        simulator.seedSampleMessages(address);
        simulator.deliver(address, "inbox", TestMessages.plain(address, "late"), false);
        GraphRig rig = new GraphRig(simulator, dir, flow);

        List<MessageRef> overEws = rig.ews(address).findUnread("inbox");
        List<MessageRef> overGraph = rig.graph(address).findUnread("inbox");

        assertEquals(5, overGraph.size());
        assertEquals(keys(overEws), keys(overGraph));
        assertEquals(overEws.stream().map(MessageRef::size).toList(), overGraph.stream().map(MessageRef::size).toList());
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void aRevokedTokenIsRenewedOnce(Flow flow) throws Exception {
        String address = newMailbox();
        simulator.seedSampleMessages(address);
        Mailbox mailbox = open(flow, address);
        mailbox.checkFolder("inbox");
        simulator.revokeTokens();

        assertEquals(4, mailbox.findUnread("inbox").size());
    }

    @ParameterizedTest
    @EnumSource(Flow.class)
    void anUnknownDisplayNameIsFolderNotFound(Flow flow) throws Exception {
        Mailbox mailbox = open(flow, newMailbox());

        MailboxException e = assertThrows(MailboxException.class, () -> mailbox.checkFolder("No such folder"));

        assertEquals("ErrorFolderNotFound", e.code());
        assertEquals(MailboxException.Kind.PERMANENT, e.kind());
        mailbox.checkFolder("JunkEmail");
    }

    /**
     * graph-url may name a reverse proxy or private endpoint (here the simulator by its IP address): the token is
     * still asked for Graph itself, which the simulator's Graph checks as the token's audience, and Graph's next
     * links, which name Graph's own host, are followed through graph-url. A resource the tenant does not know is
     * refused by Entra ID.
     */
    @ParameterizedTest
    @EnumSource(Flow.class)
    void tokensAreForGraphWhateverHostGraphUrlNames(Flow flow) throws Exception {
        String address = newMailbox();
        simulator.seedSampleMessages(address);
        String proxy = "https://127.0.0.1:" + simulator.baseUri().getPort() + "/v1.0";
        GraphRig rig = new GraphRig(simulator, dir, flow);

        Mailbox viaProxy = rig.graph(address, Map.of("mail.exchange.graph-url", proxy), http -> http);
        Mailbox unknownResource = rig.graph(address, Map.of("mail.exchange.graph-resource",
                "https://graph.example.com"), http -> http);

        simulator.graphPageSize(3);
        assertEquals(4, viaProxy.findUnread("inbox").size());
        MailboxException refused = assertThrows(MailboxException.class, () -> unknownResource.checkFolder("inbox"));
        assertEquals("AADSTS500011", refused.code());
    }

    private static List<String> keys(List<MessageRef> refs) {
        return refs.stream().map(ref -> ref.internetMessageId().orElseThrow() + " " + ref.received()).toList();
    }

    private static String messageId(byte[] mime) {
        String text = new String(mime, StandardCharsets.UTF_8);
        int start = text.indexOf("Message-ID: ") + "Message-ID: ".length();
        return text.substring(start, text.indexOf("\r\n", start));
    }

    private static byte[] largeMessage(String to, int bodyBytes) {
        StringBuilder mime = new StringBuilder(new String(TestMessages.plain(to, "large"), StandardCharsets.UTF_8));
        String line = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789\r\n";
        while (mime.length() < bodyBytes) {
            mime.append(line);
        }
        return mime.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /** Reads in small chunks, as a Maildir writer does, never holding the message whole. */
    private static String sha256(InputStream mime) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] chunk = new byte[8192];
            for (int read = mime.read(chunk); read != -1; read = mime.read(chunk)) {
                digest.update(chunk, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
