package dev.exchangemaildaemon.packaged;

import static dev.exchangemaildaemon.testing.SimulatorResource.INVOICES;
import static dev.exchangemaildaemon.testing.SimulatorResource.ORDERS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
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

/**
 * {@code poll --once} of the packaged daemon when every mailbox can be polled: exit 0, which a cron job or systemd
 * timer takes for success ({@link PollOnceIT} has a mailbox that fails: exit 1). Quarkus starts the test resources
 * again for each launch, so the two cases need a class each.
 */
@QuarkusMainIntegrationTest
@Tag(QuarkusAppTests.TAG)
@QuarkusTestResource(value = SimulatorResource.class, restrictToAnnotatedClass = true, initArgs = {
        @ResourceArg(name = "mailboxes", value = INVOICES + "," + ORDERS), @ResourceArg(name = "seed", value = "true") })
class PollOnceSucceedsIT {

    DaemonDirs dirs;

    @Test
    void exitsZeroWhenEveryMailboxWasPolled(QuarkusMainLauncher launcher) {
        LaunchResult result = launcher.launch("poll", "--once");

        assertEquals(0, result.exitCode(), result.getOutput() + result.getErrorOutput());
        for (String address : new String[] { INVOICES, ORDERS }) {
            assertTrue(result.getOutput().contains(address + ": ok, 4 delivered"), result.getOutput());
            assertEquals(4, MaildirContents.messages(dirs.maildir(), address).size(), address);
        }
    }
}
