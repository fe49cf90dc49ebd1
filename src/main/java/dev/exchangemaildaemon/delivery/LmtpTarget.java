package dev.exchangemaildaemon.delivery;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Hands each message to an LMTP server (RFC 2033), such as Dovecot's: one connection and one transaction per
 * message, {@code LHLO}, {@code MAIL FROM:<>}, one {@code RCPT TO}, {@code DATA} with the message streamed from its
 * spool file (lines ending in CRLF, a leading dot doubled), then the one reply for the one recipient, which says
 * whether this message was delivered: 2xx accepted, 4xx try again, 5xx refused. A refusal of MAIL FROM, RCPT TO or
 * DATA is the same answer about the message. A connection that fails, or a transaction longer than the timeout, is no
 * answer: an IOException. The empty reverse path ({@code <>}) keeps vacation replies and bounces from going back out
 * over mail that came from Exchange.
 */
public final class LmtpTarget extends SpooledTarget {

    /** Closes a connection whose transaction outlasts the timeout: reads on a channel have no timeout of their own. */
    private static final ScheduledExecutorService DEADLINES = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "lmtp-deadlines");
        thread.setDaemon(true);
        return thread;
    });
    /** A reply line longer than this is cut: the server's text only goes to the log and health. */
    private static final int REPLY_LINE_LIMIT = 1000;

    private final LmtpAddress server;
    private final String recipient;
    private final Duration timeout;

    public LmtpTarget(LmtpAddress server, String recipient, Duration timeout, SpoolDirectory spool) {
        super(spool);
        this.server = server;
        this.recipient = recipient;
        this.timeout = timeout;
    }

    @Override
    public Handover handOver(Envelope envelope, Path received) throws IOException {
        SocketAddress address = resolved(server.address());
        try (SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open()) {
            // the deadline covers the connect too: a host that drops SYNs would otherwise hold the poll for minutes
            ScheduledFuture<?> deadline = DEADLINES.schedule(() -> closeQuietly(channel), timeout.toMillis(),
                    TimeUnit.MILLISECONDS);
            try {
                channel.connect(address);
                return transaction(new BufferedInputStream(Channels.newInputStream(channel)),
                        new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), received);
            } catch (IOException e) {
                if (deadline.isDone()) {
                    throw new IOException("LMTP " + server + " took longer than " + timeout + " for one message", e);
                }
                throw new IOException("LMTP " + server + ": " + e.getMessage(), e);
            } finally {
                deadline.cancel(false);
            }
        } finally {
            spool.delete(received);
        }
    }

    private Handover transaction(InputStream in, OutputStream out, Path received) throws IOException {
        Reply greeting = Reply.read(in);
        if (greeting.code() / 100 != 2) {
            throw new IOException("the server did not greet: " + greeting);
        }
        Reply lhlo = command(in, out, "LHLO " + localHost());
        if (lhlo.code() / 100 != 2) {
            throw new IOException("LHLO refused: " + lhlo);
        }
        for (String step : new String[] { "MAIL FROM:<>", "RCPT TO:<" + recipient + ">" }) {
            Reply reply = command(in, out, step);
            if (reply.code() / 100 != 2) {
                quit(in, out);
                return answer(step, reply);
            }
        }
        Reply data = command(in, out, "DATA");
        if (data.code() != 354) {
            quit(in, out);
            return answer("DATA", data);
        }
        try (InputStream message = new BufferedInputStream(Files.newInputStream(received), 1 << 16)) {
            writeDotStuffed(message, out);
        }
        out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // RFC 2033 4.2: after the final dot, one reply for each recipient RCPT TO accepted: here exactly one.
        Reply delivered = Reply.read(in);
        quit(in, out);
        return delivered.code() / 100 == 2 ? Handover.accepted() : answer("delivery to " + recipient, delivered);
    }

    private Handover answer(String step, Reply reply) {
        Handover.Verdict verdict = reply.code() / 100 == 4 ? Handover.Verdict.TRY_AGAIN : Handover.Verdict.REFUSED;
        return new Handover(verdict, "LMTP " + server + " answered " + step + " with " + reply);
    }

    /**
     * Copies the message as DATA wants it: every line ending in CRLF (a bare LF gets its CR), a dot that starts a
     * line doubled, and a last line without an ending ended, so that the final dot stands on a line of its own.
     */
    static void writeDotStuffed(InputStream message, OutputStream out) throws IOException {
        boolean lineStart = true;
        int previous = -1;
        for (int b; (b = message.read()) != -1; previous = b) {
            if (lineStart && b == '.') {
                out.write('.');
            }
            if (b == '\n' && previous != '\r') {
                out.write('\r');
            }
            out.write(b);
            lineStart = b == '\n';
        }
        if (!lineStart) {
            out.write(previous == '\r' ? new byte[] { '\n' } : new byte[] { '\r', '\n' });
        }
    }

    private static Reply command(InputStream in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return Reply.read(in);
    }

    private static void quit(InputStream in, OutputStream out) {
        try {
            command(in, out, "QUIT");
        } catch (IOException ignored) {
            // the answer about the message is in; a connection that ends early changes nothing
        }
    }

    /** A host name is resolved when connecting, so that a changed address is followed. */
    private static SocketAddress resolved(SocketAddress address) {
        return address instanceof InetSocketAddress inet && inet.isUnresolved()
                ? new InetSocketAddress(inet.getHostString(), inet.getPort())
                : address;
    }

    private static String localHost() {
        return LocalHost.NAME;
    }

    /** This host's name for LHLO, looked up once (a reverse lookup per message would be slow, and unbounded). */
    private static final class LocalHost {
        static final String NAME = lookUp();

        private static String lookUp() {
            try {
                return InetAddress.getLocalHost().getCanonicalHostName();
            } catch (IOException e) {
                return "localhost";
            }
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing to end a read that waits too long: nothing else to do
        }
    }

    @Override
    public String describe() {
        return "LMTP " + server;
    }

    /** A reply: its code and its text lines joined, control characters replaced. */
    record Reply(int code, String text) {

        static Reply read(InputStream in) throws IOException {
            StringBuilder text = new StringBuilder();
            while (true) {
                String line = line(in);
                if (line.length() < 3 || !line.substring(0, 3).chars().allMatch(Character::isDigit)) {
                    throw new IOException("not an LMTP reply: " + line);
                }
                text.append(text.length() == 0 ? "" : " ").append(line.length() > 4 ? line.substring(4) : "");
                if (line.length() == 3 || line.charAt(3) != '-') {
                    return new Reply(Integer.parseInt(line.substring(0, 3)), text.toString());
                }
            }
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            for (int b; (b = in.read()) != '\n';) {
                if (b == -1) {
                    throw new IOException("the server closed the connection");
                }
                if (b != '\r' && line.size() < REPLY_LINE_LIMIT) {
                    line.write(b);
                }
            }
            return line.toString(StandardCharsets.UTF_8).replaceAll("\\p{Cc}", "?");
        }

        @Override
        public String toString() {
            return code + " " + text;
        }
    }
}
