package dev.exchangemaildaemon.testing;

/** The delivery targets a test can run against, each with a real program behind it where it has one. */
public enum TargetKind {
    /** The daemon's own Maildir. */
    MAILDIR,
    /** An ordinary shell script ({@code targets/import-into-maildir.sh}) that files each message into a Maildir. */
    COMMAND,
    /** A real Dovecot LMTP server, over its Unix socket. */
    LMTP
}
