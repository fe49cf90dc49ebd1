package dev.exchangemaildaemon.ews;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A response body that remembers the IOException that broke it. The StAX parser reports a connection dropped
 * mid-body as a parse error and loses the cause; this tells the two apart, so a dropped connection is counted as
 * {@code CONNECTION} and only a truncated or garbled answer as {@code BAD_RESPONSE}.
 */
final class ResponseBody extends FilterInputStream {

    private volatile IOException failure;

    ResponseBody(InputStream body) {
        super(body);
    }

    Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            failure = e;
            throw e;
        }
    }
}
