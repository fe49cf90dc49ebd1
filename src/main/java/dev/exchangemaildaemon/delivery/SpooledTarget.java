package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Set;

/**
 * A target that takes a message only once the fetch is over (a program, a mail server): until then the message
 * waits in the mailbox's spool file, never in memory, and what the target accepted is known only from its answer,
 * as it cannot be asked what it holds. The hand-over is the target's own.
 */
abstract class SpooledTarget implements DeliveryTarget {

    protected final SpoolDirectory spool;

    protected SpooledTarget(SpoolDirectory spool) {
        this.spool = spool;
    }

    @Override
    public final boolean showsWhatItHolds() {
        return false;
    }

    @Override
    public final Set<String> presentKeys() {
        return Set.of();
    }

    @Override
    public final Path receive(Envelope envelope, InputStream mime) throws IOException {
        return spool.write(envelope.fileName(), mime);
    }

    @Override
    public final void discard(Path received) throws IOException {
        spool.delete(received);
    }

    /** Nothing of ours to force: the target's answer is its acceptance. */
    @Override
    public final void sync() {
    }
}
