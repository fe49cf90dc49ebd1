package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The record of what has been delivered from one mailbox, kept in the state directory so that it
 * survives restarts. It is an append-only file of lines {@code D key} (in the Maildir, server action
 * pending) and {@code A key} (server action done, or none configured). Each line is forced to disk before
 * the next step; a line torn by a crash is ignored on reading, so every record is all or nothing.
 */
public final class DeliveryLog implements AutoCloseable {

    public enum State {
        /** In the Maildir; the after-delivery action on the server is still to do. */
        DELIVERED,
        /** In the Maildir and the after-delivery action is done. */
        DONE
    }

    private final Map<String, State> states = new HashMap<>();
    private final FileChannel channel;

    private DeliveryLog(FileChannel channel) {
        this.channel = channel;
    }

    public static DeliveryLog open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        DeliveryLog log = new DeliveryLog(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE));
        log.load(file);
        return log;
    }

    private void load(Path file) throws IOException {
        String content = Files.readString(file, StandardCharsets.US_ASCII);
        int end = content.lastIndexOf('\n') + 1;
        for (String line : content.substring(0, end).split("\n")) {
            if (line.length() > 2 && line.charAt(1) == ' ') {
                String key = line.substring(2);
                if (line.charAt(0) == 'A') {
                    states.put(key, State.DONE);
                } else if (line.charAt(0) == 'D') {
                    states.putIfAbsent(key, State.DELIVERED);
                }
            }
        }
        channel.truncate(end);
        channel.position(end);
    }

    public synchronized State state(String key) {
        return states.get(key);
    }

    /** Records the keys as delivered, with one write and one force for the whole batch. */
    public synchronized void delivered(Collection<String> keys) throws IOException {
        append('D', keys);
        keys.forEach(key -> states.putIfAbsent(key, State.DELIVERED));
    }

    /** Records the keys as done, with one write and one force for the whole batch. */
    public synchronized void done(Collection<String> keys) throws IOException {
        append('A', keys);
        keys.forEach(key -> states.put(key, State.DONE));
    }

    public synchronized int size() {
        return states.size();
    }

    private void append(char kind, Collection<String> keys) throws IOException {
        if (keys.isEmpty()) {
            return;
        }
        StringBuilder lines = new StringBuilder();
        keys.forEach(key -> lines.append(kind).append(' ').append(key).append('\n'));
        write(lines.toString());
    }

    private void write(String lines) throws IOException {
        ByteBuffer line = ByteBuffer.wrap(lines.getBytes(StandardCharsets.US_ASCII));
        while (line.hasRemaining()) {
            channel.write(line);
        }
        channel.force(false);
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
