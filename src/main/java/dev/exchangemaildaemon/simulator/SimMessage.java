package dev.exchangemaildaemon.simulator;

import java.time.Instant;

/**
 * A message in a simulated mailbox, as a test sees it.
 *
 * @param id                 the EWS item id
 * @param mime               the MIME content, byte for byte as stored
 * @param internetMessageId  the {@code Message-ID} header's value, or {@code null} if the message has none
 */
public record SimMessage(String id, byte[] mime, boolean read, Instant received, String internetMessageId) {
}
