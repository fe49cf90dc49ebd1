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
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** The polling contract over Microsoft Graph, plus what only Graph has: immutable ids, no EWS at all. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true, initArgs = @ResourceArg(name = "api", value = "graph"))
class GraphPollingTest extends PollingContract {

    @Override
    String missingMailboxCode() {
        return "ErrorInvalidUser";
    }

    @Test
    void everyRequestGoesToGraphAsksForImmutableIdsAndNamesItsMailbox() {
        poller.pollNow(ORDERS);
        assertTrue(simulator.ewsRequests().isEmpty(), "no EWS request");
        var requests = simulator.graphRequests();
        assertFalse(requests.isEmpty());
        requests.forEach(request -> assertTrue(request.immutableIds(), request::toString));
        assertTrue(requests.stream().anyMatch(request -> ORDERS.equals(request.mailbox())));
        assertEquals(0, simulator.tokenRequests("password"));
    }
}
