package dev.exchangemaildaemon.outgoing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.exchangemaildaemon.auth.EntraTokens;
import dev.exchangemaildaemon.config.MailConfig;
import dev.exchangemaildaemon.mailbox.Mailbox;
import dev.exchangemaildaemon.mailbox.MailboxConnector;

/**
 * The mailboxes local software may send as ({@code mail.outgoing.senders}) and how to reach each: with the app's
 * token, or in the user name/password flow with the password configured for that address (as the test send's
 * sender or an incoming mailbox).
 */
@ApplicationScoped
public class Senders {

    private final MailConfig config;
    private final EntraTokens tokens;
    private final MailboxConnector connector;

    public Senders(MailConfig config, EntraTokens tokens, MailboxConnector connector) {
        this.config = config;
        this.tokens = tokens;
        this.connector = connector;
    }

    /** Every configured sender, as written. */
    public List<String> all() {
        return config.outgoing().senders().orElse(List.of());
    }

    /** The configured sender with that address (any case), if there is one. */
    public Optional<String> find(String address) {
        String wanted = address.trim().toLowerCase(Locale.ROOT);
        return all().stream().filter(sender -> sender.trim().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    /** The sender's mailbox on the server. */
    public Mailbox connect(String sender) {
        return connector.connect(sender, tokens.forUser(username(sender), password(sender)));
    }

    /** The user name that gets the sender's token (user name/password flow): its own, as configured. */
    public String username(String sender) {
        if (config.send().sender().filter(sender::equalsIgnoreCase).isPresent()) {
            return config.send().username().orElse(sender);
        }
        return config.incoming().mailboxes().stream().filter(mailbox -> mailbox.address().equalsIgnoreCase(sender))
                .findFirst().map(MailConfig.MailboxConfig::effectiveUsername).orElse(sender);
    }

    /** The sender's password (user name/password flow), or empty: the test send's, or its incoming mailbox's. */
    public String password(String sender) {
        if (config.send().sender().filter(sender::equalsIgnoreCase).isPresent()) {
            return config.send().password().orElse("");
        }
        return config.incoming().mailboxes().stream().filter(mailbox -> mailbox.address().equalsIgnoreCase(sender))
                .findFirst().flatMap(MailConfig.MailboxConfig::password).orElse("");
    }
}
