package dev.exchangemaildaemon.cli;

import java.util.concurrent.Callable;

import jakarta.inject.Inject;

import dev.exchangemaildaemon.polling.MailboxStatus;
import dev.exchangemaildaemon.polling.Poller;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One poll of every enabled mailbox, then exit: 0 if each succeeded, else 1. For cron or a systemd timer instead of
 * the daemon (not beside it: the state directory's lock admits one of them).
 */
@Command(name = "poll", description = "Polls every enabled mailbox once and exits: 0 if every poll succeeded, 1 if"
        + " one failed. For cron or a systemd timer, instead of the daemon.")
public class PollCommand implements Callable<Integer> {

    @Option(names = "--once", required = true, description = "Poll once and exit (required: the daemon itself is"
            + " what polls continuously)")
    boolean once;

    // Injected into a field: Main parses the arguments with plain picocli first, which needs a no-argument constructor.
    @Inject
    Poller poller;

    @Override
    public Integer call() {
        boolean allOk = true;
        for (MailboxStatus before : poller.statuses()) {
            MailboxStatus after = poller.pollNow(before.address());
            boolean ok = after.consecutiveFailures() == 0;
            allOk &= ok;
            System.out.println(before.address() + ": " + (ok ? "ok, " + (after.delivered() - before.delivered())
                    + " delivered" : "FAILED: " + after.lastError().orElse("")));
        }
        return allOk ? 0 : 1;
    }
}
