package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.simulator.ExchangeSimulator;
import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The user name/password flow end to end: one MSAL4J token per user, each user's own mailbox, no impersonation. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "auth-flow", value = "username-password"))
class DelegatedPollingTest {

    ExchangeSimulator simulator;

    @Inject
    Poller poller;
    @Inject
    MailConfig config;

    @Test
    void eachUserReadsTheirOwnMailboxWithTheirOwnTokenAndNoImpersonation() {
        List<byte[]> invoices = simulator.seedSampleMessages(INVOICES);
        List<byte[]> orders = simulator.seedSampleMessages(ORDERS);

        for (int round = 0; round < 2; round++) {
            assertEquals(0, poller.pollNow(INVOICES).consecutiveFailures(), () -> poller.status(INVOICES).toString());
            assertEquals(0, poller.pollNow(ORDERS).consecutiveFailures(), () -> poller.status(ORDERS).toString());
        }

        assertEquals(new HashSet<>(MaildirContents.wrap(invoices)),
                new HashSet<>(MaildirContents.messages(config.incoming().maildir(), INVOICES)));
        assertEquals(new HashSet<>(MaildirContents.wrap(orders)),
                new HashSet<>(MaildirContents.messages(config.incoming().maildir(), ORDERS)));
        assertEquals(2, simulator.tokenRequests("password"), "one token per user, reused by the second round");
        assertEquals(0, simulator.tokenRequests("client_credentials"));
        var requests = simulator.ewsRequests();
        assertFalse(requests.isEmpty());
        for (var request : requests) {
            assertNull(request.impersonatedAddress(), request::toString);
            assertNull(request.anchorMailbox(), request::toString);
        }
        assertTrue(simulator.messages(INVOICES, "inbox").stream().allMatch(message -> message.read()));
    }
}
