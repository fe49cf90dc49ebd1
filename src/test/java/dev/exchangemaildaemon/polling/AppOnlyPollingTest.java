package dev.exchangemaildaemon.polling;

import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The polling contract over EWS, plus what only EWS has: impersonation and the anchor mailbox header. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true)
class AppOnlyPollingTest extends PollingContract {

    @Override
    String missingMailboxCode() {
        return "ErrorNonExistentMailbox";
    }

    @Test
    void everyRequestImpersonatesItsMailboxAndAnchorsOnIt() {
        poller.pollNow(ORDERS);
        var requests = simulator.ewsRequests();
        assertFalse(requests.isEmpty());
        for (var request : requests) {
            assertTrue(request.impersonatedAddress() != null, () -> "no impersonation header in " + request);
            assertEquals(request.impersonatedAddress(), request.anchorMailbox(), () -> request.toString());
        }
        assertTrue(requests.stream().anyMatch(request -> ORDERS.equals(request.impersonatedAddress())));
    }

}
