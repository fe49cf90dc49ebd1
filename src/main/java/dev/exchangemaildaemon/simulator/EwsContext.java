package dev.exchangemaildaemon.simulator;

import java.time.Clock;

/**
 * What an operation acts on: the mailbox the request reaches (the impersonated one, or the token's user's), and
 * the whole store for operations that reach other mailboxes, such as sending mail.
 */
record EwsContext(SimMailbox mailbox, MailStore store, Clock clock) {
}
