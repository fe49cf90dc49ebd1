package dev.exchangemaildaemon.systemd;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

import dev.exchangemaildaemon.polling.MailboxStatus;

/** The last polls in one line, for systemctl status: how many mailboxes work, which fail, when the last poll was. */
final class PollSummary {

    private PollSummary() {
    }

    static String of(List<MailboxStatus> statuses) {
        List<String> failing = statuses.stream().filter(status -> status.consecutiveFailures() > 0)
                .map(MailboxStatus::address).toList();
        Optional<Instant> last = statuses.stream().map(MailboxStatus::lastAttempt).flatMap(Optional::stream)
                .max(Instant::compareTo);
        StringBuilder line = new StringBuilder().append(statuses.size()).append(" mailbox(es), ")
                .append(statuses.size() - failing.size()).append(" ok");
        if (!failing.isEmpty()) {
            line.append(", ").append(failing.size()).append(" failing: ").append(String.join(", ", failing));
        }
        line.append("; last poll ").append(last.map(at -> at.truncatedTo(ChronoUnit.SECONDS).toString())
                .orElse("not yet"));
        return line.toString();
    }
}
