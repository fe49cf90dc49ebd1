package dev.exchangemaildaemon.simulator.ews;

import java.time.Clock;

import dev.exchangemaildaemon.simulator.MailStore;
import dev.exchangemaildaemon.simulator.RejectedRecipients;
import dev.exchangemaildaemon.simulator.SimMailbox;

/**
 * What an operation acts on: the mailbox the request reaches (the impersonated one, or the token's user's), and
 * the whole store and the addresses Exchange will not send to, for operations that reach other mailboxes.
 */
record EwsContext(SimMailbox mailbox, MailStore store, RejectedRecipients rejectedRecipients, Clock clock) {
}
