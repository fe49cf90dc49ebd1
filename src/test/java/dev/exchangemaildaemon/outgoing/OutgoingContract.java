package dev.exchangemaildaemon.outgoing;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.server.SMTPServer;

import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * Outgoing mail against the daemon and the simulator; each transport's test class runs these. The SMTP port,
 * driven by curl, answers 250 only once Exchange has the message, exactly as written, in the sender's Sent Items;
 * the pickup directory sends each file once, also across a crash between Exchange's acceptance and the move.
 */
abstract class OutgoingContract {

    ExchangeSimulator simulator;
    OutgoingResource.Outgoing outgoing;

    @Inject
    PickupDirectory pickup;

    @Inject
    OutgoingSender sender;

    @Inject
    OutgoingStatus status;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    /** Makes Exchange throttle every request to the sender's mailbox, with a back-off too long to wait through. */
    abstract void throttleSender();

    /** Makes Exchange answer the next send only after that long (having sent it by then). */
    abstract void delayNextSend(Duration delay);

    /** How many send requests reached Exchange. */
    abstract int sendRequests();

    @BeforeEach
    @AfterEach
    void clean() {
        simulator.clearFaults();
    }

    List<SimMessage> sentItems() {
        return simulator.messages(SENDER, "sentitems");
    }

    @Test
    void aMessageIsSentExactlyAsWrittenFromTheSendersMailbox() throws Exception {
        int before = sentItems().size();
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);

        Curl.Result result = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES, message);

        assertTrue(result.sent(), result.output());
        assertTrue(result.output().contains("250 2.0.0 sent through Exchange"), result.output());
        List<SimMessage> sent = sentItems();
        assertEquals(before + 1, sent.size());
        assertArrayEquals(message, sent.get(sent.size() - 1).mime(), "Sent Items holds the MIME byte for byte");
        assertTrue(simulator.messages(INVOICES, "inbox").stream()
                .anyMatch(received -> Arrays.equals(message, received.mime())), "the recipient got it");
    }

    @Test
    void aSenderNotConfiguredIsRefusedWith550AndNothingIsSent() throws Exception {
        int before = sendRequests();
        String stranger = "ceo@contoso.com";

        Curl.Result result = Curl.submit(outgoing.smtpPort(), stranger, INVOICES,
                OutgoingMessages.invoice(stranger, INVOICES));

        assertFalse(result.sent(), result.output());
        assertTrue(result.output().contains("550 5.7.1 <" + stranger + "> is not one of mail.outgoing.senders"),
                result.output());
        assertEquals(before, sendRequests(), "nothing reached Exchange");
    }

    @Test
    void aMailFromNamingAnotherSenderThanTheMessagesFromIsRefusedByExchange() throws Exception {
        int before = sentItems().size();

        Curl.Result result = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES,
                OutgoingMessages.invoice("ceo@contoso.com", INVOICES));

        assertFalse(result.sent(), result.output());
        assertTrue(result.output().contains("550 5.7.1 Exchange refused the sender: ErrorSendAsDenied"),
                result.output());
        assertEquals(before, sentItems().size());
    }

    @Test
    void throttledByExchangeTheClientIsToldToRetryAndTheRetrySendsOnce() throws Exception {
        int before = sentItems().size();
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);
        throttleSender();

        Curl.Result throttled = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES, message);

        assertFalse(throttled.sent(), throttled.output());
        assertTrue(throttled.output().contains("451 4.3.0 Exchange did not take the message"), throttled.output());
        assertEquals(before, sentItems().size(), "nothing sent while throttled");
        assertEquals("DOWN", smtpReadiness(), "not ready while Exchange does not take messages");

        simulator.clearFaults();
        Curl.Result retried = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES, message);

        assertTrue(retried.sent(), retried.output());
        assertEquals(before + 1, sentItems().size(), "sent once");
        assertEquals("UP", smtpReadiness());
    }

    @Test
    void envelopeRecipientsMissingFromTheHeadersGetABlindCopy() throws Exception {
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);
        Path file = Files.createTempFile("outgoing", ".eml");
        Files.write(file, message);

        Curl.Result result = Curl.submit(outgoing.smtpPort(), SENDER, List.of(INVOICES, ORDERS), file);

        Files.delete(file);
        assertTrue(result.sent(), result.output());
        assertTrue(simulator.messages(ORDERS, "inbox").stream().anyMatch(got -> Arrays.equals(message, got.mime())),
                "the blind copy arrived, without a Bcc header");
        byte[] kept = sentItems().get(sentItems().size() - 1).mime();
        assertTrue(new String(kept, StandardCharsets.UTF_8).startsWith("Bcc: " + ORDERS + "\r\nFrom: ERP <"),
                "Sent Items shows whom it went to blind");
    }

    /**
     * The client gives up before Exchange has answered (as if the daemon had stopped before replying) and sends the
     * message again: while it is still being sent it is told to retry, and afterwards that it was sent, once.
     */
    @Test
    void aMessageSentAgainAfterTheReplyWasLostIsNotSentTwice() throws Exception {
        int before = sentItems().size();
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);
        Path file = Files.createTempFile("outgoing", ".eml");
        Files.write(file, message);
        delayNextSend(Duration.ofSeconds(3));

        Curl.Result lost = Curl.submit(outgoing.smtpPort(), SENDER, List.of(INVOICES), file, 1);
        assertFalse(lost.sent(), lost.output());

        Instant deadline = Instant.now().plusSeconds(30);
        Curl.Result again;
        do {
            again = Curl.submit(outgoing.smtpPort(), SENDER, List.of(INVOICES), file);
            if (!again.sent()) {
                assertTrue(again.output().contains("451 4.3.0 the same message is being sent"), again.output());
                Thread.sleep(200);
            }
        } while (!again.sent() && Instant.now().isBefore(deadline));
        Files.delete(file);

        assertTrue(again.output().contains("250 2.0.0 sent through Exchange before; not sent again"), again.output());
        assertEquals(before + 1, sentItems().size(), "sent once");
    }

    /**
     * A relay that splits one message into transactions by recipient count (Postfix as relay host,
     * smtp_destination_recipient_limit) hands over each part with the same Message-ID and bytes: each part reaches
     * its own blind recipients, and a part sent again after a lost reply is still recognised.
     */
    @Test
    void eachPartOfAMessageSplitByRecipientsReachesItsBlindRecipients() throws Exception {
        int before = sentItems().size();
        byte[] message = OutgoingMessages.message(SENDER, "undisclosed-recipients:;",
                "<" + UUID.randomUUID() + "@relay.example>", "Total: 42.00 EUR");
        Path file = write(message);

        Curl.Result first = Curl.submit(outgoing.smtpPort(), SENDER, List.of(INVOICES), file);
        Curl.Result second = Curl.submit(outgoing.smtpPort(), SENDER, List.of(ORDERS), file);
        Curl.Result secondAgain = Curl.submit(outgoing.smtpPort(), SENDER, List.of(ORDERS), file);
        Files.delete(file);

        assertSentNow(first);
        assertSentNow(second);
        assertSentBefore(secondAgain);
        assertEquals(before + 2, sentItems().size());
        assertEquals(1, copiesIn(INVOICES, message));
        assertEquals(1, copiesIn(ORDERS, message), "the second part's recipient got it, once");
    }

    /**
     * The parts of a split message whose recipients are all in its headers: Exchange, which sends to the headers,
     * reached every one of them with the first part, so the later part is answered 250 without a second send.
     */
    @Test
    void laterPartsOfASplitMessageWhoseRecipientsAreInItsHeadersAreNotSentTwice() throws Exception {
        int before = sentItems().size();
        byte[] message = OutgoingMessages.message(SENDER, "<" + INVOICES + ">, <" + ORDERS + ">",
                "<" + UUID.randomUUID() + "@relay.example>", "Total: 42.00 EUR");
        Path file = write(message);

        Curl.Result first = Curl.submit(outgoing.smtpPort(), SENDER, List.of(INVOICES), file);
        Curl.Result second = Curl.submit(outgoing.smtpPort(), SENDER, List.of(ORDERS), file);
        Files.delete(file);

        assertSentNow(first);
        assertSentBefore(second);
        assertEquals(before + 1, sentItems().size());
        assertEquals(1, copiesIn(INVOICES, message));
        assertEquals(1, copiesIn(ORDERS, message));
    }

    /** An ERP that derives the Message-ID from the document number sends a corrected invoice 4711: it goes too. */
    @Test
    void aMessageIdUsedAgainForACorrectedMessageIsSentAgain() throws Exception {
        int before = sentItems().size();
        String messageId = "<invoice-4711." + UUID.randomUUID() + "@erp.example>";
        byte[] original = OutgoingMessages.message(SENDER, "<" + INVOICES + ">", messageId, "Total: 42.00 EUR");
        byte[] corrected = OutgoingMessages.message(SENDER, "<" + INVOICES + ">", messageId, "Total: 24.00 EUR");

        Curl.Result first = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES, original);
        Curl.Result second = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES, corrected);

        assertSentNow(first);
        assertSentNow(second);
        assertEquals(before + 2, sentItems().size());
        assertEquals(1, copiesIn(INVOICES, original));
        assertEquals(1, copiesIn(INVOICES, corrected));
    }

    /**
     * Exchange accepts the message, then its record cannot be written (the record is closed under the handler, so
     * every write fails, as on a full or read-only state directory). The client is told 250, as the message was
     * sent; a 451 would have it send the message again. Its retry is recognised, and the health check names the file.
     */
    @Test
    void aMessageSentButNotRecordedIsAnswered250AndItsRetryIsNotSentAgain() throws Exception {
        int before = sentItems().size();
        Path recordFile = Files.createTempDirectory("outgoing-state").resolve("outgoing-smtp.sent");
        DeliveryLog record = DeliveryLog.open(recordFile);
        record.close();
        SubmittedMessages submitted = new SubmittedMessages(record, recordFile);
        SMTPServer server = SMTPServer.port(0).bindAddress(InetAddress.getLoopbackAddress())
                .messageHandlerFactory(context -> new SubmissionHandler(sender, status, submitted))
                .insertReceivedHeaders(false)
                .build();
        server.start();
        try {
            Path file = write(OutgoingMessages.invoice(SENDER, INVOICES));

            Curl.Result first = Curl.submit(server.getPortAllocated(), SENDER, List.of(INVOICES), file);
            Curl.Result retried = Curl.submit(server.getPortAllocated(), SENDER, List.of(INVOICES), file);
            Files.delete(file);

            assertSentNow(first);
            assertSentBefore(retried);
            assertEquals(before + 1, sentItems().size(), "sent once");
            String lastError = given().port(managementPort).get("/q/health/ready").then().extract().jsonPath()
                    .getString("checks.find { it.name == 'outgoing smtp' }.data.lastError");
            assertTrue(lastError.contains(recordFile.toString()), lastError);
            assertEquals("DOWN", smtpReadiness());
        } finally {
            server.stop();
            Files.deleteIfExists(recordFile);
            Files.delete(recordFile.getParent());
        }
    }

    @Test
    void aPickedUpFileIsSentOnceAndMovedToSent() throws Exception {
        int before = sentItems().size();
        byte[] message = OutgoingMessages.invoice(SENDER, INVOICES);
        String name = drop(message);

        assertEquals(1, pickup.runOnce());

        assertFalse(Files.exists(outgoing.pickup().resolve("new").resolve(name)));
        assertArrayEquals(message, Files.readAllBytes(outgoing.pickup().resolve("sent").resolve(name)));
        List<SimMessage> sent = sentItems();
        assertEquals(before + 1, sent.size());
        assertArrayEquals(message, sent.get(sent.size() - 1).mime());
        assertEquals(0, pickup.runOnce(), "nothing left to send");
        assertEquals(before + 1, sentItems().size());
    }

    /** Software that names every file alike (invoice.eml, day after day) has each one sent. */
    @Test
    void aLaterFileUnderANameUsedBeforeIsSentToo() throws Exception {
        int before = sentItems().size();
        Path first = outgoing.pickup().resolve("new").resolve("invoice.eml");
        Files.write(first, OutgoingMessages.invoice(SENDER, INVOICES));
        Files.setLastModifiedTime(first, FileTime.from(Instant.now().minus(Duration.ofMinutes(2))));
        assertEquals(1, pickup.runOnce());

        byte[] next = OutgoingMessages.invoice(SENDER, INVOICES);
        Files.write(first, next);
        Files.setLastModifiedTime(first, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        assertEquals(1, pickup.runOnce(), "the second invoice.eml is a message of its own");

        List<SimMessage> sent = sentItems();
        assertEquals(before + 2, sent.size());
        assertArrayEquals(next, sent.get(sent.size() - 1).mime());
    }

    @Test
    void aPickedUpFileFromASenderNotConfiguredGoesToFailedWithTheReason() throws Exception {
        int before = sendRequests();
        String name = drop(OutgoingMessages.invoice("ceo@contoso.com", INVOICES));

        pickup.runOnce();

        Path failed = outgoing.pickup().resolve("failed");
        assertTrue(Files.exists(failed.resolve(name)));
        String reason = Files.readString(failed.resolve(name + ".reason"));
        assertTrue(reason.startsWith("550 5.7.1 <ceo@contoso.com> is not one of mail.outgoing.senders"), reason);
        assertEquals(before, sendRequests(), "nothing reached Exchange");
    }

    @Test
    void aPickedUpFileStaysInNewWhileExchangeThrottlesAndIsSentOnceAfter() throws Exception {
        int before = sentItems().size();
        String name = drop(OutgoingMessages.invoice(SENDER, INVOICES));
        throttleSender();

        assertEquals(0, pickup.runOnce());

        assertTrue(Files.exists(outgoing.pickup().resolve("new").resolve(name)), "left for the next round");
        assertFalse(Files.exists(outgoing.pickup().resolve("failed").resolve(name + ".reason")));
        assertEquals(before, sentItems().size());

        simulator.clearFaults();
        assertEquals(1, pickup.runOnce());
        assertEquals(before + 1, sentItems().size());
    }

    /**
     * The crash: Exchange accepted the file and the record says so, but the file was never moved out of new/ (here
     * the move fails, as sent/ is not a directory). After a restart the file is moved, not sent a second time.
     */
    @Test
    void aFileAcceptedButNotMovedBeforeARestartIsNotSentTwice() throws Exception {
        int before = sentItems().size();
        String name = drop(OutgoingMessages.invoice(SENDER, INVOICES));
        Path sentDir = outgoing.pickup().resolve("sent");
        Path aside = outgoing.pickup().resolve("sent-aside");
        Files.move(sentDir, aside);
        Files.writeString(sentDir, "not a directory");
        try {
            pickup.runOnce();
        } finally {
            Files.delete(sentDir);
            Files.move(aside, sentDir);
        }
        assertEquals(before + 1, sentItems().size(), "Exchange has it");
        assertTrue(Files.exists(outgoing.pickup().resolve("new").resolve(name)), "the move did not happen");

        pickup.stop(null);
        pickup.start(null);
        pickup.runOnce();

        assertEquals(before + 1, sentItems().size(), "not sent again");
        assertTrue(Files.exists(sentDir.resolve(name)));
        assertFalse(Files.exists(outgoing.pickup().resolve("new").resolve(name)));
    }

    @Test
    void healthAndMetricsReportEachChannel() throws Exception {
        Curl.Result result = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES,
                OutgoingMessages.invoice(SENDER, INVOICES));
        assertTrue(result.sent(), result.output());
        Curl.submit(outgoing.smtpPort(), "ceo@contoso.com", INVOICES, OutgoingMessages.invoice(SENDER, INVOICES));

        String metrics = given().port(managementPort).get("/q/metrics").then().statusCode(200).extract().asString();
        for (String expected : List.of("exchange_mail_outgoing_sent_total{channel=\"smtp\"}",
                "exchange_mail_outgoing_refused_total{channel=\"smtp\",kind=\"permanent\"}",
                "exchange_mail_outgoing_queued_messages{channel=\"pickup\"}")) {
            assertTrue(metrics.contains("\n" + expected), () -> expected + " not in\n" + metrics);
        }
        String health = given().port(managementPort).get("/q/health/ready").then().extract().asString();
        assertTrue(health.contains("\"name\": \"outgoing smtp\"") || health.contains("\"name\":\"outgoing smtp\""),
                health);
        assertTrue(health.contains("outgoing pickup"), health);
        assertFalse(health.contains(SimulatorResource.CLIENT_SECRET));
    }

    @Test
    void theCheckOpensEachSendersMailboxAndNamesTheOneItCannotReach() {
        String report = given().header("Authorization", "Bearer " + SimulatorResource.API_TOKEN)
                .post("/api/check").then().statusCode(502).extract().asString();

        assertTrue(report.contains("\"outgoing sender " + SimulatorResource.ORDERS + ": folder sentitems\",\"result\":\"OK\""),
                report);
        assertTrue(report.contains("\"outgoing sender " + SimulatorResource.MISSING + ": folder sentitems\",\"result\":\"ERROR\""),
                report);
    }

    private static void assertSentNow(Curl.Result result) {
        assertTrue(result.sent() && result.output().contains("250 2.0.0 sent through Exchange")
                && !result.output().contains("not sent again"), result.output());
    }

    private static void assertSentBefore(Curl.Result result) {
        assertTrue(result.sent() && result.output().contains("250 2.0.0 sent through Exchange before; not sent again"),
                result.output());
    }

    /** How many copies of the message the mailbox's inbox holds (recipients get it as written, without Bcc). */
    private long copiesIn(String mailbox, byte[] message) {
        return simulator.messages(mailbox, "inbox").stream().filter(got -> Arrays.equals(message, got.mime())).count();
    }

    private static Path write(byte[] message) throws IOException {
        Path file = Files.createTempFile("outgoing", ".eml");
        Files.write(file, message);
        return file;
    }

    private String smtpReadiness() {
        return given().port(managementPort).get("/q/health/ready").then().extract().jsonPath()
                .getString("checks.find { it.name == 'outgoing smtp' }.status");
    }

    /**
     * Writes the message to tmp/ and renames it into new/, as business software does, dated a minute back (past
     * mail.outgoing.pickup-settle); returns its name.
     */
    private String drop(byte[] message) throws IOException {
        String name = System.currentTimeMillis() + "." + UUID.randomUUID() + ".eml";
        Path tmp = outgoing.pickup().resolve("tmp").resolve(name);
        Files.write(tmp, message);
        Files.setLastModifiedTime(tmp, FileTime.from(Instant.now().minus(Duration.ofMinutes(1))));
        Files.move(tmp, outgoing.pickup().resolve("new").resolve(name));
        return name;
    }
}
