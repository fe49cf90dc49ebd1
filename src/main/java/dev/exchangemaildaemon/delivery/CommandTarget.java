package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Hands each message to a program, as fetchmail's MDA or wsgetmail's command do: the raw MIME on its standard input
 * (straight from the spool file, never through the heap), what it may want to know in environment variables. Its
 * exit status is its answer: 0 accepted, 75 (EX_TEMPFAIL from sysexits.h) try again at the next poll, anything else
 * refused, as is a run longer than the timeout (then it is killed, with the processes it started). The last lines of
 * its standard error are the answer's detail; its standard output is dropped.
 *
 * <p>It gets none of the daemon's environment but a few harmless variables, so that a client secret or password
 * given to the daemon through its environment never reaches the program. A mailbox runs one program at a time (its
 * polls never overlap); {@code running} caps the programs of all mailboxes together.
 */
public final class CommandTarget extends SpooledTarget {

    /** sysexits.h: a temporary failure, the user is invited to retry. */
    public static final int EX_TEMPFAIL = 75;
    /** RFC 5322's longest line, for a header's value in a variable. */
    private static final int MAX_HEADER_VALUE = 998;
    /** The variables passed on from the daemon's environment, when set. */
    static final Set<String> PASSED_ON = Set.of("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME", "USER",
            "LOGNAME", "TMPDIR");
    /** How much of the end of standard error is kept: the last lines, at most this many bytes. */
    private static final int STDERR_TAIL_BYTES = 2048;
    private static final int STDERR_LINES = 5;
    /** How long the end of stderr may take after the program ended (a child of it may keep the pipe open). */
    private static final Duration STDERR_WAIT = Duration.ofSeconds(1);

    private final List<String> command;
    private final Duration timeout;
    private final Semaphore running;

    public CommandTarget(List<String> command, Duration timeout, Semaphore running, SpoolDirectory spool) {
        super(spool);
        this.command = List.copyOf(command);
        this.timeout = timeout;
        this.running = running;
    }

    @Override
    public Handover handOver(Envelope envelope, Path received) throws IOException {
        try {
            running.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a free command slot");
        }
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectInput(received.toFile())
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            environment(builder.environment(), envelope, Files.size(received));
            Process process = builder.start();
            StderrTail stderr = StderrTail.drain(process.getErrorStream(), STDERR_TAIL_BYTES, command.get(0));
            boolean ended;
            try {
                ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                kill(process);
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while " + command.get(0) + " ran");
            }
            if (!ended) {
                kill(process);
                return new Handover(Handover.Verdict.REFUSED, command.get(0) + " ran longer than " + timeout
                        + " and was killed" + tail(stderr));
            }
            int status = process.exitValue();
            return switch (status) {
                case 0 -> Handover.accepted();
                case EX_TEMPFAIL -> new Handover(Handover.Verdict.TRY_AGAIN, command.get(0) + " exited with "
                        + EX_TEMPFAIL + " (EX_TEMPFAIL): try again" + tail(stderr));
                default -> new Handover(Handover.Verdict.REFUSED, command.get(0) + " exited with " + status
                        + tail(stderr));
            };
        } finally {
            running.release();
            spool.delete(received);
        }
    }

    /**
     * A value from the message's own header, as a variable can hold it: without control characters (a NUL would
     * stop the start with an exception) and at most a header line long (998 characters; a sender's Message-ID of
     * 200 KB would make exec fail, "Argument list too long", on every poll).
     */
    static String headerValue(String value) {
        String printable = value.replaceAll("\\p{Cntrl}", "");
        return printable.length() <= MAX_HEADER_VALUE ? printable : printable.substring(0, MAX_HEADER_VALUE);
    }

    /**
     * Replaces the inherited environment by the few variables passed on and the message's own: {@code
     * EXCHANGE_MAIL_MAILBOX}, {@code _FOLDER}, {@code _MESSAGE_ID} (empty if none), {@code _RECEIVED} (ISO-8601,
     * UTC), {@code _DELIVERY_KEY} (the same for the same message, however often it is handed over) and {@code _SIZE}.
     */
    static void environment(Map<String, String> environment, Envelope envelope, long size) {
        environment.keySet().retainAll(PASSED_ON);
        environment.put("EXCHANGE_MAIL_MAILBOX", envelope.mailbox());
        environment.put("EXCHANGE_MAIL_FOLDER", envelope.folder());
        environment.put("EXCHANGE_MAIL_MESSAGE_ID", envelope.messageId().map(CommandTarget::headerValue).orElse(""));
        environment.put("EXCHANGE_MAIL_RECEIVED", envelope.received().toString());
        environment.put("EXCHANGE_MAIL_DELIVERY_KEY", envelope.key());
        environment.put("EXCHANGE_MAIL_SIZE", Long.toString(size));
    }

    /** Kills the program and whatever it started (a shell script's children would keep its pipes open). */
    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** ": " and the last lines of standard error on one line, control characters replaced; empty if none. */
    /** The program's last lines on stderr, for the log and health. */
    private static String tail(StderrTail stderr) throws InterruptedIOException {
        byte[] bytes;
        try {
            bytes = stderr.bytes(STDERR_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading the program's stderr");
        }
        List<String> lines = new ArrayList<>(Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\r?\n")));
        lines.removeIf(String::isBlank);
        if (lines.isEmpty()) {
            return "";
        }
        return ": " + lines.subList(Math.max(0, lines.size() - STDERR_LINES), lines.size()).stream()
                .map(line -> line.replaceAll("\\p{Cc}", "?").strip()).collect(Collectors.joining(" | "));
    }

    @Override
    public String describe() {
        return "command " + command.get(0);
    }
}
