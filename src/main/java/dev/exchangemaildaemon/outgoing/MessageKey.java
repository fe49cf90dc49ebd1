package dev.exchangemaildaemon.outgoing;

/**
 * A message that can be recognised when it comes again: the channel's key for it (the SMTP transaction's, the
 * pickup file's) and its Message-ID, by which Exchange's copy in Sent Items is found.
 */
record MessageKey(String key, String messageId) {
}
