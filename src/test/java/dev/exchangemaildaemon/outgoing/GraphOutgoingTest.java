package dev.exchangemaildaemon.outgoing;

import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Outgoing mail over Microsoft Graph: sendMail with the MIME as base64 text/plain. */
@QuarkusTest
@QuarkusTestResource(value = OutgoingResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "api", value = "graph"))
class GraphOutgoingTest extends OutgoingContract {

    @Override
    void throttleSender() {
        simulator.throttleGraph(SimulatorResource.SENDER, 100, 120);
    }

    @Override
    int sendRequests() {
        return simulator.graphRequestCounts().getOrDefault("sendMail", 0);
    }
}
