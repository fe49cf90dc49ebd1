package dev.exchangemaildaemon.outgoing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/** Outgoing mail over Microsoft Graph: sendMail with the MIME as base64 text/plain. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = OutgoingResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "api", value = "graph"))
class GraphOutgoingTest extends OutgoingContract {

    @Override
    void throttleSender() {
        simulator.throttleGraph(SimulatorResource.SENDER, 100, 120);
    }

    /** Graph takes at most 4 MB in a request, headers included: the daemon refuses more than fits itself. */
    @Test
    void aMessageOverGraphsRequestLimitIsRefused552AndNotSent() throws Exception {
        int before = sendRequests();
        byte[] message = OutgoingMessages.large(SimulatorResource.SENDER, SimulatorResource.INVOICES, 3_200_000);

        Curl.Result result = Curl.submit(outgoing.smtpPort(), SimulatorResource.SENDER, SimulatorResource.INVOICES,
                message);

        assertFalse(result.sent(), result.output());
        assertTrue(result.output().contains("552 5.3.4 the message is larger than the 3096576 bytes allowed"),
                result.output());
        assertEquals(before, sendRequests());
    }

    /** Graph's own 413 (a request too large for it after all) is the message's size: 552, where it was 554. */
    @Test
    void graphRefusingTheRequestAsTooLargeIs552() throws Exception {
        simulator.refuseGraphRequestsAsTooLarge("sendMail", 1);

        Curl.Result result = Curl.submit(outgoing.smtpPort(), SimulatorResource.SENDER, SimulatorResource.INVOICES,
                OutgoingMessages.invoice(SimulatorResource.SENDER, SimulatorResource.INVOICES));

        assertFalse(result.sent(), result.output());
        assertTrue(result.output().contains("552 5.3.4 Exchange refused the message's size"), result.output());
    }

    @Override
    void delayNextSend(Duration delay) {
        simulator.graphFault(HttpFault.delay(delay).operation("sendMail"));
    }

    @Override
    int sendRequests() {
        return simulator.graphRequestCounts().getOrDefault("sendMail", 0);
    }
}
