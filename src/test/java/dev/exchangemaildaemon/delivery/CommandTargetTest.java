package dev.exchangemaildaemon.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.exchangemaildaemon.testing.Await;

/** The command target's contract with the program it runs, with small shell scripts as the programs. */
class CommandTargetTest {

    private static final Envelope ENVELOPE = new Envelope("invoices@contoso.com", "Invoices/Incoming",
            Optional.of("<a1@supplier.example>"), Instant.parse("2026-11-25T10:00:00Z"), "AAAAAAAAAAAAAAAAAAAAAA",
            "1796119200.AAAAAAAAAAAAAAAAAAAAAA.host");

    @TempDir
    Path dir;

    @Test
    void theProgramGetsTheMessageOnStdinAndWhatItNeedsButNoneOfTheDaemonsSecretsInItsEnvironment() throws Exception {
        Path out = dir.resolve("out");
        CommandTarget target = target(Duration.ofSeconds(30), new Semaphore(1),
                "cat > " + out + ".mime; env > " + out + ".env");

        Handover answer = handOver(target, "Subject: hi\r\n\r\nbody\r\n");

        assertEquals(Handover.Verdict.ACCEPTED, answer.verdict(), answer::detail);
        assertEquals("Subject: hi\r\n\r\nbody\r\n", Files.readString(Path.of(out + ".mime")));
        String env = Files.readString(Path.of(out + ".env"));
        for (String expected : List.of("EXCHANGE_MAIL_MAILBOX=invoices@contoso.com",
                "EXCHANGE_MAIL_FOLDER=Invoices/Incoming", "EXCHANGE_MAIL_MESSAGE_ID=<a1@supplier.example>",
                "EXCHANGE_MAIL_RECEIVED=2026-11-25T10:00:00Z", "EXCHANGE_MAIL_DELIVERY_KEY=AAAAAAAAAAAAAAAAAAAAAA",
                "EXCHANGE_MAIL_SIZE=21")) {
            assertTrue(env.lines().anyMatch(expected::equals), expected + " in " + env);
        }
        try (var spooled = Files.list(dir.resolve("spool"))) {
            assertEquals(0, spooled.count(), "the spool file is gone");
        }
    }

    /**
     * A sender writes the Message-ID: one with a control character, or longer than a variable may be, must not stop
     * the program from starting (the poll would fail on that message every time).
     */
    @Test
    void aHostileMessageIdStillLetsTheProgramStart() throws Exception {
        Path out = dir.resolve("out");
        CommandTarget target = target(Duration.ofSeconds(30), new Semaphore(1), "cat > /dev/null; env > " + out);
        String longId = "<" + "x".repeat(200_000) + "@spam.example>";
        for (String messageId : List.of("<a\u0000b\u0007c@spam.example>", longId)) {
            Envelope envelope = new Envelope(ENVELOPE.mailbox(), ENVELOPE.folder(), Optional.of(messageId),
                    ENVELOPE.received(), ENVELOPE.key(), ENVELOPE.fileName());

            Handover answer = handOver(target, envelope, "Subject: hi\r\n\r\nbody\r\n");

            assertEquals(Handover.Verdict.ACCEPTED, answer.verdict(), answer::detail);
            String passed = Files.readString(out).lines().filter(line -> line.startsWith("EXCHANGE_MAIL_MESSAGE_ID="))
                    .findFirst().orElseThrow().substring("EXCHANGE_MAIL_MESSAGE_ID=".length());
            assertTrue(passed.chars().noneMatch(Character::isISOControl), passed);
            assertTrue(passed.length() <= 998, "length " + passed.length());
            assertTrue(passed.startsWith(messageId.substring(0, 2)), passed);
        }
    }

    /**
     * A program that writes without end to stderr (a loop with set -x) fills no disk: only the last lines are kept,
     * read as they come, and they still reach the answer.
     */
    @Test
    void aChattyProgramsStderrTakesNoDiskAndItsLastLinesAreKept() throws Exception {
        Path marker = dir.resolve("written");
        Path go = dir.resolve("go");
        CommandTarget target = target(Duration.ofSeconds(60), new Semaphore(1), "cat > /dev/null;"
                + " head -c 20000000 /dev/zero | tr '\\0' x >&2; echo >&2; echo 'the last line' >&2;"
                + " touch " + marker + "; while [ ! -e " + go + " ]; do sleep 0.05; done; exit 1");
        CompletableFuture<Handover> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return handOver(target, "Subject: hi\r\n\r\nbody\r\n");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        Await.until("20 MB written to stderr", Duration.ofSeconds(60), () -> Files.exists(marker));

        long onDisk;
        try (var files = Files.walk(dir.resolve("spool"))) {
            onDisk = files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
        Files.createFile(go);

        assertTrue(onDisk < 1_000_000, "the spool holds " + onDisk + " bytes while the program runs");
        Handover refused = answer.get(60, TimeUnit.SECONDS);
        assertEquals(Handover.Verdict.REFUSED, refused.verdict());
        assertTrue(refused.detail().endsWith("the last line"), refused.detail());
    }

    @Test
    void onlyHarmlessVariablesArePassedOn() {
        Map<String, String> environment = new HashMap<>(Map.of("PATH", "/usr/bin", "LANG", "C.UTF-8",
                "MAIL_ENTRA_CLIENT_SECRET", "s3cret", "MAIL_API_TOKEN", "t0ken", "AWS_SECRET_ACCESS_KEY", "x"));

        CommandTarget.environment(environment, ENVELOPE, 10);

        assertEquals("/usr/bin", environment.get("PATH"));
        assertEquals("C.UTF-8", environment.get("LANG"));
        assertFalse(environment.containsKey("MAIL_ENTRA_CLIENT_SECRET"));
        assertFalse(environment.containsKey("MAIL_API_TOKEN"));
        assertFalse(environment.containsKey("AWS_SECRET_ACCESS_KEY"));
    }

    @Test
    void theExitStatusIsTheAnswerWithTheLastLinesOfStderr() throws Exception {
        Semaphore one = new Semaphore(1);
        Handover refused = handOver(target(Duration.ofSeconds(30), one,
                "cat >/dev/null; for i in 1 2 3 4 5 6 7; do echo line $i >&2; done; exit 1"), "x\r\n");
        Handover later = handOver(target(Duration.ofSeconds(30), one, "cat >/dev/null; echo busy >&2; exit 75"),
                "x\r\n");
        Handover unread = handOver(target(Duration.ofSeconds(30), one, "exit 0"), "x\r\n");

        assertEquals(Handover.Verdict.REFUSED, refused.verdict());
        assertTrue(refused.detail().endsWith("exited with 1: line 3 | line 4 | line 5 | line 6 | line 7"),
                refused.detail());
        assertEquals(Handover.Verdict.TRY_AGAIN, later.verdict());
        assertTrue(later.detail().contains("75") && later.detail().endsWith(": busy"), later.detail());
        assertEquals(Handover.Verdict.ACCEPTED, unread.verdict(), "a program may ignore its input: its status counts");
    }

    @Test
    void aProgramRunningPastTheTimeoutIsKilledWithWhatItStartedAndRefused() throws Exception {
        Path pid = dir.resolve("child.pid");
        CommandTarget target = target(Duration.ofSeconds(1), new Semaphore(1),
                "sleep 300 & echo $! > " + pid + "; echo stuck >&2; wait");

        Handover answer = handOver(target, "x\r\n");

        assertEquals(Handover.Verdict.REFUSED, answer.verdict());
        assertTrue(answer.detail().contains("ran longer than PT1S and was killed: stuck"), answer.detail());
        long child = Long.parseLong(Files.readString(pid).strip());
        Await.until("the program's child killed", Duration.ofSeconds(10),
                () -> !ProcessHandle.of(child).map(ProcessHandle::isAlive).orElse(false));
    }

    @Test
    void aProgramThatCannotBeStartedIsNoAnswerAboutTheMessage() throws Exception {
        CommandTarget target = new CommandTarget(List.of(dir.resolve("missing").toString()), Duration.ofSeconds(5),
                new Semaphore(1), SpoolDirectory.open(dir.resolve("spool")));
        Path received = target.receive(ENVELOPE, new ByteArrayInputStream(new byte[] { 'x' }));

        assertThrows(IOException.class, () -> target.handOver(ENVELOPE, received));
    }

    /** Two mailboxes' targets sharing one slot never run their programs at once. */
    @Test
    void theCapOnProgramsRunningHoldsAcrossMailboxes() throws Exception {
        Semaphore one = new Semaphore(1);
        Path lock = dir.resolve("running");
        // mkdir fails if the other program is inside: then this one exits 3 and is refused
        String script = "cat >/dev/null; mkdir " + lock + " || exit 3; sleep 0.3; rmdir " + lock;
        CommandTarget first = target(Duration.ofSeconds(30), one, script, "spool-a");
        CommandTarget second = target(Duration.ofSeconds(30), one, script, "spool-b");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<Handover> a = threads.submit(() -> handOver(first, "a\r\n"));
            Future<Handover> b = threads.submit(() -> handOver(second, "b\r\n"));

            assertEquals(Handover.Verdict.ACCEPTED, a.get(30, TimeUnit.SECONDS).verdict(), () -> "a");
            assertEquals(Handover.Verdict.ACCEPTED, b.get(30, TimeUnit.SECONDS).verdict(), () -> "b");
        } finally {
            threads.shutdownNow();
        }
    }

    private CommandTarget target(Duration timeout, Semaphore running, String script) throws IOException {
        return target(timeout, running, script, "spool");
    }

    private CommandTarget target(Duration timeout, Semaphore running, String script, String spool) throws IOException {
        return new CommandTarget(List.of("/bin/sh", "-c", script), timeout, running,
                SpoolDirectory.open(dir.resolve(spool)));
    }

    private static Handover handOver(CommandTarget target, String mime) throws IOException {
        return handOver(target, ENVELOPE, mime);
    }

    private static Handover handOver(CommandTarget target, Envelope envelope, String mime) throws IOException {
        Path received = target.receive(envelope, new ByteArrayInputStream(mime.getBytes(StandardCharsets.UTF_8)));
        return target.handOver(envelope, received);
    }
}
