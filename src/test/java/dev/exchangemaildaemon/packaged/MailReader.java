package dev.exchangemaildaemon.packaged;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A program reading the Maildir as a mail client does: it takes what is in {@code new/} and moves it to
 * {@code cur/} with the info suffix {@code :2,S} (seen). Once it has, a message written again shows up as a second
 * copy instead of replacing the first under the same name.
 */
final class MailReader {

    private MailReader() {
    }

    /** Moves every file of {@code new/} into {@code cur/}, marked seen; returns how many. */
    static int takeNew(DaemonSetup setup, String address) {
        List<String> names = setup.files(address, "new");
        Path cur = setup.maildirFolder(address, "cur");
        try {
            for (String name : names) {
                Files.move(setup.maildirFolder(address, "new").resolve(name), cur.resolve(name + ":2,S"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names.size();
    }
}
