package dev.exchangemaildaemon.mailbox;

import java.io.IOException;
import java.io.InputStream;

@FunctionalInterface
public interface MimeConsumer {

    /** Takes one message's MIME bytes; the stream is closed by the caller once this returns. */
    void accept(MessageRef message, InputStream mime) throws IOException;
}
