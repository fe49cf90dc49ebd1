package dev.exchangemaildaemon.mailbox;

/** One item of a batch that the server refused, with why. */
public record ItemFailure(MessageRef message, MailboxException error) {
}
