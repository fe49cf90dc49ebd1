package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.graph.GraphConnector;
import dev.exchangemaildaemon.net.TrustedTls;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.Dovecot;
import dev.exchangemaildaemon.testing.SimulatorConfig;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TargetFixture;
import dev.exchangemaildaemon.testing.TargetKind;
import dev.exchangemaildaemon.testing.TestMessages;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * A message the target will not take, between two it takes, through the poller as configured: the import script
 * exiting 1 or 75 for it, Dovecot answering 552 or 452 (the message is over the recipient's quota). A refusal leaves
 * it unread on the server and names it in the mailbox's status (health) with the target's words, while the other
 * two are delivered and read; refused at every poll, it is set aside like a message whose fetch keeps failing. A
 * "try again" leaves it unread too, but never counts toward setting it aside.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(value = TargetKind.class, names = { "COMMAND", "LMTP" })
class TargetRefusalTest {

    private static final Pattern MESSAGE_ID = Pattern.compile("Message-ID: <([^>]+)>");
    /** For Dovecot: the refused message is over it, the other two together are not. */
    private static final long QUOTA_BYTES = 4_000;
    private static final String DEFERRING = "deferring@contoso.com";

    @Parameter
    TargetKind kind;

    @TempDir
    Path dir;

    private ExchangeSimulator simulator;
    private TargetFixture fixture;
    private Poller poller;
    private byte[] before;
    private byte[] after;

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.stop(null);
        }
        if (fixture != null) {
            fixture.close();
        }
        simulator.stop();
    }

    @Test
    void aRefusedMessageStaysUnreadIsNamedInHealthAndTheOthersGoOn() throws Exception {
        byte[] refused = start("refuse", INVOICES, false);
        String id = messageId(refused);

        MailboxStatus first = poller.pollNow(INVOICES);

        assertEquals(0, first.consecutiveFailures(), () -> first.lastError().orElse(""));
        assertEquals(List.of(wrap(before), wrap(after)), delivered(INVOICES), fixture::serverLog);
        assertFalse(serverMessage(id).read(), "refused: unread on the server");
        assertTrue(simulator.messages(INVOICES, "inbox").stream().filter(m -> !m.internetMessageId().contains(id))
                .allMatch(SimMessage::read), "the others are read");
        String error = first.lastError().orElse("");
        assertTrue(error.contains(id) && error.contains(kind == TargetKind.COMMAND ? "exited with 1: import: message"
                : "552"), error);
        assertEquals(List.of(), first.setAside());

        for (int poll = 2; poll <= SetAside.ATTEMPTS; poll++) {
            poller.pollNow(INVOICES);
        }
        MailboxStatus third = poller.status(INVOICES).orElseThrow();
        assertEquals(1, third.setAside().size(), third::toString);
        assertTrue(third.setAside().get(0).contains(id), third.setAside()::toString);
        assertEquals(List.of(wrap(before), wrap(after)), delivered(INVOICES), "nothing delivered twice");
        assertFalse(serverMessage(id).read());
    }

    @Test
    void aMessageTheTargetAsksToGetAgainLaterIsNeverSetAside() throws Exception {
        String recipient = kind == TargetKind.LMTP ? DEFERRING : INVOICES;
        byte[] deferred = start("later", recipient, true);
        String id = messageId(deferred);

        for (int poll = 1; poll <= SetAside.ATTEMPTS + 1; poll++) {
            MailboxStatus status = poller.pollNow(INVOICES);
            assertEquals(0, status.consecutiveFailures(), () -> status.lastError().orElse(""));
            assertEquals(List.of(), status.setAside(), "try again is no failed attempt");
            String error = status.lastError().orElse("");
            assertTrue(error.contains(id) && error.contains(kind == TargetKind.COMMAND ? "75" : "452"), error);
        }
        assertEquals(List.of(wrap(before), wrap(after)), delivered(recipient), fixture::serverLog);
        assertFalse(serverMessage(id).read(), "unread, for the next poll");
    }

    /**
     * Seeds three messages, the middle one marked for the import script ({@code X-Import: refuse|later}) and too big
     * for the Dovecot user's quota, and starts the poller with the target configured as the daemon reads it.
     */
    private byte[] start(String importRule, String recipient, boolean tempfail) throws Exception {
        simulator = ExchangeSimulator.start(0).registerApp(SimulatorResource.CLIENT_ID, SimulatorResource.CLIENT_SECRET)
                .addMailbox(INVOICES);
        fixture = TargetFixture.start(kind, dir, List.of(new Dovecot.QuotaUser(recipient, QUOTA_BYTES, tempfail)));
        before = TestMessages.plain(INVOICES, "before");
        byte[] middle = ("X-Import: " + importRule + "\r\n" + new String(TestMessages.plain(INVOICES,
                "middle " + "x".repeat(2 * (int) QUOTA_BYTES)), StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
        after = TestMessages.plain(INVOICES, "after");
        for (byte[] mime : List.of(before, middle, after)) {
            simulator.deliver(INVOICES, "inbox", mime, false);
        }
        Map<String, String> keys = new HashMap<>(Map.of("mail.exchange.api", "graph"));
        fixture.config(INVOICES).forEach((key, value) -> keys.put("mail.incoming.target." + key, value));
        if (!recipient.equals(INVOICES)) {
            keys.put("mail.incoming.target.recipient", recipient);
        }
        MailConfig config = SimulatorConfig.of(simulator, dir, keys);
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        SSLContext tls = TrustedTls.create(config.exchange().trustStore());
        poller = new Poller(config, new GraphConnector(config, tls, meters),
                new EntraTokens(config, tls, Clock.systemUTC(), meters), Clock.systemUTC(), new PollMetrics(meters, config),
                false);
        poller.start(null);
        return middle;
    }

    private List<ByteBuffer> delivered(String address) {
        return fixture.delivered(address).stream()
                .sorted((a, b) -> Integer.compare(order(a), order(b))).toList();
    }

    private static int order(ByteBuffer mime) {
        return StandardCharsets.UTF_8.decode(mime.duplicate()).toString().contains("Subject: before") ? 0 : 1;
    }

    private SimMessage serverMessage(String id) {
        return simulator.messages(INVOICES, "inbox").stream().filter(m -> m.internetMessageId().contains(id))
                .findFirst().orElseThrow();
    }

    private static ByteBuffer wrap(byte[] mime) {
        return ByteBuffer.wrap(mime);
    }

    private static String messageId(byte[] mime) {
        Matcher id = MESSAGE_ID.matcher(new String(mime, StandardCharsets.UTF_8));
        assertTrue(id.find());
        return id.group(1);
    }
}
