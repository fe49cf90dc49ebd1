package dev.exchangemaildaemon.outgoing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.simulator.HttpFault;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Outgoing mail over EWS: CreateItem with MimeContent and SendAndSaveCopy. */
@QuarkusTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = OutgoingResource.class, restrictToAnnotatedClass = true)
class EwsOutgoingTest extends OutgoingContract {

    @Override
    void throttleSender() {
        simulator.throttle(SimulatorResource.SENDER, 100, 120_000);
    }

    /** The message is streamed into the CreateItem request as base64 from the spooled file and arrives whole. */
    @Test
    void aLargeMessageArrivesWholeInSentItems() throws Exception {
        byte[] message = OutgoingMessages.large(SimulatorResource.SENDER, SimulatorResource.INVOICES, 20_000_000);

        Curl.Result result = Curl.submit(outgoing.smtpPort(), SimulatorResource.SENDER, SimulatorResource.INVOICES,
                message);

        assertTrue(result.sent(), () -> result.output().substring(Math.max(0, result.output().length() - 2000)));
        List<SimMessage> sent = sentItems();
        assertArrayEquals(message, sent.get(sent.size() - 1).mime());
    }

    @Override
    void delayNextSend(Duration delay) {
        simulator.ewsFault(HttpFault.delay(delay).operation("CreateItem"));
    }

    @Override
    int sendRequests() {
        return simulator.ewsRequestCounts().getOrDefault("CreateItem", 0);
    }
}
