package dev.exchangemaildaemon.outgoing;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.SENDER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;

/**
 * The SMTP submission port, driven by curl, against the daemon and the simulator; each transport's test class runs
 * these. A message is answered 250 only once Exchange has it, exactly as written, in the sender's Sent Items.
 */
abstract class SmtpContract {

    ExchangeSimulator simulator;
    OutgoingResource.Outgoing outgoing;

    /** Makes Exchange throttle every request to the sender's mailbox, with a back-off too long to wait through. */
    abstract void throttleSender();

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
                .anyMatch(received -> java.util.Arrays.equals(message, received.mime())), "the recipient got it");
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

        simulator.clearFaults();
        Curl.Result retried = Curl.submit(outgoing.smtpPort(), SENDER, INVOICES, message);

        assertTrue(retried.sent(), retried.output());
        assertEquals(before + 1, sentItems().size(), "sent once");
    }
}
