package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.MISSING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

import dev.exchangemaildaemon.testing.MaildirContents;
import dev.exchangemaildaemon.testing.QuarkusAppTests;
import dev.exchangemaildaemon.testing.SimulatorResource;
import dev.exchangemaildaemon.testing.SimulatorResource.DaemonDirs;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainIntegrationTest;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import org.junit.jupiter.api.Tag;

/** {@code poll --once} of the packaged daemon, as a cron job or systemd timer runs it: one poll each, exit 0 or 1. */
@QuarkusMainIntegrationTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "mailboxes", value = INVOICES + "," + MISSING), @ResourceArg(name = "seed", value = "true") })
class PollOnceIT {

    DaemonDirs dirs;

    @Test
    void pollsEveryMailboxOnceAndSaysWhichFailed(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("poll", "--once");
        assertEquals(1, result.exitCode(), "one mailbox does not exist: " + result.getOutput() + result.getErrorOutput());
        assertTrue(result.getOutput().contains(INVOICES + ": ok, 4 delivered"), result.getOutput());
        assertTrue(result.getOutput().contains(MISSING + ": FAILED: ErrorNonExistentMailbox"), result.getOutput());
        assertEquals(4, MaildirContents.messages(dirs.maildir(), INVOICES).size(), "the seeded mail was delivered");
    }

    @Test
    void pollWithoutOnceIsAUsageError(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("poll");
        assertEquals(2, result.exitCode());
        assertTrue(result.getErrorOutput().contains("--once"), result.getErrorOutput());
    }
}
