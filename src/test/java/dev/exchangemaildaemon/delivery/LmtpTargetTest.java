package dev.exchangemaildaemon.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The LMTP client's side of RFC 2033 against a scripted stand-in server, for what a real Dovecot is not made to do on
 * demand: a refusal at RCPT, a multi-line reply, a server that never answers. The real Dovecot is in the fault
 * contract and TargetRefusalTest.
 */
class LmtpTargetTest {

    private static final Envelope ENVELOPE = new Envelope("invoices@contoso.com", "inbox", Optional.empty(),
            Instant.parse("2026-11-25T10:00:00Z"), "AAAAAAAAAAAAAAAAAAAAAA", "1796119200.AAAAAAAAAAAAAAAAAAAAAA.host");

    @TempDir
    Path dir;

    private ServerSocket server;
    private final List<String> commands = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void linesEndInCrlfAndALeadingDotIsDoubled() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        LmtpTarget.writeDotStuffed(new ByteArrayInputStream(
                ".starts\r\nbare lf\n..two\r\n.\r\nlast without end".getBytes(StandardCharsets.US_ASCII)), out);

        assertEquals("..starts\r\nbare lf\r\n...two\r\n..\r\nlast without end\r\n",
                out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void aRecipientRefusedForGoodIsARefusalAndNoDataIsSent() throws Exception {
        serve(Map.of("RCPT", "550-5.1.1 no such user\r\n550 5.1.1 here"));

        Handover answer = handOver("Subject: x\r\n\r\nbody\r\n", Duration.ofSeconds(10));

        assertEquals(Handover.Verdict.REFUSED, answer.verdict());
        assertTrue(answer.detail().endsWith("550 5.1.1 no such user 5.1.1 here"), answer.detail());
        assertTrue(commands.stream().noneMatch(command -> command.startsWith("DATA")), commands::toString);
    }

    @Test
    void theOneReplyAfterTheDataSaysTryAgain() throws Exception {
        serve(Map.of("END", "452 4.2.2 Mailbox is full"));

        Handover answer = handOver("Subject: x\r\n\r\n.hidden\r\n", Duration.ofSeconds(10));

        assertEquals(Handover.Verdict.TRY_AGAIN, answer.verdict());
        assertTrue(answer.detail().endsWith("452 4.2.2 Mailbox is full"), answer.detail());
        assertTrue(commands.contains("..hidden"), "dot-stuffed on the wire: " + commands);
        assertTrue(commands.contains("MAIL FROM:<>") && commands.contains("RCPT TO:<invoices@contoso.com>"),
                commands::toString);
    }

    @Test
    void aServerThatStopsAnsweringFailsAtTheTimeout() throws Exception {
        serve(Map.of("END", "")); // takes the message, never answers

        assertThrows(IOException.class, () -> handOver("Subject: x\r\n\r\nbody\r\n", Duration.ofSeconds(1)));
    }

    private Handover handOver(String mime, Duration timeout) throws IOException {
        LmtpTarget target = new LmtpTarget(LmtpAddress.parse("127.0.0.1:" + server.getLocalPort()),
                "invoices@contoso.com", timeout, SpoolDirectory.open(dir.resolve("spool")));
        Path received = target.receive(ENVELOPE, new ByteArrayInputStream(mime.getBytes(StandardCharsets.US_ASCII)));
        return target.handOver(ENVELOPE, received);
    }

    /**
     * Answers one connection: 250 to each command, 354 to DATA, 250 after the final dot, unless {@code replies} says
     * otherwise for a command (by its first word) or for the end of the data ({@code END}; empty: no answer).
     */
    private void serve(Map<String, String> replies) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread thread = new Thread(() -> {
            try (Socket socket = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = socket.getOutputStream();
                reply(out, "220 stand-in LMTP");
                boolean data = false;
                for (String line; (line = in.readLine()) != null;) {
                    commands.add(line);
                    if (data) {
                        if (line.equals(".")) {
                            data = false;
                            reply(out, replies.getOrDefault("END", "250 2.0.0 Saved"));
                        }
                        continue;
                    }
                    String verb = line.split("[ :]", 2)[0];
                    if (verb.equals("DATA") && !replies.containsKey("DATA")) {
                        data = true;
                        reply(out, "354 go ahead");
                    } else if (verb.equals("QUIT")) {
                        reply(out, "221 bye");
                        return;
                    } else {
                        reply(out, replies.getOrDefault(verb, "250 OK"));
                    }
                }
            } catch (IOException e) {
                // the client hung up
            }
        }, "lmtp-stand-in");
        thread.setDaemon(true);
        thread.start();
    }

    private static void reply(OutputStream out, String reply) throws IOException {
        if (!reply.isEmpty()) {
            out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
        }
    }
}
