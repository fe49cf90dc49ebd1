package dev.exchangemaildaemon.check;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.exchangemaildaemon.auth.AccessTokens;
import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.auth.TokenException;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.config.MailConfig.AfterDelivery;
import dev.exchangemaildaemon.config.MailConfig.MailboxConfig;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;
import dev.exchangemaildaemon.mailbox.MailboxException;
import dev.exchangemaildaemon.net.FailedAttempt;
import dev.exchangemaildaemon.net.RequestAttempts;
import dev.exchangemaildaemon.net.RetryPolicy;
import dev.exchangemaildaemon.net.Sleeper;
import dev.exchangemaildaemon.outgoing.Senders;

/**
 * "Test settings": gets a token, then opens each folder the daemon will use, and reports every step with
 * what to fix when it fails. It reads and changes nothing in the mailboxes.
 */
@ApplicationScoped
public class SetupCheck {

    /** Waits of 2 s doubling up to 30 s, for as long as {@code mail.check.retry-for} allows. */
    private static final RetryPolicy PROPAGATION = new RetryPolicy(Integer.MAX_VALUE, Duration.ofSeconds(2),
            Duration.ofSeconds(30), Duration.ofSeconds(30));

    private final MailConfig config;
    private final EntraTokens tokens;
    private final MailboxConnector connector;
    private final GraphProbe graphProbe;
    private final Clock clock;
    private final Senders senders;
    private final Sleeper sleeper;

    @Inject
    SetupCheck(MailConfig config, EntraTokens tokens, MailboxConnector connector, GraphProbe graphProbe, Clock clock,
            Senders senders) {
        this(config, tokens, connector, graphProbe, clock, senders, Sleeper.THREAD);
    }

    SetupCheck(MailConfig config, EntraTokens tokens, MailboxConnector connector, GraphProbe graphProbe, Clock clock,
            Senders senders, Sleeper sleeper) {
        this.config = config;
        this.tokens = tokens;
        this.connector = connector;
        this.graphProbe = graphProbe;
        this.clock = clock;
        this.senders = senders;
        this.sleeper = sleeper;
    }

    private record Target(String address, String username, String password, String role, List<String> folders) {
    }

    /**
     * Checks the sender and every enabled mailbox, or only the one given.
     *
     * @throws IllegalArgumentException when {@code onlyMailbox} is neither a configured mailbox nor the sender
     */
    public CheckReport run(Optional<String> onlyMailbox) {
        List<Target> targets = targets(onlyMailbox);
        List<CheckOutcome> outcomes = new ArrayList<>();
        boolean appOnly = config.entra().authFlow().appOnly();
        if (appOnly && !tokenCheck("Entra ID token (client credentials)", tokens.forUser("", ""), outcomes)) {
            return CheckReport.of(outcomes);
        }
        for (Target target : targets) {
            AccessTokens access = tokens.forUser(target.username(), target.password());
            if (!appOnly && !tokenCheck("Entra ID token for " + target.username() + " (user name/password)", access,
                    outcomes)) {
                continue;
            }
            Mailbox mailbox = connector.connect(target.address(), access);
            for (String folder : target.folders()) {
                outcomes.add(folderCheck(mailbox, access, target, folder));
            }
        }
        return CheckReport.of(outcomes);
    }

    private List<Target> targets(Optional<String> only) {
        List<Target> targets = new ArrayList<>();
        config.send().sender().ifPresent(sender -> targets.add(new Target(sender,
                config.send().username().orElse(sender), config.send().password().orElse(""), "sender",
                List.of("sentitems"))));
        for (String sender : senders.all()) {
            // opening Sent Items as the sender shows the app may reach its mailbox; nothing is sent to find out
            if (config.send().sender().filter(sender::equalsIgnoreCase).isEmpty()) {
                targets.add(new Target(sender, senders.username(sender), senders.password(sender), "outgoing sender",
                        List.of("sentitems")));
            }
        }
        for (MailboxConfig mailbox : config.incoming().mailboxes()) {
            if (!mailbox.enabled()) {
                continue;
            }
            List<String> folders = new ArrayList<>(mailbox.folders()
                    .map(list -> list.stream().map(MailConfig.FolderConfig::name).toList())
                    .orElse(List.of(mailbox.folder())));
            if (config.incoming().afterDelivery() == AfterDelivery.MOVE) {
                folders.add(config.incoming().moveToFolder());
            }
            targets.add(new Target(mailbox.address(), mailbox.effectiveUsername(), mailbox.password().orElse(""),
                    "mailbox", folders));
        }
        if (only.isEmpty()) {
            return targets;
        }
        List<Target> chosen = targets.stream().filter(target -> target.address().equalsIgnoreCase(only.get())).toList();
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException(only.get() + " is neither an enabled mailbox in mail.incoming.mailboxes"
                    + " nor mail.send.sender nor one of mail.outgoing.senders");
        }
        return chosen;
    }

    private boolean tokenCheck(String name, AccessTokens access, List<CheckOutcome> outcomes) {
        try {
            access.get();
            outcomes.add(CheckOutcome.ok(name, access.appOnly() ? "token issued"
                    : "token issued; user name/password works today, but Microsoft discourages it and MFA or"
                            + " Conditional Access will break it: prefer auth-flow: client-secret"));
            return true;
        } catch (TokenException e) {
            outcomes.add(CheckOutcome.error(name, Diagnoses.of(e)));
            return false;
        }
    }

    private CheckOutcome folderCheck(Mailbox mailbox, AccessTokens access, Target target, String folder) {
        String name = target.role() + " " + target.address() + ": folder " + folder;
        boolean moveTarget = target.role().equals("mailbox") && config.incoming().afterDelivery() == AfterDelivery.MOVE
                && folder.equals(config.incoming().moveToFolder());
        try {
            openWithPropagationRetry(mailbox, access, folder);
            return CheckOutcome.ok(name, "opened");
        } catch (MailboxException e) {
            if (moveTarget && e.code().equals("ErrorFolderNotFound")) {
                return CheckOutcome.ok(name, "not there yet; created at the first move");
            }
            if (e.code().equals("HTTP 403") && graphProbe.applies() && graphProbe.opensFolder(target.address(), folder)) {
                return CheckOutcome.error(name, Diagnoses.of(Diagnoses.EWS_BLOCKED, e.detail()
                        + "; Microsoft Graph opens this folder with the same app"));
            }
            return CheckOutcome.error(name, Diagnoses.of(e));
        }
    }

    /** Right after setup, Exchange answers 403 until the new permissions have propagated: keep trying a while. */
    private void openWithPropagationRetry(Mailbox mailbox, AccessTokens access, String folder)
            throws MailboxException {
        RequestAttempts attempts = new RequestAttempts(PROPAGATION.within(config.check().retryFor()), sleeper, clock,
                RequestAttempts.RetryListener.NONE);
        attempts.run("checkFolder", true, access, number -> {
            try {
                mailbox.checkFolder(folder);
                return null;
            } catch (MailboxException e) {
                throw e.code().equals("HTTP 403") ? FailedAttempt.mayHaveRun(e) : FailedAttempt.giveUp(e);
            }
        });
    }
}
