package dev.exchangemaildaemon.packaged;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.simulator.SimMessage;
import dev.exchangemaildaemon.testing.FreePorts;
import dev.exchangemaildaemon.testing.SimulatorResource;

/**
 * The packaged daemon's SMTP port, driven by curl: a 45 MB message goes through a daemon with a 64 MB heap to
 * Exchange over EWS (spooled to disk, streamed into the request as base64, never held whole) and arrives byte for
 * byte in the sender's Sent Items. Prints the daemon's peak resident set size.
 */
class OutgoingSmtpIT extends AgainstSimulator {

    private static final String SENDER = SimulatorResource.SENDER;
    private static final String TO = SimulatorResource.INVOICES;

    OutgoingSmtpIT() {
        super(TO, SENDER);
    }

    @Test
    void a45MbMessageIsSentWholeThroughA64MbHeap() throws Exception {
        byte[] message = new String(LargeMessage.of(TO, 45_000_000, 45).mime(), StandardCharsets.ISO_8859_1)
                .replaceFirst("From: [^\r]*\r\n", "From: ERP <" + SENDER + ">\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("invoice.eml"), message);
        DaemonSetup setup = DaemonSetup.write(dir, simulator, TO, "ews");
        int port = FreePorts.next();

        try (DaemonProcess daemon = DaemonProcess.start(setup, "-Xmx64m", "-XX:+ExitOnOutOfMemoryError",
                "-Dmail.outgoing.senders[0]=" + SENDER, "-Dmail.outgoing.smtp.enabled=true",
                "-Dmail.outgoing.smtp.port=" + port)) {
            daemon.awaitReady(Duration.ofSeconds(90));
            long started = System.nanoTime();

            String output = curl(port, file);

            long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
            assertTrue(output.contains("250 2.0.0 sent through Exchange"), output);
            List<SimMessage> sent = simulator.messages(SENDER, "sentitems");
            assertEquals(1, sent.size());
            assertEquals(LargeMessage.sha256(message), LargeMessage.sha256(sent.get(0).mime()), "SHA-256");
            assertTrue(daemon.isAlive(), "the daemon is still running");
            long peakRssKib = daemon.peakRssKib();
            System.out.printf("OutgoingSmtpIT: %d bytes sent over SMTP and EWS with -Xmx64m in %d ms,"
                    + " daemon peak RSS (VmHWM) %.0f MiB%n", message.length, millis, peakRssKib / 1024.0);
        }
    }

    private static String curl(int port, Path file) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "--silent", "--show-error", "--verbose",
                "--max-time", "120", "--mail-from", SENDER, "--mail-rcpt", TO, "--upload-file", file.toString(),
                "smtp://127.0.0.1:" + port));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = curl.getInputStream().readAllBytes();
        assertTrue(curl.waitFor(150, TimeUnit.SECONDS), "curl finished");
        return new String(output, StandardCharsets.UTF_8);
    }
}
