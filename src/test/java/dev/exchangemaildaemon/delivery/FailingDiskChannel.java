package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file's channel on a disk that fills up: a write takes at most the bytes still allowed and then fails as a full
 * disk does; truncating can be made to fail too. Everything else goes to the real file.
 */
final class FailingDiskChannel extends FileChannel {

    private final FileChannel file;
    /** Bytes a write may still put on the disk; negative: no limit. */
    long bytesLeft = -1;
    boolean truncateFails;

    FailingDiskChannel(Path path) throws IOException {
        this.file = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        if (bytesLeft < 0) {
            return file.write(src);
        }
        if (bytesLeft == 0) {
            throw new IOException("No space left on device");
        }
        ByteBuffer part = src.slice().limit((int) Math.min(src.remaining(), bytesLeft));
        int written = file.write(part);
        src.position(src.position() + written);
        bytesLeft -= written;
        return written;
    }

    @Override
    public FileChannel truncate(long size) throws IOException {
        if (truncateFails) {
            throw new IOException("Input/output error");
        }
        file.truncate(size);
        return this;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return file.read(dst);
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        return file.read(dsts, offset, length);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        throw new UnsupportedOperationException("gathering writes are not used by the delivery record");
    }

    @Override
    public long position() throws IOException {
        return file.position();
    }

    @Override
    public FileChannel position(long newPosition) throws IOException {
        file.position(newPosition);
        return this;
    }

    @Override
    public long size() throws IOException {
        return file.size();
    }

    @Override
    public void force(boolean metaData) throws IOException {
        file.force(metaData);
    }

    @Override
    public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
        return file.transferTo(position, count, target);
    }

    @Override
    public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
        return file.transferFrom(src, position, count);
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return file.read(dst, position);
    }

    @Override
    public int write(ByteBuffer src, long position) throws IOException {
        throw new UnsupportedOperationException("positioned writes are not used by the delivery record");
    }

    @Override
    public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
        return file.map(mode, position, size);
    }

    @Override
    public FileLock lock(long position, long size, boolean shared) throws IOException {
        return file.lock(position, size, shared);
    }

    @Override
    public FileLock tryLock(long position, long size, boolean shared) throws IOException {
        return file.tryLock(position, size, shared);
    }

    @Override
    protected void implCloseChannel() throws IOException {
        file.close();
    }
}
