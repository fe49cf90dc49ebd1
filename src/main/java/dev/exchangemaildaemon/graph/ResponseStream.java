package dev.exchangemaildaemon.graph;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A response body that marks its own read failures, so that they can be told apart from those of whoever reads
 * it: a full disk while writing a message is not a network fault.
 */
final class ResponseStream extends FilterInputStream {

    /** Reading the response failed. */
    static final class ReadException extends IOException {
        ReadException(IOException cause) {
            super(cause.getMessage(), cause);
        }
    }

    ResponseStream(InputStream body) {
        super(body);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw new ReadException(e);
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        try {
            return super.read(buffer, offset, length);
        } catch (IOException e) {
            throw new ReadException(e);
        }
    }

    @Override
    public long skip(long count) throws IOException {
        try {
            return super.skip(count);
        } catch (IOException e) {
            throw new ReadException(e);
        }
    }
}
