package dev.exchangemaildaemon.mailbox;

import java.time.Instant;
import java.util.Optional;

/**
 * A message found on the server.
 *
 * @param id the server's item id (opaque; changes when the item moves between folders)
 * @param internetMessageId the Message-ID header, if the message has one
 * @param received when the mailbox received it
 * @param size the size in bytes the server reports, 0 if unknown
 */
public record MessageRef(String id, Optional<String> internetMessageId, Instant received, long size) {
}
