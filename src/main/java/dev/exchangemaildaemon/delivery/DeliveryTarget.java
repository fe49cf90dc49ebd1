package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where a mailbox's messages go: a {@link Maildir}, a {@link CommandTarget command} or an {@link LmtpTarget LMTP
 * server}. A message is taken in two steps, so that a broken fetch never reaches the target and a slow target never
 * holds up the server's answer: {@link #receive} takes the bytes as they arrive, {@link #handOver} gives the whole
 * message to the target once the fetch is over, and says whether the target accepted it. Only what it accepted is
 * recorded as delivered and gets its server action.
 */
public interface DeliveryTarget {

    /**
     * Whether the target itself shows which messages it holds ({@link #presentKeys}), so that a crash between its
     * acceptance and the record is repaired from the target (the Maildir's file names). A target that cannot show it
     * has each accepted message recorded at once, before the next is handed over.
     */
    boolean showsWhatItHolds();

    /** The delivery keys of the messages the target shows it holds; empty when it cannot tell. */
    Set<String> presentKeys() throws IOException;

    /**
     * Takes one message's bytes as the server sends them, streamed to disk, never held whole. A stream that breaks
     * leaves nothing behind. Returns the file the message is in until it is handed over.
     */
    Path receive(Envelope envelope, InputStream mime) throws IOException;

    /**
     * Hands a received message to the target and says what the target answered. The received file is gone
     * afterwards, unless the target keeps it (the Maildir). An IOException means the target could not be reached or
     * run at all (no socket, no program), which is no answer about this message.
     */
    Handover handOver(Envelope envelope, Path received) throws IOException;

    /** Drops a received message that will not be handed over (the poll stopped first). */
    void discard(Path received) throws IOException;

    /** Makes what the target accepted durable, once for many messages, before it is recorded. */
    void sync() throws IOException;

    /** For logs and health: what kind of target and where, never a secret. */
    String describe();
}
