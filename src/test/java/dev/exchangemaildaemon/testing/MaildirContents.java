package dev.exchangemaildaemon.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The messages in one mailbox's Maildir, as byte buffers (comparable by content). */
public final class MaildirContents {

    private MaildirContents() {
    }

    public static List<ByteBuffer> messages(Path maildirRoot, String address) {
        List<ByteBuffer> messages = new ArrayList<>();
        for (String sub : new String[] { "new", "cur" }) {
            Path dir = maildirRoot.resolve(address).resolve(sub);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    messages.add(ByteBuffer.wrap(Files.readAllBytes(file)));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return messages;
    }

    public static List<ByteBuffer> wrap(List<byte[]> messages) {
        return messages.stream().map(ByteBuffer::wrap).toList();
    }

    public static int count(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.list(dir)) {
            return (int) files.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
