package dev.exchangemaildaemon.mailbox;

import java.util.List;

/** A plain-text message to send. */
public record OutgoingMessage(String from, List<String> to, String subject, String body) {
}
