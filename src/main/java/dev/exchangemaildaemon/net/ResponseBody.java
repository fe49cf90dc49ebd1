package dev.exchangemaildaemon.net;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * A response body that marks its own read failures, so that they can be told apart from those of whoever reads it:
 * a full disk while writing a message is not a network fault, and a connection dropped mid-body is not a garbled
 * answer. Each failure is thrown as a {@link ReadException} and remembered: a reader that loses the cause (the StAX
 * parser reports a dropped connection as a parse error) can still be asked for it with {@link #failure()}.
 */
public final class ResponseBody extends FilterInputStream {

    /** Reading the response failed. */
    public static final class ReadException extends IOException {
        ReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    private volatile IOException failure;

    public ResponseBody(InputStream body) {
        super(body);
    }

    /** The IOException that broke the body, if one did. */
    public Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public long skip(long count) throws IOException {
        try {
            return super.skip(count);
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private ReadException failed(IOException e) {
        failure = e;
        return new ReadException(e);
    }
}
