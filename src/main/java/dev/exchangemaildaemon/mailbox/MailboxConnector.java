package dev.exchangemaildaemon.mailbox;

import dev.exchangemaildaemon.auth.AccessTokens;

/** Opens a mailbox over one protocol; the implementation in use is chosen by configuration. */
public interface MailboxConnector {

    /**
     * @param address the mailbox's primary SMTP address
     * @param tokens bearer tokens for this mailbox
     */
    Mailbox connect(String address, AccessTokens tokens);
}
