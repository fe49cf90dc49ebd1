package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.MISSING;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.delivery.DeliveryLog;
import dev.exchangemaildaemon.delivery.Maildir;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.TestMessages;

/**
 * What every transport must do, end to end in the client-secret flow: MSAL4J token over HTTPS, the mailbox
 * API, Maildir, health, metrics. Each transport's test class runs these against the simulator.
 */
abstract class PollingContract {

    ExchangeSimulator simulator;

    @Inject
    Poller poller;
    @Inject
    MailConfig config;
    @Inject
    MailboxConnector connector;
    @Inject
    EntraTokens tokens;

    @ConfigProperty(name = "quarkus.management.test-port")
    int managementPort;

    @Test
    void deliversEveryUnreadMessageByteForByteOnceAndMarksItRead() {
        List<byte[]> seeded = simulator.seedSampleMessages(INVOICES);
        simulator.deliver(INVOICES, "inbox", TestMessages.plain(INVOICES, "read long ago"), true);

        MailboxStatus status = poller.pollNow(INVOICES);

        assertEquals(0, status.consecutiveFailures(), () -> status.lastError().orElse(""));
        Path maildir = config.incoming().maildir();
        assertEquals(new HashSet<>(MaildirContents.wrap(seeded)),
                new HashSet<>(MaildirContents.messages(maildir, INVOICES)));
        assertEquals(seeded.size(), MaildirContents.messages(maildir, INVOICES).size());
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(SimMessage::read));
        assertEquals(0, MaildirContents.count(maildir.resolve(INVOICES).resolve("tmp")));

        poller.pollNow(INVOICES);
        assertEquals(seeded.size(), MaildirContents.messages(maildir, INVOICES).size());
    }

    @Test
    void oneAppTokenServesEveryMailboxAndPoll() {
        poller.pollNow(INVOICES);
        poller.pollNow(ORDERS);
        poller.pollNow(INVOICES);
        assertEquals(1, simulator.tokenRequests("client_credentials"));
    }

    @Test
    void metricsCountPollsDeliveriesAndTokensPerMailbox() throws Exception {
        // a mailbox that never worked is there, at 0, so that an alert needs no absent()
        String neverWorked = "exchange_mail_last_success_timestamp_seconds{mailbox=\"" + MISSING + "\"}";
        assertEquals(0.0, sample(scrape(), neverWorked));
        simulator.deliver(ORDERS, "inbox", TestMessages.plain(ORDERS, "metrics"), false);
        poller.pollNow(ORDERS);
        poller.pollNow(MISSING);

        String metrics = scrape();
        String api = "api=\"" + config.exchange().api().name().toLowerCase(java.util.Locale.ROOT) + "\"";
        for (String expected : List.of(
                "exchange_mail_polls_total{mailbox=\"orders@contoso.com\",outcome=\"success\",reason=\"\"}",
                "exchange_mail_polls_total{mailbox=\"nobody@contoso.com\",outcome=\"failure\",reason=\""
                        + missingMailboxCode() + "\"}",
                "exchange_mail_messages_delivered_total{mailbox=\"orders@contoso.com\"}",
                "exchange_mail_delivered_bytes_total{mailbox=\"orders@contoso.com\"}",
                "exchange_mail_poll_duration_seconds_bucket{mailbox=\"orders@contoso.com\",le=\"+Inf\"}",
                "exchange_mail_requests_total{" + api + ",operation=",
                "exchange_mail_request_duration_seconds_bucket{" + api + ",operation=",
                "exchange_mail_token_requests_total{flow=\"client-secret\",outcome=\"success\"} 1.0",
                "exchange_mail_build_info{" + api + ",version=")) {
            assertTrue(metrics.contains("\n" + expected), () -> expected + " not in\n" + metrics);
        }
        assertTrue(sample(metrics, "exchange_mail_last_success_timestamp_seconds{mailbox=\"orders@contoso.com\"}") > 0);
        assertEquals(0.0, sample(metrics, neverWorked));
        assertFalse(metrics.contains(SimulatorResource.CLIENT_SECRET));
    }

    @Test
    void theBacklogGaugeIsWhatWaitsInNew() throws Exception {
        simulator.deliver(ORDERS, "inbox", TestMessages.plain(ORDERS, "backlog"), false);
        poller.pollNow(ORDERS);
        Path fresh = config.incoming().maildir().resolve(ORDERS).resolve("new");
        String series = "exchange_mail_maildir_new_messages{folder=\"inbox\",mailbox=\"orders@contoso.com\"}";
        long waiting = MaildirContents.count(fresh);
        assertTrue(waiting > 0);
        assertEquals(waiting, sample(scrape(), series));

        // the software reading the Maildir takes one: it moves to cur/
        try (var files = Files.list(fresh)) {
            Path taken = files.findFirst().orElseThrow();
            Files.move(taken, fresh.resolveSibling("cur").resolve(taken.getFileName() + ":2,S"));
        }
        assertEquals(waiting - 1, sample(scrape(), series));
    }

    private String scrape() {
        return given().port(managementPort).get("/q/metrics").then().statusCode(200).extract().asString();
    }

    /** The value of one series in a scrape; fails if it is not there. */
    private static double sample(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError(series + " not in\n" + scrape));
    }

    @Test
    void aMissingMailboxFailsAloneAndShowsInHealth() {
        simulator.seedSampleMessages(ORDERS);

        MailboxStatus missing = poller.pollNow(MISSING);
        MailboxStatus orders = poller.pollNow(ORDERS);
        poller.pollNow(INVOICES);

        assertTrue(missing.lastError().orElse("").contains(missingMailboxCode()), missing.toString());
        assertEquals(0, orders.consecutiveFailures(), orders.toString());
        given().port(managementPort).get("/q/health/ready").then()
                .statusCode(503)
                .body("checks.find { it.name == 'mailbox " + MISSING + "' }.status", equalTo("DOWN"))
                .body("checks.find { it.name == 'mailbox " + MISSING + "' }.data.lastError",
                        containsString(missingMailboxCode()))
                .body("checks.find { it.name == 'mailbox " + ORDERS + "' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'mailbox " + ORDERS + "' }.data.types", equalTo("type-1"))
                .body(org.hamcrest.Matchers.not(containsString(SimulatorResource.CLIENT_SECRET)));
    }

    @Test
    void everyLineOfAPollNamesItsMailboxInTheMdc() {
        java.util.List<Object> mailboxes = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record instanceof org.jboss.logmanager.ExtLogRecord ext && record.getMessage() != null
                        && record.getMessage().contains("poll failed")) {
                    mailboxes.add(String.valueOf(ext.getMdc(Poller.MDC_MAILBOX)));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(handler);
        try {
            poller.pollNow(MISSING);
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(handler);
        }
        assertEquals(List.of(MISSING), mailboxes);
        assertEquals(null, org.jboss.logging.MDC.get(Poller.MDC_MAILBOX), "not left behind on the thread");
    }

    @Test
    void livenessIsThePollersProgress() {
        poller.pollNow(MISSING); // a failed poll is progress all the same

        given().port(managementPort).get("/q/health/live").then()
                .statusCode(200)
                .body("checks.find { it.name == 'poller' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'poller' }.data.downAfter", equalTo("PT3H"));
    }

    @Test
    void eachAfterDeliveryActionDoesWhatItSaysOnTheServer(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Mailbox orders = connector.connect(ORDERS, tokens.forUser(ORDERS, ""));

        byte[] toRead = TestMessages.plain(ORDERS, "mark-read");
        simulator.deliver(ORDERS, "inbox", toRead, false);
        poll(orders, dir.resolve("read"), AfterDelivery.MARK_READ);
        assertDelivered(dir.resolve("read"), toRead);
        assertTrue(find(ORDERS, "inbox", toRead).read());

        byte[] toMove = TestMessages.plain(ORDERS, "move");
        simulator.deliver(ORDERS, "inbox", toMove, false);
        poll(orders, dir.resolve("move"), AfterDelivery.MOVE);
        assertDelivered(dir.resolve("move"), toMove);
        assertFalse(contains(ORDERS, "inbox", toMove));
        assertTrue(contains(ORDERS, "Processed", toMove));

        byte[] toDelete = TestMessages.plain(ORDERS, "delete");
        simulator.deliver(ORDERS, "inbox", toDelete, false);
        poll(orders, dir.resolve("delete"), AfterDelivery.DELETE);
        assertDelivered(dir.resolve("delete"), toDelete);
        assertFalse(contains(ORDERS, "inbox", toDelete));
        assertTrue(contains(ORDERS, "deleteditems", toDelete));

        byte[] toKeep = TestMessages.plain(ORDERS, "keep");
        simulator.deliver(ORDERS, "inbox", toKeep, false);
        poll(orders, dir.resolve("keep"), AfterDelivery.KEEP);
        assertDelivered(dir.resolve("keep"), toKeep);
        assertFalse(find(ORDERS, "inbox", toKeep).read());
        // A restart (the record reopened from disk) delivers nothing twice, though the message is still unread.
        List<ByteBuffer> before = MaildirContents.messages(dir.resolve("keep"), "maildir");
        assertEquals(0, poll(orders, dir.resolve("keep"), AfterDelivery.KEEP).delivered());
        assertEquals(before, MaildirContents.messages(dir.resolve("keep"), "maildir"));
    }

    /** The code the transport reports for a mailbox that does not exist. */
    abstract String missingMailboxCode();

    private static PollOutcome poll(Mailbox mailbox, Path dir, AfterDelivery action) throws Exception {
        Maildir maildir = new Maildir(dir.resolve("maildir")).create();
        try (DeliveryLog log = DeliveryLog.open(dir.resolve("state/orders.delivered"))) {
            return new MailboxPoll(mailbox, "inbox", maildir, log, action, "Processed", "test-host",
                new SetAside(), new PollProgress(Clock.systemUTC())).run();
        }
    }

    private static void assertDelivered(Path dir, byte[] mime) {
        assertTrue(MaildirContents.messages(dir, "maildir").contains(ByteBuffer.wrap(mime)), "not delivered");
    }

    private SimMessage find(String address, String folder, byte[] mime) {
        return simulator.messages(address, folder).stream()
                .filter(message -> java.util.Arrays.equals(message.mime(), mime))
                .findFirst().orElseThrow(() -> new AssertionError("not in " + folder));
    }

    private boolean contains(String address, String folder, byte[] mime) {
        return simulator.messages(address, folder).stream()
                .anyMatch(message -> java.util.Arrays.equals(message.mime(), mime));
    }
}
