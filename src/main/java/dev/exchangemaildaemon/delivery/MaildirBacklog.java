package dev.exchangemaildaemon.delivery;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How many delivered messages wait in a mailbox's {@code new/}, not yet taken by the software that reads the
 * Maildir (which moves them to {@code cur/} or deletes them). A count that only grows means that software
 * stopped reading, which the daemon's own health cannot see. Counted when asked: the directory is the truth,
 * also for what the reader took in between.
 */
public final class MaildirBacklog {

    private MaildirBacklog() {
    }

    /** The messages in that Maildir's {@code new/}: 0 before the first delivery made it, empty if it cannot be read. */
    public static OptionalLong waiting(Path maildir) {
        long count = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(maildir.resolve("new"))) {
            for (Path file : files) {
                if (!file.getFileName().toString().startsWith(".")) { // readers skip dot files, as Maildir says
                    count++;
                }
            }
        } catch (NoSuchFileException notYetCreated) {
            return OptionalLong.of(0);
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(count);
    }
}
