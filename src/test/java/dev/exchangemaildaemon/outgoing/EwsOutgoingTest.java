package dev.exchangemaildaemon.outgoing;

import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Outgoing mail over EWS: CreateItem with MimeContent and SendAndSaveCopy. */
@QuarkusTest
@QuarkusTestResource(value = OutgoingResource.class, restrictToAnnotatedClass = true)
class EwsOutgoingTest extends OutgoingContract {

    @Override
    void throttleSender() {
        simulator.throttle(SimulatorResource.SENDER, 100, 120_000);
    }

    @Override
    int sendRequests() {
        return simulator.ewsRequestCounts().getOrDefault("CreateItem", 0);
    }
}
